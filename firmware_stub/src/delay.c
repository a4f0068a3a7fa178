/* Sleeping for modules: the POSIX sleep calls and the msleep/ssleep pair RT-Thread's posix
 * delay component offers, and rt_thread_delay_until, all over the kernel's tick sleep
 * (rt_thread_delay, RT_TICK_PER_SECOND ticks a second). A request is rounded up to whole
 * ticks so a caller never wakes before the time it asked for. */
#include <errno.h>
#include <time.h>
#include <unistd.h>

#include <delay.h>
#include <rtthread.h>

#define NSEC_PER_SEC 1000000000L

static void sleep_ticks(unsigned long long ticks)
{
    while (ticks > 0)
    {
        /* rt_thread_delay takes a signed tick count; keep each step far below its limit */
        rt_tick_t step = ticks > 0x3fffffffu ? 0x3fffffffu : (rt_tick_t)ticks;
        rt_thread_delay(step);
        ticks -= step;
    }
}

int nanosleep(const struct timespec *rqtp, struct timespec *rmtp)
{
    if (rqtp == NULL || rqtp->tv_sec < 0 || rqtp->tv_nsec < 0 || rqtp->tv_nsec >= NSEC_PER_SEC)
    {
        errno = -EINVAL;
        return -1;
    }
    sleep_ticks((unsigned long long)rqtp->tv_sec * RT_TICK_PER_SECOND
                + ((unsigned long long)rqtp->tv_nsec * RT_TICK_PER_SECOND + NSEC_PER_SEC - 1)
                  / NSEC_PER_SEC);
    if (rmtp != NULL)
    {
        rmtp->tv_sec = 0;
        rmtp->tv_nsec = 0;
    }
    return 0;
}

unsigned sleep(unsigned int seconds)
{
    sleep_ticks((unsigned long long)seconds * RT_TICK_PER_SECOND);
    return 0;
}

int usleep(useconds_t usec)
{
    sleep_ticks(((unsigned long long)usec * RT_TICK_PER_SECOND + 999999u) / 1000000u);
    return 0;
}

void msleep(unsigned int msecs)
{
    sleep_ticks(((unsigned long long)msecs * RT_TICK_PER_SECOND + 999u) / 1000u);
}

void ssleep(unsigned int seconds)
{
    sleep(seconds);
}

/* Periodic wake-ups without drift: *tick is the last wake-up; sleep until *tick + inc_tick
 * and advance *tick by inc_tick. A caller already past that point does not sleep and
 * restarts its period from now. */
rt_err_t rt_thread_delay_until(rt_tick_t *tick, rt_tick_t inc_tick)
{
    rt_tick_t now;
    if (tick == RT_NULL)
        return -RT_EINVAL;
    now = rt_tick_get();
    if ((rt_tick_t)(now - *tick) < inc_tick)
    {
        rt_tick_t left = *tick + inc_tick - now;
        *tick += inc_tick;
        return rt_thread_delay(left);
    }
    *tick = now;
    return RT_EOK;
}
