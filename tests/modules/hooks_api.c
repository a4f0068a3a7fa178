/* Idle and scheduler hooks and the system threads (tests/test_rt_hooks.py): the hook list's
 * size and return codes, idle hooks called on tidle0 while main sleeps, tidle0 and tshell as
 * threads rt_thread_find returns, and the scheduler hook seeing each switch. Each check
 * prints one line; the test compares them with what RT-Thread 5.x does. */
#include <rtthread.h>
#include <string.h>

static volatile int idle_calls;
static volatile int idle_calls_b;
static volatile rt_thread_t idle_self;
static char switches[8][2][RT_NAME_MAX + 1];
static volatile int switch_count;

static void idle_a(void)
{
    idle_calls++;
    idle_self = rt_thread_self();
}

static void idle_b(void)
{
    idle_calls_b++;
}

static void idle_c(void) { }
static void idle_d(void) { }
static void idle_e(void) { }

static void on_switch(struct rt_thread *from, struct rt_thread *to)
{
    if (switch_count < 8) {
        strncpy(switches[switch_count][0], from->parent.name, RT_NAME_MAX);
        strncpy(switches[switch_count][1], to->parent.name, RT_NAME_MAX);
    }
    switch_count++;
}

static void peer(void *parameter)
{
    rt_thread_mdelay(5);
}

int main(void)
{
    rt_thread_t idle = rt_thread_find("tidle0");
    rt_thread_t shell = rt_thread_find("tshell");
    int i, calls;

    rt_kprintf("tidle0: found %d, gethandler %d, prio %d, stat %d, static %d\n",
               idle != RT_NULL, idle == rt_thread_idle_gethandler(),
               RT_SCHED_PRIV(idle).current_priority, RT_SCHED_CTX(idle).stat & RT_THREAD_STAT_MASK,
               rt_object_is_systemobject(&idle->parent));
    rt_kprintf("tshell: found %d, prio %d, stat %d, object_find %d\n", shell != RT_NULL,
               RT_SCHED_PRIV(shell).current_priority, RT_SCHED_CTX(shell).stat & RT_THREAD_STAT_MASK,
               rt_object_find("tshell", RT_Object_Class_Thread) == &shell->parent);

    rt_kprintf("sethook: %d %d %d %d, fifth %d\n", (int)rt_thread_idle_sethook(idle_a),
               (int)rt_thread_idle_sethook(idle_b), (int)rt_thread_idle_sethook(idle_c),
               (int)rt_thread_idle_sethook(idle_d), (int)rt_thread_idle_sethook(idle_e));
    rt_kprintf("delhook: unknown %d, d %d, d again %d, same hook twice %d\n",
               (int)rt_thread_idle_delhook(idle_e), (int)rt_thread_idle_delhook(idle_d),
               (int)rt_thread_idle_delhook(idle_d), (int)rt_thread_idle_sethook(idle_c));
    rt_thread_mdelay(20);
    rt_kprintf("idle hooks: a ran %d, b ran %d, on tidle0 %d\n", idle_calls > 0,
               idle_calls_b > 0, idle_self == idle);
    rt_thread_idle_delhook(idle_a);
    rt_thread_idle_delhook(idle_b);
    rt_thread_idle_delhook(idle_c);
    rt_thread_idle_delhook(idle_c);
    calls = idle_calls;
    rt_thread_mdelay(20);
    rt_kprintf("after delhook: a ran again %d\n", idle_calls != calls);

    rt_scheduler_sethook(on_switch);
    rt_thread_startup(rt_thread_create("peer", peer, RT_NULL, 1024, 10, 10));
    rt_thread_mdelay(10);
    rt_scheduler_sethook(RT_NULL);
    calls = switch_count;
    for (i = 0; i < calls && i < 8; i++)
        rt_kprintf("switch %s -> %s\n", switches[i][0], switches[i][1]);
    rt_thread_mdelay(10);
    rt_kprintf("after sethook(NULL): %d more\n", switch_count - calls);

    /* left set: the kernel removes them when this module ends */
    rt_thread_idle_sethook(idle_a);
    rt_scheduler_sethook(on_switch);
    return 0;
}
