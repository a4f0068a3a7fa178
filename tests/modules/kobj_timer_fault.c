/* A timer callback that faults is its module's fault (argv[1]: "soft" or "hard"). */
#include <rtthread.h>
#include <string.h>

static void bad(void *p)
{
    *(volatile int *)0x10000000 = 1;        /* unmapped */
}

int main(int argc, char **argv)
{
    int soft = argc > 1 && strcmp(argv[1], "soft") == 0;
    rt_timer_t t = rt_timer_create("bad", bad, RT_NULL, 3,
                                   soft ? RT_TIMER_FLAG_SOFT_TIMER : RT_TIMER_FLAG_HARD_TIMER);
    rt_timer_start(t);
    rt_thread_mdelay(10);
    rt_kprintf("not reached\n");
    return 0;
}
