/* Every thread blocked for ever: two threads take two mutexes in opposite orders - each
 * takes its first, signals the other and waits until the other holds its own - and main
 * waits on a semaphore nobody releases. The kernel reports the deadlock instead of hanging. */
#include <rtthread.h>

static rt_mutex_t a, b;
static rt_sem_t ab_holds, ba_holds;

static void ab(void *parameter)
{
    rt_mutex_take(a, RT_WAITING_FOREVER);
    rt_sem_release(ab_holds);
    rt_sem_take(ba_holds, RT_WAITING_FOREVER);
    rt_mutex_take(b, RT_WAITING_FOREVER);
    rt_kprintf("ab: got both (must not happen)\n");
}

static void ba(void *parameter)
{
    rt_mutex_take(b, RT_WAITING_FOREVER);
    rt_sem_release(ba_holds);
    rt_sem_take(ab_holds, RT_WAITING_FOREVER);
    rt_mutex_take(a, RT_WAITING_FOREVER);
    rt_kprintf("ba: got both (must not happen)\n");
}

int main(int argc, char *argv[])
{
    rt_sem_t never = rt_sem_create("never", 0, RT_IPC_FLAG_PRIO);

    a = rt_mutex_create("a", RT_IPC_FLAG_PRIO);
    b = rt_mutex_create("b", RT_IPC_FLAG_PRIO);
    ab_holds = rt_sem_create("ab_holds", 0, RT_IPC_FLAG_PRIO);
    ba_holds = rt_sem_create("ba_holds", 0, RT_IPC_FLAG_PRIO);
    rt_thread_startup(rt_thread_create("ab", ab, RT_NULL, 1024, 20, 10));
    rt_thread_startup(rt_thread_create("ba", ba, RT_NULL, 1024, 20, 10));
    rt_kprintf("thr_deadlock: main waits for ever\n");
    rt_sem_take(never, RT_WAITING_FOREVER);
    rt_kprintf("thr_deadlock: main woke up (must not happen)\n");
    return 0;
}
