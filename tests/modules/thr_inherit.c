/* Priority inheritance: `low` (25) holds a mutex and computes until tick 20; `high` (10)
 * wakes at tick 5 and blocks on the mutex; `mid` (15) wakes at tick 10 and is ready to run.
 * With inheritance `low` runs at priority 10 until it releases, so high gets the mutex
 * before mid runs; without it mid would run first (priority inversion). Ticks advance while
 * low computes, one time slice at a time. */
#include <rtthread.h>

static rt_mutex_t lock;
static rt_sem_t done;

static void low(void *parameter)
{
    rt_mutex_take(lock, RT_WAITING_FOREVER);
    rt_kprintf("low: holds the mutex\n");
    while (rt_tick_get() < 20)
        ;                               /* computing: preempted at slice ends only */
    rt_kprintf("low: releasing\n");
    rt_mutex_release(lock);
    rt_kprintf("low: released\n");
    rt_sem_release(done);
}

static void high(void *parameter)
{
    rt_thread_mdelay(5);
    rt_kprintf("high: wants the mutex\n");
    rt_mutex_take(lock, RT_WAITING_FOREVER);
    rt_kprintf("high: got the mutex\n");
    rt_mutex_release(lock);
    rt_sem_release(done);
}

static void mid(void *parameter)
{
    rt_thread_mdelay(10);
    rt_kprintf("mid: runs\n");
    rt_sem_release(done);
}

int main(int argc, char *argv[])
{
    int i;

    lock = rt_mutex_create("lock", RT_IPC_FLAG_PRIO);
    done = rt_sem_create("done", 0, RT_IPC_FLAG_PRIO);
    rt_thread_startup(rt_thread_create("low", low, RT_NULL, 2048, 25, 5));
    rt_thread_startup(rt_thread_create("high", high, RT_NULL, 2048, 10, 5));
    rt_thread_startup(rt_thread_create("mid", mid, RT_NULL, 2048, 15, 5));
    for (i = 0; i < 3; i++)
        rt_sem_take(done, RT_WAITING_FOREVER);
    rt_kprintf("main: all done at tick %d\n", (int)rt_tick_get());
    return 0;
}
