/* rt_thread_get_name and rt_object_get_name copy a name into the caller's buffer, cut to
 * fit; rt_tick_get_delta and rt_tick_get_millisecond read the tick. */
#include <stdio.h>

#include <rtthread.h>

int main(void)
{
    char buf[RT_NAME_MAX + 4];
    rt_sem_t sem = rt_sem_create("sem_abc", 0, RT_IPC_FLAG_FIFO);
    rt_tick_t base, delta;
    rt_err_t result;

    result = rt_thread_get_name(rt_thread_self(), buf, sizeof(buf));
    printf("self %d <%s>\n", (int)result, buf);
    result = rt_object_get_name((rt_object_t)sem, buf, sizeof(buf));
    printf("sem %d <%s>\n", (int)result, buf);
    result = rt_object_get_name((rt_object_t)sem, buf, 3);
    printf("sem in 3 %d <%s>\n", (int)result, buf);
    printf("bad %d %d %d\n", (int)rt_thread_get_name(RT_NULL, buf, sizeof(buf)),
           (int)rt_object_get_name((rt_object_t)sem, buf, 0),
           (int)rt_object_get_name((rt_object_t)sem, RT_NULL, 4));
    rt_sem_delete(sem);

    base = rt_tick_get();
    rt_thread_mdelay(7);
    delta = rt_tick_get_delta(base);
    printf("delta after mdelay(7) %d\n", delta >= 7 && delta < 1000);
    delta = rt_tick_get_delta(rt_tick_get() + 16);     /* a base 16 ticks ahead: wrapped */
    printf("delta across wrap %d\n", delta >= 0xfffffff0u);
    printf("millisecond is the tick %d\n", rt_tick_get_millisecond() - rt_tick_get() < 2);
    return 0;
}
