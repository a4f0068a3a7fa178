/* time(), gettimeofday() and gmtime_r/strftime read the host clock; CLOCK_MONOTONIC counts the
 * kernel tick, so a 1500 ms delay reads exactly 1.5 s. */
#include <stdio.h>
#include <time.h>
#include <sys/time.h>
#include <rtthread.h>
int main(void)
{
    struct timeval tv; struct timespec a, b; char buf[40];
    time_t t = time(NULL);
    gettimeofday(&tv, NULL);
    clock_gettime(CLOCK_MONOTONIC, &a);
    rt_thread_mdelay(1500);
    clock_gettime(CLOCK_MONOTONIC, &b);
    struct tm tmv; gmtime_r(&t, &tmv);
    strftime(buf, sizeof buf, "%Y-%m-%d", &tmv);
    printf("time %ld tv %ld.%06ld mono %ld.%09ld -> %ld.%09ld date %s\n", (long)t, (long)tv.tv_sec, (long)tv.tv_usec, (long)a.tv_sec, a.tv_nsec, (long)b.tv_sec, b.tv_nsec, buf);
    return 0;
}
