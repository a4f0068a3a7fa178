/* pingpong N: main and a second thread hand the CPU to each other N times each way through
 * two semaphores: every hand-over blocks one thread and wakes the other (a context switch). */
#include <rtthread.h>

static rt_sem_t ping, pong, done;
static unsigned int rounds;

static void partner(void *parameter)
{
    for (unsigned int i = 0; i < rounds; i++) {
        rt_sem_take(ping, RT_WAITING_FOREVER);
        rt_sem_release(pong);
    }
    rt_sem_release(done);
}

int main(int argc, char *argv[])
{
    const char *s = argc > 1 ? argv[1] : "1000";

    while (*s >= '0' && *s <= '9')
        rounds = rounds * 10 + (unsigned)(*s++ - '0');
    ping = rt_sem_create("ping", 0, RT_IPC_FLAG_FIFO);
    pong = rt_sem_create("pong", 0, RT_IPC_FLAG_FIFO);
    done = rt_sem_create("done", 0, RT_IPC_FLAG_FIFO);
    rt_thread_startup(rt_thread_create("partner", partner, RT_NULL, 1024, 20, 10));
    for (unsigned int i = 0; i < rounds; i++) {
        rt_sem_release(ping);
        rt_sem_take(pong, RT_WAITING_FOREVER);
    }
    rt_sem_take(done, RT_WAITING_FOREVER);
    return 0;
}
