/* Data queues (<ipc/dataqueue.h>): a ring of (pointer, size) items in an rt_malloc'd array,
 * init is RTDL_CALLER_HEAP, so the array is the calling module's and is
 * reclaimed when it ends. A thread that must
 * wait - pushing into a full queue, popping from an empty one - hangs a waiter on the
 * queue's push or pop list and blocks on the waiter's completion (src/completion.c, the
 * kernel's suspend and tick sleep), so waits time out, show in deadlock reports and end with
 * the module. The waiter lives on the waiting thread's stack. As in RT-Thread, a push wakes
 * one popper, a pop that leaves lwm items or fewer wakes one pusher, and reset wakes all
 * with -RT_ERROR. The queue state is changed with interrupts masked (this kernel's scheduler
 * lock, kept by a thread while it blocks). No static data. */
#include <rthw.h>
#include <rtthread.h>
#include <ipc/completion.h>
#include <ipc/dataqueue.h>
#include "rtdl_services.h"

#define DATAQUEUE_MAGIC 0xbead0e0eu

struct rt_data_item
{
    const void *data_ptr;
    rt_size_t data_size;
};

struct dq_waiter
{
    rt_list_t node;                 /* first member: a list node is its waiter */
    struct rt_completion woken;
    rt_err_t result;
};

/* Block on `list` until woken or `timeout` ticks after `start`; called with the queue
 * locked. Returns the waker's result, or -RT_ETIMEOUT. */
static rt_err_t wait_on(rt_list_t *list, rt_tick_t start, rt_int32_t timeout)
{
    struct dq_waiter waiter;
    rt_int32_t left = timeout;
    rt_err_t result;

    if (timeout > 0)
    {
        rt_tick_t spent = rt_tick_get() - start;
        if (spent >= (rt_tick_t)timeout)
            return -RT_ETIMEOUT;
        left = (rt_int32_t)((rt_tick_t)timeout - spent);
    }
    waiter.result = RT_EOK;
    rt_completion_init(&waiter.woken);
    rt_list_insert_before(list, &waiter.node);
    result = rt_completion_wait(&waiter.woken, left);
    rt_list_remove(&waiter.node);
    return result == RT_EOK ? waiter.result : result;
}

static void wake_first(rt_list_t *list, rt_err_t result)
{
    struct dq_waiter *waiter;
    if (rt_list_isempty(list))
        return;
    waiter = (struct dq_waiter *)list->next;
    rt_list_remove(&waiter->node);
    waiter->result = result;
    rt_completion_done(&waiter->woken);
}

static rt_uint16_t held(const struct rt_data_queue *queue)
{
    if (queue->is_empty)
        return 0;
    if (queue->put_index > queue->get_index)
        return queue->put_index - queue->get_index;
    return queue->size + queue->put_index - queue->get_index;
}

RTDL_CALLER_HEAP rt_err_t rt_data_queue_init(struct rt_data_queue *queue, rt_uint16_t size, rt_uint16_t lwm,
                            void (*evt_notify)(struct rt_data_queue *queue, rt_uint32_t event))
{
    RT_ASSERT(queue != RT_NULL);
    RT_ASSERT(size > 0);
    queue->evt_notify = evt_notify;
    queue->magic = DATAQUEUE_MAGIC;
    queue->size = size;
    queue->lwm = lwm;
    queue->get_index = 0;
    queue->put_index = 0;
    queue->is_empty = 1;
    queue->is_full = 0;
    rt_spin_lock_init(&queue->spinlock);
    rt_list_init(&queue->suspended_push_list);
    rt_list_init(&queue->suspended_pop_list);
    queue->queue = (struct rt_data_item *)rt_malloc(sizeof(struct rt_data_item) * size);
    return queue->queue == RT_NULL ? -RT_ENOMEM : RT_EOK;
}

rt_err_t rt_data_queue_push(struct rt_data_queue *queue, const void *data_ptr,
                            rt_size_t data_size, rt_int32_t timeout)
{
    rt_base_t level;
    rt_tick_t start = rt_tick_get();
    rt_err_t result = RT_EOK;

    RT_ASSERT(queue != RT_NULL);
    RT_ASSERT(queue->magic == DATAQUEUE_MAGIC);
    level = rt_hw_interrupt_disable();
    while (queue->is_full)
    {
        result = timeout == 0 ? -RT_ETIMEOUT
                              : wait_on(&queue->suspended_push_list, start, timeout);
        if (result != RT_EOK)
        {
            rt_hw_interrupt_enable(level);
            return result;
        }
    }
    queue->queue[queue->put_index].data_ptr = data_ptr;
    queue->queue[queue->put_index].data_size = data_size;
    queue->put_index = queue->put_index + 1 == queue->size ? 0 : queue->put_index + 1;
    queue->is_empty = 0;
    if (queue->put_index == queue->get_index)
        queue->is_full = 1;
    wake_first(&queue->suspended_pop_list, RT_EOK);
    rt_hw_interrupt_enable(level);
    if (queue->evt_notify != RT_NULL)
        queue->evt_notify(queue, RT_DATAQUEUE_EVENT_PUSH);
    return RT_EOK;
}

rt_err_t rt_data_queue_pop(struct rt_data_queue *queue, const void **data_ptr,
                           rt_size_t *size, rt_int32_t timeout)
{
    rt_base_t level;
    rt_tick_t start = rt_tick_get();
    rt_err_t result = RT_EOK;
    int low;

    RT_ASSERT(queue != RT_NULL);
    RT_ASSERT(queue->magic == DATAQUEUE_MAGIC);
    RT_ASSERT(data_ptr != RT_NULL);
    RT_ASSERT(size != RT_NULL);
    level = rt_hw_interrupt_disable();
    while (queue->is_empty)
    {
        result = timeout == 0 ? -RT_ETIMEOUT
                              : wait_on(&queue->suspended_pop_list, start, timeout);
        if (result != RT_EOK)
        {
            rt_hw_interrupt_enable(level);
            return result;
        }
    }
    *data_ptr = queue->queue[queue->get_index].data_ptr;
    *size = queue->queue[queue->get_index].data_size;
    queue->get_index = queue->get_index + 1 == queue->size ? 0 : queue->get_index + 1;
    queue->is_full = 0;
    if (queue->put_index == queue->get_index)
        queue->is_empty = 1;
    low = held(queue) <= queue->lwm;
    if (low)
        wake_first(&queue->suspended_push_list, RT_EOK);
    rt_hw_interrupt_enable(level);
    /* RT-Thread reports a pop that reaches the low-water mark as LWM instead of POP */
    if (queue->evt_notify != RT_NULL)
        queue->evt_notify(queue, low ? RT_DATAQUEUE_EVENT_LWM : RT_DATAQUEUE_EVENT_POP);
    return RT_EOK;
}

rt_err_t rt_data_queue_peek(struct rt_data_queue *queue, const void **data_ptr,
                            rt_size_t *size)
{
    rt_base_t level;

    RT_ASSERT(queue != RT_NULL);
    RT_ASSERT(queue->magic == DATAQUEUE_MAGIC);
    level = rt_hw_interrupt_disable();
    if (queue->is_empty)
    {
        rt_hw_interrupt_enable(level);
        return -RT_EEMPTY;
    }
    *data_ptr = queue->queue[queue->get_index].data_ptr;
    *size = queue->queue[queue->get_index].data_size;
    rt_hw_interrupt_enable(level);
    return RT_EOK;
}

void rt_data_queue_reset(struct rt_data_queue *queue)
{
    rt_base_t level;

    RT_ASSERT(queue != RT_NULL);
    RT_ASSERT(queue->magic == DATAQUEUE_MAGIC);
    level = rt_hw_interrupt_disable();
    queue->get_index = 0;
    queue->put_index = 0;
    queue->is_empty = 1;
    queue->is_full = 0;
    while (!rt_list_isempty(&queue->suspended_pop_list))
        wake_first(&queue->suspended_pop_list, -RT_ERROR);
    while (!rt_list_isempty(&queue->suspended_push_list))
        wake_first(&queue->suspended_push_list, -RT_ERROR);
    rt_hw_interrupt_enable(level);
}

rt_err_t rt_data_queue_deinit(struct rt_data_queue *queue)
{
    RT_ASSERT(queue != RT_NULL);
    RT_ASSERT(queue->magic == DATAQUEUE_MAGIC);
    rt_data_queue_reset(queue);
    queue->magic = 0;
    rt_free(queue->queue);
    queue->queue = RT_NULL;
    return RT_EOK;
}

rt_uint16_t rt_data_queue_len(struct rt_data_queue *queue)
{
    rt_base_t level;
    rt_uint16_t len;

    RT_ASSERT(queue != RT_NULL);
    RT_ASSERT(queue->magic == DATAQUEUE_MAGIC);
    level = rt_hw_interrupt_disable();
    len = held(queue);
    rt_hw_interrupt_enable(level);
    return len;
}
