/* Owns a semaphore that another module (ipc_cli) waits on, then ends: the semaphore is
 * deleted with it and the waiting thread of the other module wakes with -RT_ERROR. */
#include <rtthread.h>

rt_sem_t ipc_srv_sem;

int main(int argc, char *argv[])
{
    ipc_srv_sem = rt_sem_create("srv_sem", 0, RT_IPC_FLAG_PRIO);
    rt_kprintf("ipc_srv: created its semaphore, sleeping 20 ticks\n");
    rt_thread_mdelay(20);
    rt_kprintf("ipc_srv: ends at tick %d\n", (int)rt_tick_get());
    return 0;
}
