/* Services asked for the largest ranges the heap and RAM allow, each repeated until the
 * budget runs out (argv[1] picks the service): every call is bounded by the RAM's size, so
 * the run's --timeout ends the module on time. */
#include <rtthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define SVC2(n, a, b) ({ register unsigned r0 __asm__("r0") = (unsigned)(a);              \
                         register unsigned r1 __asm__("r1") = (unsigned)(b);              \
                         __asm__ volatile("svc %2" : "+r"(r0) : "r"(r1), "i"(n) : "memory"); \
                         r0; })

int main(int argc, char *argv[])
{
    const char *what = argc > 1 ? argv[1] : "";
    rt_size_t total, used, max_used;
    void *last = 0;
    rt_memory_info(&total, &used, &max_used);
    if (!strcmp(what, "walk")) {
        /* thousands of blocks: every realloc checks each header of the heap */
        void *p;
        while ((p = rt_malloc(8)) != 0)
            last = p;
    }
    for (;;) {
        if (!strcmp(what, "walk")) {
            rt_realloc(last, 8);
        } else
        if (!strcmp(what, "pool")) {
            /* as many 4-byte blocks as the free heap holds */
            rt_mp_t mp = rt_mp_create("mp", (total - used) / 12, 4);
            if (mp)
                rt_mp_delete(mp);
        } else if (!strcmp(what, "queue")) {
            rt_mq_t mq = rt_mq_create("mq", 4, (total - used) / 16, 0);
            if (mq)
                rt_mq_delete(mq);
        } else if (!strcmp(what, "calloc")) {
            void *p = rt_calloc(1, total - used - 64);
            rt_free(p);
        } else if (!strcmp(what, "console")) {
            SVC2(SVC_CONSOLE_WRITE, 0x20000000, 0x7ffff);     /* all of RAM but a byte */
        } else {
            printf("huge: unknown case '%s'\n", what);
            return 2;
        }
    }
}
