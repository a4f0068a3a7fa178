/* Completions (<ipc/completion.h>) over the kernel's own blocking calls: a waiter records
 * itself in the completion's word and sleeps in rt_thread_delay (a timed wait) or
 * rt_thread_suspend (for ever); rt_completion_done sets the flag and rt_thread_resume()s it.
 * So a wait shows in the kernel as a blocked thread - the deadlock check, the module's end
 * and fault reports all see it - and no memory is needed.
 * The check and the sleep happen with interrupts masked: on this kernel the mask is the
 * waiting thread's own scheduler lock, which it keeps while blocked and which stops anyone
 * else running between its check and its sleep, so a done cannot be lost. No static data. */
#include <rthw.h>
#include <rtthread.h>
#include <ipc/completion.h>

#define COMPLETION_DONE ((rt_atomic_t)1)

void rt_completion_init(struct rt_completion *completion)
{
    RT_ASSERT(completion != RT_NULL);
    completion->susp_thread_n_flag = 0;
}

rt_err_t rt_completion_wait(struct rt_completion *completion, rt_int32_t timeout)
{
    rt_base_t level;
    rt_thread_t self;
    rt_tick_t start;
    rt_err_t result = RT_EOK;

    RT_ASSERT(completion != RT_NULL);
    self = rt_thread_self();
    level = rt_hw_interrupt_disable();
    if (!(completion->susp_thread_n_flag & COMPLETION_DONE))
    {
        if (timeout == 0)
        {
            rt_hw_interrupt_enable(level);
            return -RT_ETIMEOUT;
        }
        /* one waiter at a time, as in RT-Thread */
        RT_ASSERT(completion->susp_thread_n_flag == 0);
        completion->susp_thread_n_flag = (rt_atomic_t)self;
        start = rt_tick_get();
        /* a stray rt_thread_resume (not from done) only makes us sleep the rest again */
        while (!(completion->susp_thread_n_flag & COMPLETION_DONE))
        {
            if (timeout < 0)
            {
                rt_thread_suspend(self);
            }
            else
            {
                rt_tick_t slept = rt_tick_get() - start;
                if (slept >= (rt_tick_t)timeout)
                {
                    result = -RT_ETIMEOUT;
                    break;
                }
                rt_thread_delay((rt_tick_t)timeout - slept);
            }
        }
    }
    /* a done is used up by the wait it ends */
    completion->susp_thread_n_flag = 0;
    rt_hw_interrupt_enable(level);
    return result;
}

void rt_completion_done(struct rt_completion *completion)
{
    rt_base_t level;
    rt_atomic_t word;

    RT_ASSERT(completion != RT_NULL);
    level = rt_hw_interrupt_disable();
    word = completion->susp_thread_n_flag;
    if (!(word & COMPLETION_DONE))
    {
        completion->susp_thread_n_flag = word | COMPLETION_DONE;
        if (word != 0)
            rt_thread_resume((rt_thread_t)word);
    }
    rt_hw_interrupt_enable(level);
}
