/* Time for modules, as RT-Thread's libc (components/libc/compilers/common/ctime.c) gives it:
 * time(), gettimeofday() and clock_gettime(CLOCK_REALTIME) read the wall clock, which the
 * kernel takes from the host (__rtdl_time_now, svc_time.py) as RT-Thread reads its RTC;
 * CLOCK_MONOTONIC and CLOCK_CPUTIME_ID count the kernel's tick (RT_TICK_PER_SECOND), so
 * a run that only computes and sleeps reads the same values every time. clock() is the
 * tick too, in CLOCKS_PER_SEC. */
#include <errno.h>
#include <limits.h>
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

clock_t clock(void)
{
    return (clock_t)((unsigned long long)rt_tick_get() * CLOCKS_PER_SEC / RT_TICK_PER_SECOND);
}

/* Days from 1970-01-01 to year-month-day of the proleptic Gregorian calendar (month 1-12),
 * counting years from March so the leap day is the last day of a year. */
static long long days_from_epoch(long long year, int month, int day)
{
    long long era, yoe, doy;
    year -= month <= 2;
    era = (year >= 0 ? year : year - 399) / 400;
    yoe = year - era * 400;
    doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
}

/* The inverse of gmtime: fields out of range are carried (tm_mon 12 is January of the next
 * year), and *tm is rewritten normalised, with tm_wday and tm_yday, as mktime does. */
time_t timegm(struct tm *tm)
{
    long long year, mon, days, secs;
    time_t result;
    if (tm == NULL)
    {
        errno = -EFAULT;
        return (time_t)-1;
    }
    mon = tm->tm_mon;
    year = 1900LL + tm->tm_year + mon / 12;
    mon %= 12;
    if (mon < 0)
    {
        mon += 12;
        year -= 1;
    }
    days = days_from_epoch(year, (int)mon + 1, 1) + tm->tm_mday - 1;
    secs = days * 86400 + tm->tm_hour * 3600LL + tm->tm_min * 60LL + tm->tm_sec;
    result = (time_t)secs;
    gmtime_r(&result, tm);
    return result;
}

/* The ticks from now until the wall-clock time *abstime (a POSIX timed wait's deadline):
 * 0 once it has passed, RT_WAITING_FOREVER for no deadline. */
int rt_timespec_to_tick(const struct timespec *abstime)
{
    struct timeval now;
    long long nsec;
    if (abstime == NULL)
        return RT_WAITING_FOREVER;
    wall_clock(&now);
    nsec = ((long long)abstime->tv_sec - now.tv_sec) * 1000000000LL
           + abstime->tv_nsec - now.tv_usec * 1000LL;
    if (nsec <= 0)
        return 0;
    nsec = (nsec * RT_TICK_PER_SECOND + 999999999LL) / 1000000000LL;
    return nsec > INT_MAX ? INT_MAX : (int)nsec;
}
