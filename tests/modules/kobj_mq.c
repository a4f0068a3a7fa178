/* Message queues (RT-Thread 5.x): full and oversized sends, urgent messages, receives cut to
 * the buffer returning the length, timeouts, send_wait, deletion with a waiter, a static
 * queue in the module's pool and the object lookups. */
#include <rtthread.h>

static rt_mq_t mq;
static struct rt_messagequeue smq;
static rt_uint8_t pool[64];

static void drain(void *p)
{
    char buf[4];
    rt_thread_mdelay(10);
    rt_mq_recv(mq, buf, sizeof buf, RT_WAITING_FOREVER);
}

static void waiter(void *p)
{
    char buf[8];
    rt_kprintf("waiter: recv -> %d\n", (int)rt_mq_recv(mq, buf, sizeof buf, RT_WAITING_FOREVER));
}

int main(void)
{
    char buf[8] = {0};
    rt_tick_t t;

    mq = rt_mq_create("mq", 4, 2, RT_IPC_FLAG_FIFO);
    rt_kprintf("create: msg_size %d max_msgs %d entry %d type %d\n", mq->msg_size,
               mq->max_msgs, mq->entry, mq->parent.parent.type);
    rt_kprintf("send ab -> %d\n", (int)rt_mq_send(mq, "ab", 2));
    rt_kprintf("send cdef -> %d\n", (int)rt_mq_send(mq, "cdef", 4));
    rt_kprintf("send x (full) -> %d\n", (int)rt_mq_send(mq, "x", 1));
    rt_kprintf("urgent x (full) -> %d\n", (int)rt_mq_urgent(mq, "x", 1));
    rt_kprintf("entry %d\n", mq->entry);
    rt_kprintf("recv -> %d %s\n", (int)rt_mq_recv(mq, buf, sizeof buf, 0), buf);
    rt_memset(buf, 0, sizeof buf);
    rt_kprintf("recv into 2 bytes -> %d %s\n", (int)rt_mq_recv(mq, buf, 2, 0), buf);
    rt_kprintf("send 5 bytes (too long) -> %d\n", (int)rt_mq_send(mq, "12345", 5));
    rt_kprintf("recv empty -> %d\n", (int)rt_mq_recv(mq, buf, sizeof buf, 0));
    t = rt_tick_get();
    rt_kprintf("recv 5 ticks -> %d after %d ticks\n", (int)rt_mq_recv(mq, buf, sizeof buf, 5),
               (int)(rt_tick_get() - t));
    rt_mq_send(mq, "1", 1);
    rt_mq_urgent(mq, "2", 1);
    rt_memset(buf, 0, sizeof buf);
    rt_mq_recv(mq, buf, sizeof buf, 0);
    rt_mq_recv(mq, buf + 1, sizeof buf - 1, 0);
    rt_kprintf("urgent first: %s\n", buf);

    rt_mq_send(mq, "a", 1);
    rt_mq_send(mq, "b", 1);
    rt_thread_startup(rt_thread_create("drain", drain, RT_NULL, 1024, 25, 10));
    t = rt_tick_get();
    rt_kprintf("send_wait (full) -> %d after %d ticks\n",
               (int)rt_mq_send_wait(mq, "c", 1, 100), (int)(rt_tick_get() - t));
    t = rt_tick_get();
    rt_kprintf("send_wait 5 ticks (full) -> %d after %d ticks\n",
               (int)rt_mq_send_wait(mq, "d", 1, 5), (int)(rt_tick_get() - t));
    while (rt_mq_recv(mq, buf, sizeof buf, 0) > 0)
        ;
    rt_thread_startup(rt_thread_create("waiter", waiter, RT_NULL, 1024, 10, 10));
    rt_kprintf("delete -> %d\n", (int)rt_mq_delete(mq));

    rt_kprintf("init small pool -> %d\n", (int)rt_mq_init(&smq, "smq", pool, 4, 8,
                                                           RT_IPC_FLAG_FIFO));
    rt_kprintf("init -> %d\n", (int)rt_mq_init(&smq, "smq", pool, 4, sizeof pool,
                                                RT_IPC_FLAG_PRIO));
    rt_kprintf("static: name %s type 0x%x max_msgs %d\n", smq.parent.parent.name,
               smq.parent.parent.type, smq.max_msgs);
    rt_kprintf("find -> %d, type %d, system object %d\n",
               rt_object_find("smq", RT_Object_Class_MessageQueue) == &smq.parent.parent,
               rt_object_get_type(&smq.parent.parent),
               rt_object_is_systemobject(&smq.parent.parent));
    rt_mq_send(&smq, "s", 1);
    rt_kprintf("static entry %d\n", smq.entry);
    rt_kprintf("detach -> %d, find -> %d\n", (int)rt_mq_detach(&smq),
               rt_object_find("smq", RT_Object_Class_MessageQueue) != RT_NULL);
    /* left for the kernel to clean up with the module */
    mq = rt_mq_create("left", 8, 4, RT_IPC_FLAG_FIFO);
    rt_mq_send(mq, "kept", 4);
    return 0;
}
