/* A module that ends while its threads still run or wait: main returns 3 while one thread
 * waits on a semaphore for ever, one sleeps, one computes for ever, one holds a mutex
 * another waits on, and one was never started. RT-Thread's dlmodule_exit stops every thread
 * of the module; all of them, their stacks and the module's semaphore, mutex, event and
 * mailbox go with it. */
#include <rtthread.h>

static rt_sem_t never;
static rt_mutex_t lock;
static volatile unsigned spins;

static void waiter(void *parameter)
{
    rt_sem_take(never, RT_WAITING_FOREVER);
    rt_kprintf("waiter: woke up (must not happen)\n");
}

static void sleeper(void *parameter)
{
    rt_thread_mdelay(100000);
    rt_kprintf("sleeper: woke up (must not happen)\n");
}

static void spinner(void *parameter)
{
    for (;;)
        spins++;
}

static void holder(void *parameter)
{
    rt_mutex_take(lock, RT_WAITING_FOREVER);
    rt_thread_mdelay(100000);
}

static void blocked(void *parameter)
{
    rt_mutex_take(lock, RT_WAITING_FOREVER);
    rt_kprintf("blocked: got the mutex (must not happen)\n");
}

int main(int argc, char *argv[])
{
    rt_ubase_t mail;

    never = rt_sem_create("never", 0, RT_IPC_FLAG_PRIO);
    lock = rt_mutex_create("lock", RT_IPC_FLAG_PRIO);
    rt_event_create("flags", RT_IPC_FLAG_PRIO);
    rt_mb_send(rt_mb_create("mail", 4, RT_IPC_FLAG_FIFO), 42);
    rt_thread_startup(rt_thread_create("waiter", waiter, RT_NULL, 1024, 20, 10));
    rt_thread_startup(rt_thread_create("sleeper", sleeper, RT_NULL, 1024, 20, 10));
    rt_thread_startup(rt_thread_create("spinner", spinner, RT_NULL, 1024, 20, 10));
    rt_thread_startup(rt_thread_create("holder", holder, RT_NULL, 1024, 20, 10));
    rt_thread_startup(rt_thread_create("blocked", blocked, RT_NULL, 1024, 20, 10));
    rt_thread_create("unborn", spinner, RT_NULL, 1024, 20, 10);
    while (spins < 1000)
        rt_thread_yield();              /* until every thread has run (the spinner: a slice) */
    (void)mail;
    rt_kprintf("thr_exit: main returns 3 with 6 threads and 4 objects alive\n");
    return 3;
}
