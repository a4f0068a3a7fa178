/* The sleeps and rt_thread_delay_until RT-Thread exports to modules: each one is timed on
 * the kernel's tick (1000 a second), so a sleep shows as the ticks it took, never fewer
 * than asked for. */
#include <errno.h>
#include <sys/time.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include <delay.h>
#include <rthw.h>
#include <rtthread.h>

static rt_tick_t mark;

static unsigned int took(void)
{
    rt_tick_t now = rt_tick_get();
    unsigned int ticks = now - mark;
    mark = now;
    return ticks;
}

int main(void)
{
    struct timespec req = { 0, 1500000 }, rem = { 7, 7 }, bad = { 0, 1000000000L };
    rt_tick_t period, late;
    clock_t c0;
    int i, result;

    mark = rt_tick_get();
    msleep(5);
    printf("msleep(5) %u\n", took());
    usleep(2500);
    printf("usleep(2500) %u\n", took());
    result = nanosleep(&req, &rem);
    printf("nanosleep(1.5ms) %u result %d rem %ld.%ld\n", took(), result, (long)rem.tv_sec,
           rem.tv_nsec);
    errno = 0;
    result = nanosleep(&bad, NULL);
    printf("nanosleep(bad) %u result %d errno %d\n", took(), result, errno);
    sleep(1);
    printf("sleep(1) %u\n", took());
    ssleep(1);
    printf("ssleep(1) %u\n", took());

    c0 = clock();
    msleep(20);
    printf("clock over msleep(20) %ld per second %ld\n", (long)(clock() - c0), (long)CLOCKS_PER_SEC);

    period = rt_tick_get();
    late = period;
    for (i = 0; i < 3; i++)
    {
        rt_thread_delay_until(&period, 10);
        msleep(3);                      /* work inside the period does not stretch it */
    }
    printf("delay_until 3 x 10: period advanced %u, now %u after it\n",
           (unsigned int)(period - late), (unsigned int)(rt_tick_get() - period));
    late = rt_tick_get() - 100;
    result = rt_thread_delay_until(&late, 10);
    printf("delay_until late: result %d restarted at now %d\n", result, late == rt_tick_get());
    printf("interrupt nest %d\n", rt_interrupt_get_nest());
    return 0;
}
