/* RT-Thread 5.x's _interruptible waits (tests/test_rt_signals.py): each blocks like its plain
 * call, a signal ends it with -RT_EINTR after its handler ran, and it returns what the plain
 * call returns when what it waits for comes. One waiter thread goes through all seven; main
 * signals it while it waits, then once more lets each succeed. */
#include <rtthread.h>
#include <signal.h>

static volatile int handled;
static rt_sem_t sem;
static rt_mutex_t mutex;
static rt_event_t event;
static rt_mailbox_t full_mb, empty_mb;
static rt_mq_t full_mq, empty_mq;
static rt_sem_t turn;

static void on_signal(int signo)
{
    (void)signo;
    handled++;
}

static void waiter(void *parameter)
{
    rt_uint32_t recved = 0;
    rt_ubase_t value = 0;
    char buffer[8] = "x";
    (void)parameter;

    rt_signal_install(SIGUSR1, on_signal);
    rt_signal_unmask(SIGUSR1);
    rt_kprintf("sem %d\n", (int)rt_sem_take_interruptible(sem, RT_WAITING_FOREVER));
    rt_kprintf("mutex %d\n", (int)rt_mutex_take_interruptible(mutex, RT_WAITING_FOREVER));
    rt_kprintf("event %d\n", (int)rt_event_recv_interruptible(event, 1, RT_EVENT_FLAG_OR,
                                                              RT_WAITING_FOREVER, &recved));
    rt_kprintf("mb send %d\n", (int)rt_mb_send_wait_interruptible(full_mb, 2,
                                                                  RT_WAITING_FOREVER));
    rt_kprintf("mb recv %d\n", (int)rt_mb_recv_interruptible(empty_mb, &value,
                                                             RT_WAITING_FOREVER));
    rt_kprintf("mq send %d\n", (int)rt_mq_send_wait_interruptible(full_mq, buffer, 1,
                                                                  RT_WAITING_FOREVER));
    rt_kprintf("mq recv %d\n", (int)rt_mq_recv_interruptible(empty_mq, buffer, 1,
                                                             RT_WAITING_FOREVER));
    rt_kprintf("handled %d\n", handled);
    rt_sem_release(turn);

    /* what they wait for is there (main made it so): they return as the plain calls */
    rt_kprintf("sem %d, event %d (0x%x), mb recv %d (%d), mq recv %d (%c)\n",
               (int)rt_sem_take_interruptible(sem, 10),
               (int)rt_event_recv_interruptible(event, 1, RT_EVENT_FLAG_OR, 10, &recved),
               (unsigned)recved, (int)rt_mb_recv_interruptible(empty_mb, &value, 10),
               (int)value, (int)rt_mq_recv_interruptible(empty_mq, buffer, 1, 10), buffer[0]);
    rt_kprintf("timeout %d\n", (int)rt_sem_take_interruptible(sem, 5));
}

int main(void)
{
    rt_thread_t t;
    int i;

    sem = rt_sem_create("s", 0, RT_IPC_FLAG_FIFO);
    mutex = rt_mutex_create("m", RT_IPC_FLAG_PRIO);
    event = rt_event_create("e", RT_IPC_FLAG_FIFO);
    full_mb = rt_mb_create("fmb", 1, RT_IPC_FLAG_FIFO);
    empty_mb = rt_mb_create("emb", 1, RT_IPC_FLAG_FIFO);
    full_mq = rt_mq_create("fmq", 1, 1, RT_IPC_FLAG_FIFO);
    empty_mq = rt_mq_create("emq", 1, 1, RT_IPC_FLAG_FIFO);
    turn = rt_sem_create("turn", 0, RT_IPC_FLAG_FIFO);
    rt_mb_send(full_mb, 1);
    rt_mq_send(full_mq, "y", 1);
    rt_mutex_take(mutex, RT_WAITING_FOREVER);        /* main holds it while the waiter waits */

    t = rt_thread_create("waiter", waiter, RT_NULL, 2048, 15, 10);
    rt_thread_startup(t);                            /* runs at once (15 < 20) and blocks */
    for (i = 0; i < 7; i++) {
        rt_thread_kill(t, SIGUSR1);                  /* ends the wait it is in */
        rt_thread_mdelay(2);
    }
    rt_sem_take(turn, RT_WAITING_FOREVER);
    rt_sem_release(sem);
    rt_event_send(event, 1);
    rt_mb_send(empty_mb, 7);
    rt_mq_send(empty_mq, "z", 1);
    rt_mutex_release(mutex);
    rt_thread_mdelay(50);
    return 0;
}
