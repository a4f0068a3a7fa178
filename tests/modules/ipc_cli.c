/* Waits for ever on the semaphore of the module ipc_srv (found with dlmodule_find + dlsym). */
#include <dlfcn.h>
#include <dlmodule.h>
#include <rtthread.h>

int main(int argc, char *argv[])
{
    struct rt_dlmodule *srv = dlmodule_find("ipc_srv");
    rt_sem_t *sem = srv ? (rt_sem_t *)dlsym(srv, "ipc_srv_sem") : RT_NULL;
    rt_err_t result;

    if (sem == RT_NULL) {
        rt_kprintf("ipc_cli: ipc_srv is not running\n");
        return 1;
    }
    while (*sem == RT_NULL)
        rt_thread_yield();              /* ipc_srv has not created it yet */
    rt_kprintf("ipc_cli: waiting on ipc_srv's semaphore\n");
    result = rt_sem_take(*sem, RT_WAITING_FOREVER);
    rt_kprintf("ipc_cli: rt_sem_take returned %d at tick %d\n", (int)result, (int)rt_tick_get());
    return 0;
}
