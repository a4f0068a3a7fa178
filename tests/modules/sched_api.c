/* Thread and scheduler services beyond create/delete (tests/test_rt_samples_threads.py):
 * suspend/resume, rt_thread_control, find, the struct rt_thread fields, a static thread,
 * the scheduler lock (critical sections, masked interrupts), errno per thread. Each check
 * prints one line; the test compares them with what RT-Thread 5.x does. */
#include <rthw.h>
#include <rtthread.h>

static volatile int counter;
static volatile int other_ran;
static volatile int other_ran_in_lock;
static volatile int in_lock;

static struct rt_thread static_thread;
rt_align(RT_ALIGN_SIZE) static char static_stack[1024];

static void counting(void *parameter)
{
    for (;;) {
        counter++;
        rt_thread_mdelay(10);
    }
}

static void static_entry(void *parameter)
{
    rt_thread_t self = rt_thread_self();

    rt_kprintf("static: parameter %d, self is the module's struct: %d, stat %d\n",
               (int)parameter, self == &static_thread,
               RT_SCHED_CTX(self).stat & RT_THREAD_STAT_MASK);
}

static void sleeper(void *parameter)
{
    rt_err_t result = rt_thread_mdelay(1000);

    rt_kprintf("sleeper: woken with %d\n", (int)result);
}

/* never blocks or yields: it runs whenever its 1-tick slices come round */
static void other(void *parameter)
{
    for (;;) {
        other_ran = 1;
        if (in_lock)
            other_ran_in_lock = 1;
    }
}

static void errno_thread(void *parameter)
{
    rt_set_errno(7);
    rt_thread_mdelay(5);
    rt_kprintf("errno: other thread keeps %d\n", (int)rt_get_errno());
}

/* busy work spanning many 1-tick time slices of the equal-priority `other` */
static void spin(void)
{
    volatile int i;

    for (i = 0; i < 1000000; i++)
        ;
}

/* 1-tick slices, like `other`: without the lock they take turns during a spin */
static void locker(void *parameter)
{
    rt_base_t level;
    rt_thread_t t = rt_thread_create("other", other, RT_NULL, 1024, 20, 1);

    rt_thread_startup(t);
    rt_enter_critical();
    rt_enter_critical();
    rt_kprintf("critical level %d\n", (int)rt_critical_level());
    in_lock = 1;
    spin();
    in_lock = 0;
    rt_exit_critical();
    rt_exit_critical();
    rt_kprintf("critical: other ran inside %d, level after %d\n", other_ran_in_lock,
               (int)rt_critical_level());
    level = rt_hw_interrupt_disable();
    in_lock = 1;
    spin();
    in_lock = 0;
    rt_hw_interrupt_enable(level);
    rt_kprintf("interrupts masked: other ran inside %d\n", other_ran_in_lock);
    other_ran = 0;
    spin();
    rt_kprintf("unlocked: other ran %d\n", other_ran);
    rt_thread_delete(t);
}

int main(void)
{
    rt_thread_t t;
    rt_uint8_t priority;
    int before;

    /* suspend / resume */
    t = rt_thread_create("count", counting, RT_NULL, 1024, 10, 5);
    rt_kprintf("find: %d\n", rt_thread_find("count") == t);
    rt_kprintf("object_find: %d\n",
               (rt_thread_t)rt_object_find("count", RT_Object_Class_Thread) == t);
    rt_kprintf("init: stat %d, prio %d/%d, stack %d, name %s\n",
               RT_SCHED_CTX(t).stat & RT_THREAD_STAT_MASK,
               RT_SCHED_PRIV(t).current_priority, RT_SCHED_PRIV(t).init_priority,
               (int)t->stack_size, t->parent.name);
    rt_kprintf("resume of a thread not suspended: %d\n", (int)rt_thread_resume(t));
    rt_thread_startup(t);
    rt_thread_mdelay(55);
    rt_kprintf("suspend: %d\n", (int)rt_thread_suspend(t));
    before = counter;
    rt_thread_mdelay(100);
    rt_kprintf("suspended: stat %d, counted while suspended %d\n",
               RT_SCHED_CTX(t).stat & RT_THREAD_STAT_MASK, counter - before);
    rt_kprintf("resume: %d\n", (int)rt_thread_resume(t));
    rt_thread_mdelay(100);
    rt_kprintf("resumed: counting again %d\n", counter - before > 5);

    /* control: change priority, then close */
    priority = 15;
    rt_kprintf("change priority: %d -> prio %d/%d\n",
               (int)rt_thread_control(t, RT_THREAD_CTRL_CHANGE_PRIORITY, &priority),
               RT_SCHED_PRIV(t).current_priority, RT_SCHED_PRIV(t).init_priority);
    rt_kprintf("close: %d, find after close: %d\n",
               (int)rt_thread_control(t, RT_THREAD_CTRL_CLOSE, RT_NULL),
               rt_thread_find("count") != RT_NULL);

    /* a sleeping thread resumed early returns -RT_EINTR */
    t = rt_thread_create("sleeper", sleeper, RT_NULL, 1024, 10, 5);
    rt_thread_startup(t);
    rt_thread_mdelay(20);
    rt_kprintf("resume sleeper: %d\n", (int)rt_thread_resume(t));
    rt_thread_mdelay(1);

    /* a static thread on the module's own struct and stack */
    rt_kprintf("thread_init: %d\n", (int)rt_thread_init(&static_thread, "static", static_entry,
                                                       (void *)42, static_stack,
                                                       sizeof static_stack, 5, 5));
    rt_kprintf("static object type 0x%x\n", static_thread.parent.type);
    rt_thread_startup(&static_thread);
    rt_thread_mdelay(1);

    /* the scheduler lock: an equal-priority thread never runs inside it */
    t = rt_thread_create("locker", locker, RT_NULL, 1024, 20, 1);
    rt_thread_startup(t);
    rt_thread_mdelay(1000);

    /* errno belongs to each thread */
    rt_set_errno(3);
    t = rt_thread_create("errno", errno_thread, RT_NULL, 1024, 10, 5);
    rt_thread_startup(t);
    rt_kprintf("errno: main keeps %d, *_rt_errno() %d\n", (int)rt_get_errno(), *_rt_errno());
    rt_thread_mdelay(10);
    return 0;
}
