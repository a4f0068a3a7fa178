/* Producer/consumer between two threads of one module over a 2-entry mailbox: the producer
 * blocks when the box is full (rt_mb_send_wait), the consumer when it is empty (rt_mb_recv);
 * both have the main thread's priority, so the output order follows the blocking points.
 * A semaphore tells main that both have finished. */
#include <rtthread.h>

#define ITEMS 8

static rt_mailbox_t box;
static rt_sem_t done;

static void producer(void *parameter)
{
    int i;

    for (i = 1; i <= ITEMS; i++) {
        rt_mb_send_wait(box, (rt_ubase_t)(i * i), RT_WAITING_FOREVER);
        rt_kprintf("producer: sent %d\n", i * i);
    }
    rt_mb_send_wait(box, 0, RT_WAITING_FOREVER);       /* end marker */
    rt_sem_release(done);
}

static void consumer(void *parameter)
{
    rt_ubase_t value;
    int sum = 0;

    for (;;) {
        if (rt_mb_recv(box, &value, RT_WAITING_FOREVER) != RT_EOK) {
            rt_kprintf("consumer: rt_mb_recv failed\n");
            break;
        }
        if (value == 0)
            break;
        rt_kprintf("consumer: got %d\n", (int)value);
        sum += (int)value;
    }
    rt_kprintf("consumer: sum %d\n", sum);
    rt_sem_release(done);
}

int main(int argc, char *argv[])
{
    rt_thread_t p, c;
    rt_ubase_t value = 1;

    box = rt_mb_create("box", 2, RT_IPC_FLAG_FIFO);
    done = rt_sem_create("done", 0, RT_IPC_FLAG_PRIO);
    p = rt_thread_create("producer", producer, RT_NULL, 2048, 20, 1000);
    c = rt_thread_create("consumer", consumer, RT_NULL, 2048, 20, 1000);
    if (!box || !done || !p || !c) {
        rt_kprintf("thr_pc: create failed\n");
        return 1;
    }
    rt_thread_startup(p);
    rt_thread_startup(c);
    rt_sem_take(done, RT_WAITING_FOREVER);
    rt_sem_take(done, RT_WAITING_FOREVER);
    rt_kprintf("main: both finished; trytake now: %d, recv with no wait: %d\n",
               (int)rt_sem_trytake(done), (int)rt_mb_recv(box, &value, 0));
    rt_kprintf("main: send to a full box: %d %d %d\n", (int)rt_mb_send(box, 1),
               (int)rt_mb_send(box, 2), (int)rt_mb_send(box, 3));
    rt_kprintf("main: delete: %d %d\n", (int)rt_mb_delete(box), (int)rt_sem_delete(done));
    return 0;
}
