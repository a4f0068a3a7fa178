/* Writes into other threads' stacks, by argv[1]; while it runs, the stacks of other modules'
 * threads and of system threads are read-only (stackprot.py), so a wild store faults there:
 *   other  a local of thread 'worker' of the program argv[2] (xstackv), started alongside
 *   argv   the first byte of that program's argv[0]
 *   reent  the _stdin word of the libc state (struct _reent) of that program's 'worker'
 *   fresh  the stack of that program's main thread, which has not run yet
 *   sys    the stack of the system thread argv[2]: 'timer' (which a soft timer of its own
 *          brings up), 'tidle0' or 'tshell'
 * and writes nothing wild by:
 *   share  a thread of its own stores into a local of main's stack
 *   ipc    sends argv[2]'s blocked worker a mail, a message and an event: the kernel writes
 *          them into the worker's locals */
#include <rtthread.h>
#include <dlmodule.h>
#include <dlfcn.h>
#include <string.h>

static volatile rt_uint32_t *shared;
static rt_sem_t stored;

static void helper(void *parameter)
{
    (void)parameter;
    *shared = 42;
    rt_sem_release(stored);
}

static void tick(void *parameter)
{
    (void)parameter;
}

static void *victim_symbol(struct rt_dlmodule *victim, const char *name)
{
    volatile rt_uint32_t **sentinel = (volatile rt_uint32_t **)dlsym(victim, "xstackv_sentinel");
    if (!sentinel)
        return RT_NULL;
    while (*sentinel == RT_NULL)
        rt_thread_mdelay(1);            /* the worker has not started yet */
    rt_thread_mdelay(2);                /* it waits in rt_mb_recv */
    return dlsym(victim, name);
}

int main(int argc, char **argv)
{
    const char *what = argc > 1 ? argv[1] : "";
    struct rt_dlmodule *victim = RT_NULL;

    if (strcmp(what, "share") == 0) {
        volatile rt_uint32_t local = 0;
        rt_thread_t thread;
        shared = &local;
        stored = rt_sem_create("xsst", 0, RT_IPC_FLAG_FIFO);
        thread = rt_thread_create("helper", helper, RT_NULL, 1024, 10, 10);
        if (!stored || !thread)
            return 2;
        rt_thread_startup(thread);
        rt_sem_take(stored, RT_WAITING_FOREVER);
        rt_sem_delete(stored);
        rt_kprintf("shared %u\n", (unsigned)local);
        return local == 42 ? 0 : 1;
    }
    if (strcmp(what, "sys") == 0 && argc > 2) {
        rt_timer_t timer = rt_timer_create("xstm", tick, RT_NULL, 1,
                                           RT_TIMER_FLAG_PERIODIC | RT_TIMER_FLAG_SOFT_TIMER);
        rt_thread_t thread;
        if (!timer || rt_timer_start(timer) != RT_EOK)
            return 2;
        rt_thread_mdelay(3);            /* the timer thread runs the callback and waits */
        thread = rt_thread_find(argv[2]);
        if (!thread)
            return 3;
        *(volatile rt_uint32_t *)((char *)thread->stack_addr + 16) = 1;
        rt_kprintf("the write went through\n");
        return 0;
    }
    if (argc > 2 && (strcmp(what, "other") == 0 || strcmp(what, "ipc") == 0 ||
                     strcmp(what, "argv") == 0 || strcmp(what, "fresh") == 0 ||
                     strcmp(what, "reent") == 0)) {
        victim = dlmodule_exec(argv[2], argv[2], strlen(argv[2]));
        if (!victim)
            return 2;
    }
    if (victim && strcmp(what, "other") == 0) {
        volatile rt_uint32_t **sentinel = victim_symbol(victim, "xstackv_sentinel");
        if (!sentinel)
            return 3;
        **sentinel = 0xdead;
        rt_kprintf("the write went through\n");
        return 0;
    }
    if (victim && strcmp(what, "fresh") == 0) {
        rt_thread_t thread = rt_thread_find(victim->name);
        if (!thread)
            return 3;
        *(volatile rt_uint32_t *)((char *)thread->stack_addr + 16) = 1;
        rt_kprintf("the write went through\n");
        return 0;
    }
    if (victim && strcmp(what, "argv") == 0) {
        char ***args = victim_symbol(victim, "xstackv_argv");
        if (!args || !*args)
            return 3;
        (*args)[0][0] = 'X';
        rt_kprintf("the write went through\n");
        return 0;
    }
    if (victim && strcmp(what, "reent") == 0) {
        char **reent = victim_symbol(victim, "xstackv_reent");
        if (!reent || !*reent)
            return 3;
        *(volatile rt_uint32_t *)(*reent + 4) = 0;      /* its _stdin, after _errno */
        rt_kprintf("the write went through\n");
        return 0;
    }
    if (victim && strcmp(what, "ipc") == 0) {
        rt_mailbox_t *mb = victim_symbol(victim, "xstackv_mb");
        rt_mq_t *mq = dlsym(victim, "xstackv_mq");
        rt_event_t *event = dlsym(victim, "xstackv_event");
        if (!mb || !mq || !event)
            return 3;
        if (rt_mb_send(*mb, 0x1234) != RT_EOK)
            return 4;
        rt_thread_mdelay(2);            /* it waits in rt_mq_recv */
        if (rt_mq_send(*mq, "hello", 6) != RT_EOK)
            return 5;
        rt_thread_mdelay(2);            /* it waits in rt_event_recv */
        if (rt_event_send(*event, 0x4) != RT_EOK)
            return 6;
        rt_thread_mdelay(2);
        return 0;
    }
    return 4;
}
