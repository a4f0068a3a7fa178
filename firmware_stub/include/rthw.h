/* rthw.h - the CPU port interface RT-Thread sources use from threads: masking interrupts.
 * On rtdl's emulated Cortex-M a disable/enable pair is a critical section (no other thread
 * runs and the tick does not preempt until the matching enable); levels nest. */
#ifndef __RT_HW_H__
#define __RT_HW_H__

#include <rtthread.h>

#ifdef __cplusplus
extern "C" {
#endif

rt_base_t rt_hw_interrupt_disable(void);        /* -> level to give back to enable */
void rt_hw_interrupt_enable(rt_base_t level);

void rt_interrupt_enter(void);
void rt_interrupt_leave(void);
rt_uint8_t rt_interrupt_get_nest(void);

#define RT_DEFINE_SPINLOCK(x)
#define RT_DECLARE_SPINLOCK(x)
#define rt_hw_spin_lock(lock)       *(lock) = rt_hw_interrupt_disable()
#define rt_hw_spin_unlock(lock)     rt_hw_interrupt_enable(*(lock))

#ifdef __cplusplus
}
#endif

#endif /* __RT_HW_H__ */
