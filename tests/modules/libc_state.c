/* Uses the parts of libc whose state lives in the firmware's writable data (the reentrancy
 * structure with stdio, errno, rand and strtok; the time zone): after a module faulted on
 * the read-only firmware variables, all of it must still work. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int main(void)
{
    char text[] = "a,b,c";
    char stamp[32];
    struct tm when = {0};
    FILE *missing;

    errno = 0;
    strtol("99999999999999999999", 0, 10);
    printf("errno %s\n", errno == ERANGE ? "ERANGE" : "wrong");
    missing = fopen("/no/such/file", "r");
    printf("fopen %s\n", missing == NULL && errno != 0 ? "failed as expected" : "wrong");
    srand(7);
    printf("rand %s\n", rand() == rand() ? "stuck" : "varies");
    printf("strtok %s", strtok(text, ","));
    printf(" %s\n", strtok(NULL, ","));
    when.tm_year = 100;
    when.tm_mday = 1;
    printf("mktime %ld\n", (long)mktime(&when));
    strftime(stamp, sizeof stamp, "%Y-%m-%d", gmtime(&(time_t){86400}));
    printf("strftime %s\n", stamp);
    fprintf(stdout, "fprintf %d\n", 42);
    fflush(stdout);
    return 0;
}
