/* The calendar calls RT-Thread exports to modules beside gmtime: localtime, asctime and ctime
 * and their _r forms. With no TZ set, local time is UTC, so each line is checkable on the
 * host; the static results of localtime and asctime are the calling thread's own. */
#include <stdio.h>
#include <string.h>
#include <time.h>

int main(void)
{
    time_t t = 1000000000;
    struct tm mine;
    char buf[32];
    struct tm *shared = localtime(&t);
    printf("localtime %d-%02d-%02d %02d:%02d:%02d wday %d yday %d\n",
           shared->tm_year + 1900, shared->tm_mon + 1, shared->tm_mday, shared->tm_hour,
           shared->tm_min, shared->tm_sec, shared->tm_wday, shared->tm_yday);
    t += 86400;
    localtime_r(&t, &mine);
    printf("localtime_r mday %d, localtime's result kept mday %d\n", mine.tm_mday,
           shared->tm_mday);
    printf("asctime %s", asctime(&mine));
    printf("asctime_r %s", asctime_r(shared, buf));
    printf("ctime %s", ctime(&t));
    t += 3600;
    printf("ctime_r %s", ctime_r(&t, buf));
    return strlen(buf) == 25 ? 0 : 1;
}
