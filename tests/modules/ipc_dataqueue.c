/* Data queues of <ipc/dataqueue.h>: a queue of 4 items with low-water mark 1. A producer of
 * higher priority than main pushes 7 items and blocks when the queue is full (the high-water
 * mark); main's pops wake it only once they leave 1 item or fewer. Then peek, len, the zero
 * and timed timeouts, a reset that wakes a blocked popper with -RT_ERROR, and the events
 * evt_notify heard. With "leak" the queue is left initialised for the kernel to reclaim. */
#include <string.h>
#include <rtdevice.h>

static struct rt_data_queue queue;
static struct rt_completion producer_done, popper_done;
static const int items[8] = {10, 11, 12, 13, 14, 15, 16, 17};
static char events[64];
static int n_events;

static void notify(struct rt_data_queue *q, rt_uint32_t event)
{
    if (q == &queue && n_events < (int)sizeof(events) - 1)
        events[n_events++] = "?opL"[event & 3];
}

static void producer(void *parameter)
{
    int i;
    for (i = 0; i < 7; i++)
    {
        rt_err_t r = rt_data_queue_push(&queue, &items[i], sizeof(int) * (i + 1),
                                        RT_WAITING_FOREVER);
        rt_kprintf("push %d -> %d len %d\n", items[i], (int)r, rt_data_queue_len(&queue));
    }
    rt_completion_done(&producer_done);
}

static void popper(void *parameter)
{
    const void *p;
    rt_size_t size;
    rt_err_t r = rt_data_queue_pop(&queue, &p, &size, RT_WAITING_FOREVER);
    rt_kprintf("blocked pop -> %d\n", (int)r);
    rt_completion_done(&popper_done);
}

static void pop_one(const char *who, rt_int32_t timeout)
{
    const void *p = RT_NULL;
    rt_size_t size = 0;
    rt_err_t r = rt_data_queue_pop(&queue, &p, &size, timeout);
    if (r == RT_EOK)
        rt_kprintf("%s pop %d size %d len %d\n", who, *(const int *)p, (int)size,
                   rt_data_queue_len(&queue));
    else
        rt_kprintf("%s pop -> %d\n", who, (int)r);
}

int main(int argc, char *argv[])
{
    const void *p;
    rt_size_t size;
    rt_tick_t start;
    rt_err_t r;
    int i;

    rt_completion_init(&producer_done);
    rt_completion_init(&popper_done);
    r = rt_data_queue_init(&queue, 4, 1, notify);
    rt_kprintf("init %d len %d peek %d\n", (int)r, rt_data_queue_len(&queue),
               (int)rt_data_queue_peek(&queue, &p, &size));
    if (argc > 1 && strcmp(argv[1], "leak") == 0)
        return 4;

    rt_thread_startup(rt_thread_create("producer", producer, RT_NULL, 1024, 5, 10));
    rt_kprintf("main: producer blocked, len %d\n", rt_data_queue_len(&queue));
    r = rt_data_queue_peek(&queue, &p, &size);
    rt_kprintf("peek %d -> %d size %d len %d\n", *(const int *)p, (int)r, (int)size,
               rt_data_queue_len(&queue));
    for (i = 0; i < 7; i++)
        pop_one("main", RT_WAITING_FOREVER);
    rt_kprintf("producer done %d\n", (int)rt_completion_wait(&producer_done, 0));
    pop_one("empty", 0);
    start = rt_tick_get();
    pop_one("timed", 15);
    rt_kprintf("timed pop waited %d ticks\n", (int)(rt_tick_get() - start));

    for (i = 0; i < 4; i++)
        rt_data_queue_push(&queue, &items[i], 1, 0);
    rt_kprintf("full push -> %d\n", (int)rt_data_queue_push(&queue, &items[4], 1, 0));
    start = rt_tick_get();
    r = rt_data_queue_push(&queue, &items[4], 1, 12);
    rt_kprintf("timed push -> %d after %d ticks len %d\n", (int)r,
               (int)(rt_tick_get() - start), rt_data_queue_len(&queue));
    rt_data_queue_reset(&queue);
    rt_kprintf("reset len %d peek %d\n", rt_data_queue_len(&queue),
               (int)rt_data_queue_peek(&queue, &p, &size));

    rt_thread_startup(rt_thread_create("popper", popper, RT_NULL, 1024, 5, 10));
    rt_kprintf("main: popper blocked\n");
    rt_data_queue_reset(&queue);
    rt_kprintf("popper done %d\n", (int)rt_completion_wait(&popper_done, 100));
    events[n_events] = 0;
    rt_kprintf("events %s\n", events);
    rt_kprintf("deinit %d\n", (int)rt_data_queue_deinit(&queue));
    return 0;
}
