/* A library with a thread of its own, 'lworker', which its constructor starts: the thread
 * waits 50 ticks in rt_mb_recv with a local whose address it exports (xstlib_sentinel), for
 * xhstack.c to store into while it holds the library open and after it closed it; then it
 * ends, and the library stays loaded. */
#include <rtthread.h>

volatile rt_uint32_t *xstlib_sentinel;
static rt_mailbox_t box;

static void worker(void *parameter)
{
    volatile rt_uint32_t local = 0;
    rt_ubase_t mail;
    (void)parameter;
    xstlib_sentinel = &local;
    rt_mb_recv(box, &mail, 50);
    xstlib_sentinel = RT_NULL;
}

__attribute__((constructor)) static void start(void)
{
    rt_thread_t thread;
    box = rt_mb_create("xstb", 2, RT_IPC_FLAG_FIFO);
    thread = rt_thread_create("lworker", worker, RT_NULL, 1024, 10, 10);
    if (box && thread)
        rt_thread_startup(thread);
}
