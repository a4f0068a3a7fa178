/* Event flags: one thread waits for bits 0 AND 1 (clearing them), one for bit 2 OR bit 3;
 * main sends the bits one by one, 10 ticks apart. */
#include <rtthread.h>

static rt_event_t ev;
static rt_sem_t done;

static void wait_and(void *parameter)
{
    rt_uint32_t got = 0;
    rt_err_t r = rt_event_recv(ev, 0x3, RT_EVENT_FLAG_AND | RT_EVENT_FLAG_CLEAR,
                               RT_WAITING_FOREVER, &got);
    rt_kprintf("and: %d, received 0x%x at tick %d\n", (int)r, (unsigned)got, (int)rt_tick_get());
    rt_sem_release(done);
}

static void wait_or(void *parameter)
{
    rt_uint32_t got = 0;
    rt_err_t r = rt_event_recv(ev, 0xC, RT_EVENT_FLAG_OR, RT_WAITING_FOREVER, &got);
    rt_kprintf("or: %d, received 0x%x at tick %d\n", (int)r, (unsigned)got, (int)rt_tick_get());
    rt_sem_release(done);
}

int main(int argc, char *argv[])
{
    static const rt_uint32_t bits[] = { 0x1, 0x8, 0x2 };
    rt_uint32_t got = 0;
    int i;

    ev = rt_event_create("ev", RT_IPC_FLAG_PRIO);
    done = rt_sem_create("done", 0, RT_IPC_FLAG_FIFO);
    rt_thread_startup(rt_thread_create("and", wait_and, RT_NULL, 2048, 10, 10));
    rt_thread_startup(rt_thread_create("or", wait_or, RT_NULL, 2048, 10, 10));
    for (i = 0; i < 3; i++) {
        rt_thread_mdelay(10);
        rt_kprintf("main: send 0x%x\n", (unsigned)bits[i]);
        rt_event_send(ev, bits[i]);
    }
    rt_sem_take(done, RT_WAITING_FOREVER);
    rt_sem_take(done, RT_WAITING_FOREVER);
    rt_kprintf("main: left set: recv 0x8 now: %d got 0x%x; recv 0x1 with no wait: %d\n",
               (int)rt_event_recv(ev, 0x8, RT_EVENT_FLAG_OR, 0, &got), (unsigned)got,
               (int)rt_event_recv(ev, 0x1, RT_EVENT_FLAG_OR, 0, RT_NULL));
    return 0;
}
