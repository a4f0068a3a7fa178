/* A program another one (xwrite) starts alongside itself and then aims a wild write at: it
 * waits a while and reports whether its data is still its own. */
#include <rtthread.h>

int victim_value = 42;
int victim_zero;

int main(void)
{
    for (int i = 0; i < 10; i++)
        rt_thread_mdelay(1);
    victim_zero += 1;
    rt_kprintf("victim %d %d\n", victim_value, victim_zero);
    return victim_value == 42 && victim_zero == 1 ? 0 : 5;
}
