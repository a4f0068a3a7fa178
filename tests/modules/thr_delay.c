/* rt_thread_mdelay: three threads sleeping 30, 10 and 20 ms wake in 10, 20, 30 order, each
 * after exactly its delay in ticks (virtual time jumps to the next wake-up when every thread
 * sleeps); main sees the tick advance by 30. */
#include <rtthread.h>

static rt_sem_t done;

static void sleeper(void *parameter)
{
    int ms = (int)parameter;
    rt_tick_t start = rt_tick_get();

    rt_thread_mdelay(ms);
    rt_kprintf("sleeper %d: woke after %d ticks\n", ms, (int)(rt_tick_get() - start));
    rt_sem_release(done);
}

int main(int argc, char *argv[])
{
    static const int delays[] = { 30, 10, 20 };
    rt_tick_t start = rt_tick_get();
    int i;

    done = rt_sem_create("done", 0, RT_IPC_FLAG_FIFO);
    for (i = 0; i < 3; i++)
        rt_thread_startup(rt_thread_create("sleeper", sleeper, (void *)delays[i], 2048, 10,
                                           1000));
    for (i = 0; i < 3; i++)
        rt_sem_take(done, RT_WAITING_FOREVER);
    rt_kprintf("main: tick advanced by %d\n", (int)(rt_tick_get() - start));
    rt_kprintf("main: rt_thread_delay(7) then rt_tick_get: +%d\n",
               (rt_thread_delay(7), (int)(rt_tick_get() - start)));
    return 0;
}
