/* An idle hook that faults (tests/test_rt_hooks.py): a store to address 0 from tidle0 is this
 * module's fault, and the module ends with nothing left of it. */
#include <rtthread.h>

static void bad_hook(void)
{
    *(volatile int *)0 = 1;
}

int main(void)
{
    rt_kprintf("hooks_fault: setting the hook\n");
    rt_thread_idle_sethook(bad_hook);
    rt_thread_mdelay(100);
    rt_kprintf("hooks_fault: not reached\n");
    return 0;
}
