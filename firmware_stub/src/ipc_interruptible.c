/* RT-Thread 5.x's _interruptible forms of the blocking IPC calls: a wait that a signal may end
 * with -RT_EINTR. Every wait of this kernel is one already (svc_signal.py: a signal sent to a
 * blocked thread wakes it with -RT_EINTR and runs its handler), so each form is its plain call
 * under RT-Thread's name. The _killable forms, which only a fatal signal may end, are not
 * offered (docs/exports.md). */
#include <rtthread.h>

rt_err_t rt_sem_take_interruptible(rt_sem_t sem, rt_int32_t timeout)
{
    return rt_sem_take(sem, timeout);
}

rt_err_t rt_mutex_take_interruptible(rt_mutex_t mutex, rt_int32_t time)
{
    return rt_mutex_take(mutex, time);
}

rt_err_t rt_event_recv_interruptible(rt_event_t event, rt_uint32_t set, rt_uint8_t opt,
                                     rt_int32_t timeout, rt_uint32_t *recved)
{
    return rt_event_recv(event, set, opt, timeout, recved);
}

rt_err_t rt_mb_send_wait_interruptible(rt_mailbox_t mb, rt_ubase_t value, rt_int32_t timeout)
{
    return rt_mb_send_wait(mb, value, timeout);
}

rt_err_t rt_mb_recv_interruptible(rt_mailbox_t mb, rt_ubase_t *value, rt_int32_t timeout)
{
    return rt_mb_recv(mb, value, timeout);
}

rt_err_t rt_mq_send_wait_interruptible(rt_mq_t mq, const void *buffer, rt_size_t size,
                                       rt_int32_t timeout)
{
    return rt_mq_send_wait(mq, buffer, size, timeout);
}

rt_ssize_t rt_mq_recv_interruptible(rt_mq_t mq, void *buffer, rt_size_t size, rt_int32_t timeout)
{
    return rt_mq_recv(mq, buffer, size, timeout);
}
