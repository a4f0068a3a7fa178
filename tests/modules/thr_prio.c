/* Priority preemption: a new thread of higher priority runs as soon as it is started, and a
 * high-priority thread blocked on a semaphore runs the moment the low-priority main thread
 * releases it - before rt_sem_release returns to main. */
#include <rtthread.h>

static rt_sem_t go;
static rt_thread_t high_thread;

static void high(void *parameter)
{
    rt_kprintf("high: started (rt_thread_self is %s), waiting\n",
               rt_thread_self() == *(rt_thread_t *)parameter ? "its handle" : "wrong");
    if (rt_sem_take(go, RT_WAITING_FOREVER) == RT_EOK)
        rt_kprintf("high: woke up\n");
    rt_kprintf("high: a 5-tick wait times out: %d\n", (int)rt_sem_take(go, 5));
    rt_kprintf("high: returns\n");
}

int main(int argc, char *argv[])
{
    go = rt_sem_create("go", 0, RT_IPC_FLAG_PRIO);
    high_thread = rt_thread_create("high", high, &high_thread, 2048, 10, 10);
    if (!go || !high_thread)
        return 1;
    rt_kprintf("main: starting high\n");
    rt_thread_startup(high_thread);
    rt_kprintf("main: releasing\n");
    rt_sem_release(go);
    rt_kprintf("main: release returned\n");
    rt_thread_mdelay(10);
    rt_kprintf("main: done\n");
    return 0;
}
