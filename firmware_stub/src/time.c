/* Time for modules, as RT-Thread's libc (components/libc/compilers/common/ctime.c) gives it:
 * time(), gettimeofday() and clock_gettime(CLOCK_REALTIME) read the wall clock, which the
 * kernel takes from the host (__rtdl_time_now, svc_time.py) as RT-Thread reads its RTC;
 * CLOCK_MONOTONIC and CLOCK_CPUTIME_ID count the kernel's tick (RT_TICK_PER_SECOND), so
 * a run that only computes and sleeps reads the same values every time. */
#include <errno.h>
#include <reent.h>
#include <sys/time.h>
#include <time.h>

#include <rtthread.h>

int __rtdl_time_now(unsigned int out[3]);

static void wall_clock(struct timeval *tv)
{
    unsigned int now[3];
    __rtdl_time_now(now);
    tv->tv_sec = (time_t)(((unsigned long long)now[1] << 32) | now[0]);
    tv->tv_usec = (suseconds_t)now[2];
}

int gettimeofday(struct timeval *tv, void *tz)
{
    (void)tz;
    if (tv == NULL)
    {
        errno = -EINVAL;
        return -1;
    }
    wall_clock(tv);
    return 0;
}

int _gettimeofday_r(struct _reent *ptr, struct timeval *tv, void *tz)
{
    int result = gettimeofday(tv, tz);
    if (result < 0)
        ptr->_errno = errno;
    return result;
}

int _gettimeofday(struct timeval *tv, void *tz)
{
    return gettimeofday(tv, tz);
}

int clock_getres(clockid_t clockid, struct timespec *res)
{
    if (res == NULL)
    {
        errno = -EINVAL;
        return -1;
    }
    res->tv_sec = 0;
    res->tv_nsec = clockid == CLOCK_REALTIME ? 1000 : 1000000000L / RT_TICK_PER_SECOND;
    return 0;
}

int clock_gettime(clockid_t clockid, struct timespec *tp)
{
    if (tp == NULL)
    {
        errno = -EINVAL;
        return -1;
    }
    if (clockid == CLOCK_REALTIME)
    {
        struct timeval tv;
        wall_clock(&tv);
        tp->tv_sec = tv.tv_sec;
        tp->tv_nsec = tv.tv_usec * 1000L;
        return 0;
    }
    if (clockid == CLOCK_MONOTONIC || clockid == CLOCK_CPUTIME_ID)
    {
        rt_tick_t tick = rt_tick_get();
        tp->tv_sec = tick / RT_TICK_PER_SECOND;
        tp->tv_nsec = (long)(tick % RT_TICK_PER_SECOND) * (1000000000L / RT_TICK_PER_SECOND);
        return 0;
    }
    errno = -EINVAL;
    return -1;
}
