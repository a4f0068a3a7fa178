/* newlib's <sys/time.h> with what RT-Thread's (components/libc/compilers/common/include/
 * sys/time.h) adds for newlib builds: the clock ids and clock_gettime/clock_getres, which
 * newlib declares only for POSIX-timer targets. Values are RT-Thread's. */
#ifndef __RTDL_SYS_TIME_H__
#define __RTDL_SYS_TIME_H__
#include_next <sys/time.h>
#include <time.h>

#ifdef __cplusplus
extern "C" {
#endif

#ifndef CLOCK_REALTIME
#define CLOCK_REALTIME      1
#endif
#define CLOCK_CPUTIME_ID    2
#ifndef CLOCK_PROCESS_CPUTIME_ID
#define CLOCK_PROCESS_CPUTIME_ID CLOCK_CPUTIME_ID
#endif
#ifndef CLOCK_THREAD_CPUTIME_ID
#define CLOCK_THREAD_CPUTIME_ID  CLOCK_CPUTIME_ID
#endif
#ifndef CLOCK_MONOTONIC
#define CLOCK_MONOTONIC     4
#endif

int clock_getres(clockid_t clockid, struct timespec *res);
int clock_gettime(clockid_t clockid, struct timespec *tp);
/* what RT-Thread's libc adds beside them */
time_t timegm(struct tm *tm);
int nanosleep(const struct timespec *rqtp, struct timespec *rmtp);
int rt_timespec_to_tick(const struct timespec *abstime);

#ifdef __cplusplus
}
#endif

#endif
