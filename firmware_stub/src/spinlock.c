/* Spin locks for modules written against RT-Thread 5.x, whose single-core build exports them:
 * with one core nothing spins; holding a lock is holding the scheduler lock (no other thread
 * runs), and the _irqsave pair masks interrupts as well. The lock word is not used. */
#include <rthw.h>
#include <rtthread.h>

void rt_spin_lock_init(struct rt_spinlock *lock)
{
    (void)lock;
}

void rt_spin_lock(struct rt_spinlock *lock)
{
    (void)lock;
    rt_enter_critical();
}

void rt_spin_unlock(struct rt_spinlock *lock)
{
    (void)lock;
    rt_exit_critical();
}

rt_base_t rt_spin_lock_irqsave(struct rt_spinlock *lock)
{
    (void)lock;
    return rt_hw_interrupt_disable();
}

void rt_spin_unlock_irqrestore(struct rt_spinlock *lock, rt_base_t level)
{
    (void)lock;
    rt_hw_interrupt_enable(level);
}
