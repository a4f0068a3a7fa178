/* RT_IPC_CMD_RESET on every IPC object (tests/test_rt_ipc_control.py): waiters wake with
 * -RT_ERROR, the object is emptied (a semaphore takes the value given); other commands are
 * -RT_ERROR and rt_mutex_control implements none (-RT_EINVAL). */
#include <rtthread.h>

static rt_sem_t sem;
static rt_event_t event;
static rt_mailbox_t mb;
static rt_mq_t mq;

static void sem_waiter(void *p)
{
    rt_kprintf("sem waiter: %d\n", (int)rt_sem_take(sem, RT_WAITING_FOREVER));
}

static void event_waiter(void *p)
{
    rt_uint32_t got = 0;

    rt_kprintf("event waiter: %d\n", (int)rt_event_recv(event, 0x8, RT_EVENT_FLAG_OR,
                                                        RT_WAITING_FOREVER, &got));
}

static void mb_waiter(void *p)
{
    rt_ubase_t value;

    rt_kprintf("mb waiter: %d\n", (int)rt_mb_recv(mb, &value, RT_WAITING_FOREVER));
}

static void mq_sender(void *p)
{
    int value = 3;

    rt_kprintf("mq sender: %d\n", (int)rt_mq_send_wait(mq, &value, sizeof value,
                                                         RT_WAITING_FOREVER));
}

static void start(const char *name, void (*entry)(void *))
{
    rt_thread_startup(rt_thread_create(name, entry, RT_NULL, 1024, 15, 10));
}

int main(void)
{
    rt_mutex_t mutex = rt_mutex_create("mutex", RT_IPC_FLAG_PRIO);
    rt_ubase_t value;
    int n = 1, buffer;

    sem = rt_sem_create("sem", 0, RT_IPC_FLAG_FIFO);
    start("semw", sem_waiter);
    rt_kprintf("sem reset: %d, value %d\n", (int)rt_sem_control(sem, RT_IPC_CMD_RESET,
                                                               (void *)3), sem->value);
    rt_thread_mdelay(1);
    rt_kprintf("sem takes: %d %d %d, then %d\n", (int)rt_sem_trytake(sem),
               (int)rt_sem_trytake(sem), (int)rt_sem_trytake(sem), (int)rt_sem_trytake(sem));
    rt_kprintf("sem unknown command: %d\n", (int)rt_sem_control(sem, RT_IPC_CMD_UNKNOWN, 0));
    rt_kprintf("mutex control: %d\n", (int)rt_mutex_control(mutex, RT_IPC_CMD_RESET, 0));

    event = rt_event_create("event", RT_IPC_FLAG_FIFO);
    rt_event_send(event, 0x5);
    start("evw", event_waiter);
    rt_kprintf("event reset: %d, set 0x%x\n", (int)rt_event_control(event, RT_IPC_CMD_RESET, 0),
               (unsigned)event->set);
    rt_thread_mdelay(1);

    mb = rt_mb_create("mb", 4, RT_IPC_FLAG_FIFO);
    start("mbw", mb_waiter);
    rt_kprintf("mb reset with a waiter: %d\n", (int)rt_mb_control(mb, RT_IPC_CMD_RESET, 0));
    rt_thread_mdelay(1);
    rt_mb_send(mb, 1);
    rt_mb_send(mb, 2);
    rt_kprintf("mb reset: %d, entry %d, recv %d\n", (int)rt_mb_control(mb, RT_IPC_CMD_RESET, 0),
               mb->entry, (int)rt_mb_recv(mb, &value, 0));
    rt_mb_send(mb, 7);
    rt_mb_recv(mb, &value, 0);
    rt_kprintf("mb after reset: %d\n", (int)value);

    mq = rt_mq_create("mq", sizeof(int), 1, RT_IPC_FLAG_FIFO);
    rt_mq_send(mq, &n, sizeof n);
    start("mqs", mq_sender);                   /* the queue is full: it waits */
    rt_kprintf("mq reset: %d, entry %d\n", (int)rt_mq_control(mq, RT_IPC_CMD_RESET, 0),
               mq->entry);
    rt_thread_mdelay(1);
    rt_kprintf("mq recv after reset: %d\n", (int)rt_mq_recv(mq, &buffer, sizeof buffer, 0));
    rt_kprintf("mq unknown command: %d\n", (int)rt_mq_control(mq, 0x7, 0));

    rt_sem_delete(sem);
    rt_event_delete(event);
    rt_mb_delete(mb);
    rt_mq_delete(mq);
    rt_mutex_delete(mutex);
    return 0;
}
