/* A library with threads of its own, as a service a firmware keeps loaded: 'beat' wakes
 * every 10 ticks and counts, 'server' waits for ever for a request in reslib_requests and
 * answers twice the value in reslib_replies (built with RESLIB_SERVER_ONLY: no 'beat').
 * Programs run against it while it stays loaded (tests/test_residents.py). */
#include <rtthread.h>

rt_mailbox_t reslib_requests;
rt_mailbox_t reslib_replies;
static volatile int beats;

int reslib_beats(void)
{
    return beats;
}

static void beat(void *parameter)
{
    (void)parameter;
    for (;;) {
        rt_thread_mdelay(10);
        beats++;
    }
}

static void server(void *parameter)
{
    rt_ubase_t value;
    (void)parameter;
    while (rt_mb_recv(reslib_requests, &value, RT_WAITING_FOREVER) == RT_EOK)
        rt_mb_send(reslib_replies, value * 2);
}

__attribute__((constructor)) static void start(void)
{
    rt_thread_t one, two;
    reslib_requests = rt_mb_create("rsreq", 4, RT_IPC_FLAG_FIFO);
    reslib_replies = rt_mb_create("rsrep", 4, RT_IPC_FLAG_FIFO);
    two = rt_thread_create("server", server, RT_NULL, 1024, 11, 10);
#ifndef RESLIB_SERVER_ONLY
    one = rt_thread_create("beat", beat, RT_NULL, 1024, 12, 10);
    if (one)
        rt_thread_startup(one);
#else
    (void)one;
    (void)beat;
#endif
    if (reslib_requests && reslib_replies && two)
        rt_thread_startup(two);
}
