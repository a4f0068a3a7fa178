/* ipc/completion.h - one thread waits until another says "done". One word, as in RT-Thread
 * 5.x: bit 0 is the done flag, the rest the waiting thread (thread blocks are word-aligned).
 * A module built against the older three-field layout reserves more and still fits.
 * One waiter at a time; waiting blocks in the kernel (src/completion.c). */
#ifndef COMPLETION_H_
#define COMPLETION_H_

#include <rtdef.h>
#include <rtconfig.h>

struct rt_completion
{
    rt_atomic_t susp_thread_n_flag;
};

#define RT_COMPLETION_INIT(comp) {0}

#ifdef __cplusplus
extern "C" {
#endif

void rt_completion_init(struct rt_completion *completion);
rt_err_t rt_completion_wait(struct rt_completion *completion, rt_int32_t timeout);
void rt_completion_done(struct rt_completion *completion);

#ifdef __cplusplus
}
#endif

#endif /* COMPLETION_H_ */
