/* Software timers: a SOFT periodic timer runs in the 'timer' thread, a HARD one-shot in no
 * thread (the tick interrupt); expiry ticks; control commands; a static timer; a timer left
 * running when the module ends. */
#include <rtthread.h>

static rt_tick_t t0;
static int soft_count;

static void soft(void *p)
{
    rt_thread_t self = rt_thread_self();
    soft_count++;
    rt_kprintf("soft %d at +%d in thread %s\n", soft_count, (int)(rt_tick_get() - t0),
               self ? ((rt_object_t)self)->name : "(none)");
}

static void hard(void *p)
{
    rt_kprintf("hard %s at +%d, thread %d\n", (char *)p, (int)(rt_tick_get() - t0),
               rt_thread_self() != RT_NULL);
}

static struct rt_timer st;

int main(void)
{
    rt_timer_t periodic, once, left;
    rt_tick_t value = 0;
    rt_uint32_t state = 9;

    periodic = rt_timer_create("soft", soft, RT_NULL, 3,
                               RT_TIMER_FLAG_PERIODIC | RT_TIMER_FLAG_SOFT_TIMER);
    once = rt_timer_create("hard", hard, "once", 5, RT_TIMER_FLAG_ONE_SHOT);
    rt_kprintf("type %d, flag 0x%x\n", periodic->parent.type, periodic->parent.flag);
    t0 = rt_tick_get();
    rt_timer_start(periodic);
    rt_timer_start(once);
    rt_kprintf("started: flag 0x%x, timeout_tick +%d\n", periodic->parent.flag,
               (int)(periodic->timeout_tick - t0));
    rt_thread_mdelay(10);
    rt_kprintf("stop -> %d, again -> %d, once flag 0x%x\n", (int)rt_timer_stop(periodic),
               (int)rt_timer_stop(periodic), once->parent.flag);
    rt_timer_control(periodic, RT_TIMER_CTRL_GET_TIME, &value);
    rt_kprintf("get time %d\n", (int)value);
    rt_timer_start(periodic);
    value = 7;
    rt_timer_control(periodic, RT_TIMER_CTRL_SET_TIME, &value);
    rt_timer_control(periodic, RT_TIMER_CTRL_GET_STATE, &state);
    rt_kprintf("set time 7 stops it: state %d init_tick %d\n", (int)state,
               (int)periodic->init_tick);
    rt_timer_control(periodic, RT_TIMER_CTRL_SET_ONESHOT, RT_NULL);
    rt_timer_start(periodic);
    rt_timer_control(periodic, RT_TIMER_CTRL_GET_STATE, &state);
    rt_kprintf("one shot now: flag 0x%x state %d\n", periodic->parent.flag, (int)state);
    t0 = rt_tick_get();
    soft_count = 0;
    rt_thread_mdelay(20);
    rt_kprintf("soft fired %d time(s)\n", soft_count);
    rt_kprintf("delete -> %d\n", (int)rt_timer_delete(periodic));

    rt_timer_init(&st, "st", hard, "static", 2, RT_TIMER_FLAG_ONE_SHOT);
    rt_kprintf("static type 0x%x name %s\n", st.parent.type, st.parent.name);
    t0 = rt_tick_get();
    rt_timer_start(&st);
    rt_thread_mdelay(5);
    rt_kprintf("detach -> %d\n", (int)rt_timer_detach(&st));
    left = rt_timer_create("left", soft, RT_NULL, 4,
                           RT_TIMER_FLAG_PERIODIC | RT_TIMER_FLAG_SOFT_TIMER);
    rt_timer_start(left);
    rt_timer_delete(once);
    return 0;
}
