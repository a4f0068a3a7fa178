/* Its idle hook and soft timer count in its own .bss while the program argv[1] runs
 * alongside: the idle thread and the timer thread run them as this module's code, so its
 * image is writable for them whichever module's thread ran last (imageprot.py). */
#include <rtthread.h>
#include <dlmodule.h>
#include <string.h>

static volatile int idle_calls;
static volatile int timer_calls;

static void on_idle(void)
{
    idle_calls++;
}

static void on_timer(void *parameter)
{
    timer_calls++;
}

int main(int argc, char **argv)
{
    if (argc < 2 || !dlmodule_exec(argv[1], argv[1], strlen(argv[1])))
        return 2;
    rt_thread_idle_sethook(on_idle);
    rt_timer_t timer = rt_timer_create("xtimer", on_timer, RT_NULL, 1,
                                       RT_TIMER_FLAG_PERIODIC | RT_TIMER_FLAG_SOFT_TIMER);
    rt_timer_start(timer);
    rt_thread_mdelay(20);
    rt_timer_stop(timer);
    rt_timer_delete(timer);
    rt_thread_idle_delhook(on_idle);
    rt_kprintf("hook %d timer %d\n", idle_calls > 0, timer_calls > 0);
    return 0;
}
