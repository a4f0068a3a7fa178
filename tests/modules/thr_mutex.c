/* A mutex protecting a shared counter: three threads read it, yield, then write it back
 * plus one. With the mutex no update is lost; `thr_mutex nolock` shows the yields really
 * interleave them (updates are lost). Also: recursive take by the owner, release and
 * trytake by a thread that does not own it. */
#include <string.h>
#include <rtthread.h>

#define ROUNDS 20

static rt_mutex_t lock;
static rt_sem_t done;
static volatile int counter;
static int use_lock = 1;

static void adder(void *parameter)
{
    int i, seen;

    for (i = 0; i < ROUNDS; i++) {
        if (use_lock)
            rt_mutex_take(lock, RT_WAITING_FOREVER);
        seen = counter;
        rt_thread_yield();
        counter = seen + 1;
        if (use_lock)
            rt_mutex_release(lock);
        rt_thread_yield();
    }
    rt_sem_release(done);
}

static void holder(void *parameter)
{
    rt_mutex_take(lock, RT_WAITING_FOREVER);
    rt_sem_release(done);                     /* main checks while this thread holds it */
    rt_sem_take((rt_sem_t)parameter, RT_WAITING_FOREVER);
    rt_mutex_release(lock);
    rt_sem_release(done);
}

int main(int argc, char *argv[])
{
    rt_sem_t hold;
    int i;

    if (argc > 1 && strcmp(argv[1], "nolock") == 0)
        use_lock = 0;
    lock = rt_mutex_create("lock", RT_IPC_FLAG_PRIO);
    done = rt_sem_create("done", 0, RT_IPC_FLAG_FIFO);
    for (i = 0; i < 3; i++)
        rt_thread_startup(rt_thread_create("adder", adder, RT_NULL, 2048, 20, 10));
    for (i = 0; i < 3; i++)
        rt_sem_take(done, RT_WAITING_FOREVER);
    rt_kprintf("counter: %d (expected %d)\n", counter, 3 * ROUNDS);
    if (!use_lock)
        return 0;

    rt_kprintf("recursive take: %d %d, release: %d %d, one too many: %d\n",
               (int)rt_mutex_take(lock, 0), (int)rt_mutex_take(lock, RT_WAITING_FOREVER),
               (int)rt_mutex_release(lock), (int)rt_mutex_release(lock),
               (int)rt_mutex_release(lock));
    hold = rt_sem_create("hold", 0, RT_IPC_FLAG_FIFO);
    rt_thread_startup(rt_thread_create("holder", holder, hold, 2048, 20, 10));
    rt_sem_take(done, RT_WAITING_FOREVER);
    rt_kprintf("held by another thread: trytake %d, 3-tick take %d, release %d\n",
               (int)rt_mutex_trytake(lock), (int)rt_mutex_take(lock, 3),
               (int)rt_mutex_release(lock));
    rt_sem_release(hold);
    rt_kprintf("after the holder lets go: take %d\n", (int)rt_mutex_take(lock, 10));
    rt_mutex_release(lock);
    rt_sem_take(done, RT_WAITING_FOREVER);
    return 0;
}
