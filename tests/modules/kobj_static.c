/* Static objects (_init/_detach) in the module's own structs: the fields modules read are
 * kept true; objects left initialised are released with the module. */
#include <rtthread.h>

static struct rt_semaphore sem;
static struct rt_mutex mutex;
static struct rt_event event;
static struct rt_mailbox mb;
static rt_ubase_t mb_pool[4];

int main(void)
{
    rt_uint32_t got = 0;
    rt_ubase_t value = 0;

    rt_kprintf("sem_init -> %d\n", (int)rt_sem_init(&sem, "ssem", 2, RT_IPC_FLAG_PRIO));
    rt_kprintf("sem: name %s type 0x%x flag %d value %d\n", sem.parent.parent.name,
               sem.parent.parent.type, sem.parent.parent.flag, sem.value);
    rt_sem_take(&sem, 0);
    rt_kprintf("taken: value %d\n", sem.value);
    rt_sem_release(&sem);
    rt_sem_release(&sem);
    rt_kprintf("released twice: value %d\n", sem.value);

    rt_mutex_init(&mutex, "smutex", RT_IPC_FLAG_PRIO);
    rt_mutex_take(&mutex, 0);
    rt_mutex_take(&mutex, 0);
    rt_kprintf("mutex: owner is me %d, hold %d\n", mutex.owner == rt_thread_self(), mutex.hold);
    rt_mutex_release(&mutex);
    rt_mutex_release(&mutex);
    rt_kprintf("released: owner %p hold %d\n", mutex.owner, mutex.hold);

    rt_event_init(&event, "sevent", RT_IPC_FLAG_FIFO);
    rt_event_send(&event, 0x5);
    rt_kprintf("event set 0x%x\n", (unsigned)event.set);
    rt_event_recv(&event, 0x1, RT_EVENT_FLAG_OR | RT_EVENT_FLAG_CLEAR, 0, &got);
    rt_kprintf("received 0x%x, set 0x%x\n", (unsigned)got, (unsigned)event.set);
    rt_kprintf("event detach -> %d, type now %d\n", (int)rt_event_detach(&event),
               event.parent.parent.type);

    rt_mb_init(&mb, "smb", mb_pool, 4, RT_IPC_FLAG_FIFO);
    rt_mb_send(&mb, 11);
    rt_mb_send(&mb, 22);
    rt_kprintf("mb: size %d entry %d in %d out %d pool %d %d\n", mb.size, mb.entry,
               mb.in_offset, mb.out_offset, (int)mb_pool[0], (int)mb_pool[1]);
    rt_mb_recv(&mb, &value, 0);
    rt_mb_urgent(&mb, 33);
    rt_kprintf("recv %d, urgent 33: entry %d out %d pool[0] %d\n", (int)value, mb.entry,
               mb.out_offset, (int)mb_pool[0]);
    rt_mb_recv(&mb, &value, 0);
    rt_kprintf("next %d\n", (int)value);
    rt_kprintf("mb detach -> %d\n", (int)rt_mb_detach(&mb));
    /* sem and mutex stay initialised: the kernel releases them with the module */
    rt_mutex_take(&mutex, 0);
    return 0;
}
