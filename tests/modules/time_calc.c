/* timegm, rt_timespec_to_tick and rt_strerror, whose results the host computes too. */
#include <stdio.h>
#include <sys/time.h>
#include <time.h>

#include <rtthread.h>

static void show_timegm(int year, int mon, int mday, int hour, int min, int sec)
{
    struct tm tm = { 0 };
    time_t t;
    tm.tm_year = year - 1900;
    tm.tm_mon = mon;
    tm.tm_mday = mday;
    tm.tm_hour = hour;
    tm.tm_min = min;
    tm.tm_sec = sec;
    t = timegm(&tm);
    printf("timegm %lld -> %04d-%02d-%02d %02d:%02d:%02d wday %d yday %d\n", (long long)t,
           tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
           tm.tm_wday, tm.tm_yday);
}

int main(void)
{
    struct timeval now;
    struct timespec past, later;
    static const rt_err_t codes[] = { RT_EOK, -RT_ETIMEOUT, RT_EINVAL, -RT_ENOENT, -99 };
    unsigned int i;

    show_timegm(1970, 0, 1, 0, 0, 0);
    show_timegm(2001, 8, 9, 1, 46, 40);
    show_timegm(2024, 1, 29, 12, 0, 0);
    show_timegm(2023, 13, 1, 0, 0, 0);          /* month 13 of 2023 is February 2024 */
    show_timegm(2000, 0, 0, 24, 0, -1);         /* day 0, hour 24, second -1 */
    show_timegm(1969, 11, 31, 23, 59, 59);
    show_timegm(2100, 2, 1, 0, 0, 0);

    gettimeofday(&now, NULL);
    past.tv_sec = now.tv_sec - 5;
    past.tv_nsec = 0;
    later.tv_sec = now.tv_sec + 100;
    later.tv_nsec = now.tv_usec * 1000L;
    printf("to_tick past %d null %d later %d\n", rt_timespec_to_tick(&past),
           rt_timespec_to_tick(NULL), rt_timespec_to_tick(&later));

    for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
        printf("strerror %d %s\n", (int)codes[i], rt_strerror(codes[i]));
    return 0;
}
