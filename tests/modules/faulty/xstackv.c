/* A program another one (xstack) starts alongside itself: its thread 'worker' waits on a
 * mailbox, a message queue and an event in turn, each received into a local of its own
 * stack, and publishes where those locals are. xstack either sends it one of each (the
 * kernel writes them into the blocked worker's stack) or aims a wild write at the worker's
 * `sentinel`, its argv[0] or its libc state (struct _reent, which it publishes too). It
 * reports what it received, whether the sentinel and its reent are still its own, and its
 * argv[0]. */
#include <rtthread.h>
#include <reent.h>           /* declares _impure_ptr: the running thread's reent */

rt_mailbox_t xstackv_mb;
rt_mq_t xstackv_mq;
rt_event_t xstackv_event;
volatile rt_uint32_t *xstackv_sentinel;     /* a local of 'worker', set once it waits */
char **xstackv_argv;                        /* main's argv, above its stack's top */
struct _reent *xstackv_reent;               /* the reent of 'worker', set before sentinel */
static volatile int done;

static void worker(void *parameter)
{
    volatile rt_uint32_t sentinel = 0x5a5a5a5a;
    rt_ubase_t mail = 0;
    char message[8] = "";
    rt_uint32_t events = 0;
    rt_err_t mb, ev;
    rt_ssize_t mq;

    __FILE *in = _impure_ptr->_stdin;

    (void)parameter;
    xstackv_reent = _impure_ptr;
    xstackv_sentinel = &sentinel;
    mb = rt_mb_recv(xstackv_mb, &mail, 50);
    mq = rt_mq_recv(xstackv_mq, message, sizeof message, 50);
    ev = rt_event_recv(xstackv_event, 0x6, RT_EVENT_FLAG_OR | RT_EVENT_FLAG_CLEAR, 50, &events);
    rt_kprintf("worker mb %d 0x%x mq %d '%s' event %d 0x%x sentinel %s\n", (int)mb,
               (unsigned)mail, (int)mq, mq > 0 ? message : "", (int)ev, (unsigned)events,
               sentinel == 0x5a5a5a5a ? "intact" : "damaged");
    rt_kprintf("worker reent %s\n", xstackv_reent == _impure_ptr && _impure_ptr->_stdin == in
               ? "intact" : "damaged");
    done = 1;
}

int main(int argc, char **argv)
{
    rt_thread_t thread;

    xstackv_argv = argv;
    xstackv_mb = rt_mb_create("xsmb", 4, RT_IPC_FLAG_FIFO);
    xstackv_mq = rt_mq_create("xsmq", 8, 2, RT_IPC_FLAG_FIFO);
    xstackv_event = rt_event_create("xsev", RT_IPC_FLAG_FIFO);
    thread = rt_thread_create("worker", worker, RT_NULL, 1024, 10, 10);
    if (!xstackv_mb || !xstackv_mq || !xstackv_event || !thread)
        return 2;
    rt_thread_startup(thread);
    while (!done)
        rt_thread_mdelay(1);
    rt_mb_delete(xstackv_mb);
    rt_mq_delete(xstackv_mq);
    rt_event_delete(xstackv_event);
    rt_kprintf("argv[0] %s\n", argc > 0 ? argv[0] : "");
    return 0;
}
