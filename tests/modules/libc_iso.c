/* Two programs whose threads take turns with libc state held across the turn - strtok's
 * position, rand's seed, errno, a %f conversion (dtoa's buffers) - each must find its own
 * (each thread has its own newlib reent: tests/test_containment_libcstate.py). argv[1] is
 * the tag; with argv[2] the program first starts that module with the tag "b" alongside. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dlmodule.h>
#include <rtthread.h>

#define STEPS 3

int main(int argc, char **argv)
{
    const char *tag = argc > 1 ? argv[1] : "a";
    int base = tag[0] == 'a' ? 10 : 20;
    char text[32], cmd[96], line[128], *token;
    int rands[STEPS], i, used, errno_ok = 1, rand_ok = 1;

    snprintf(text, sizeof text, "%s1 %s2 %s3", tag, tag, tag);
    if (argc > 2) {
        snprintf(cmd, sizeof cmd, "%s b", argv[2]);
        if (!dlmodule_exec(argv[2], cmd, strlen(cmd)))
            return 2;
    }
    srand(base);
    /* printed as one line at the end: the two programs share stdout */
    used = snprintf(line, sizeof line, "%s:", tag);
    for (i = 0; i < STEPS; i++) {
        token = strtok(i == 0 ? text : NULL, " ");
        rands[i] = rand();
        errno = base + i;
        rt_thread_mdelay(1);                         /* the other program's turn */
        if (errno != base + i || rt_get_errno() != base + i)
            errno_ok = 0;
        used += snprintf(line + used, sizeof line - used, " %s %.2f",
                         token ? token : "(null)", base + i + 0.25);
    }
    srand(base);
    for (i = 0; i < STEPS; i++)
        if (rand() != rands[i])
            rand_ok = 0;
    printf("%s rand %s errno %s\n", line, rand_ok ? "ok" : "mixed", errno_ok ? "ok" : "mixed");
    if (argc > 2)
        rt_thread_mdelay(10);                        /* b ends first */
    return rand_ok && errno_ok ? 0 : 3;
}
