/* On one core a spin lock holds off every other thread: a higher-priority thread started
 * while the lock is held runs only once it is released. */
#include <stdio.h>

#include <rtthread.h>

static volatile int ran;
static struct rt_spinlock lock;

static void eager(void *parameter)
{
    (void)parameter;
    ran++;
}

static void start_eager(void)
{
    rt_thread_t t = rt_thread_create("eager", eager, RT_NULL, 1024, 5, 10);
    rt_thread_startup(t);
}

int main(void)
{
    rt_base_t level;
    int inside;

    rt_spin_lock_init(&lock);
    rt_spin_lock(&lock);
    start_eager();
    inside = ran;
    printf("spin_lock: critical level %d, eager ran %d inside", rt_critical_level(), inside);
    rt_spin_unlock(&lock);
    printf(", %d after; level %d\n", ran, rt_critical_level());

    level = rt_spin_lock_irqsave(&lock);
    start_eager();
    inside = ran;
    rt_spin_unlock_irqrestore(&lock, level);
    rt_thread_mdelay(1);
    printf("spin_lock_irqsave: eager ran %d inside, %d after\n", inside, ran);
    return 0;
}
