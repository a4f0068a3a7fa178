/* Hooks whose code faults, by argv[1]: the fault ends this module, its line naming the module
 * once, then the hook's context, then what the CPU found:
 *   idle   an idle hook that is a wild function pointer
 *   sched  a scheduler hook that stores through NULL
 *   timer  a hard timer whose callback is a wild function pointer */
#include <rtthread.h>
#include <string.h>

static void sched_hook(struct rt_thread *from, struct rt_thread *to)
{
    (void)from;
    (void)to;
    *(volatile int *)0 = 0;
}

int main(int argc, char **argv)
{
    const char *what = argc > 1 ? argv[1] : "";
    if (!strcmp(what, "idle"))
        rt_thread_idle_sethook((void (*)(void))0x30000001);
    else if (!strcmp(what, "sched"))
        rt_scheduler_sethook(sched_hook);
    else if (!strcmp(what, "timer"))
        rt_timer_start(rt_timer_create("wild", (void (*)(void *))0x30000001, RT_NULL, 5,
                                       RT_TIMER_FLAG_ONE_SHOT));
    rt_thread_mdelay(50);
    rt_kprintf("hook_fault: not reached\n");
    return 0;
}
