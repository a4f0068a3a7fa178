/* Completions of <ipc/completion.h>: a higher-priority thread waits for ever and is woken by
 * main's done; a done given before the wait is kept for it; a wait with no done times out
 * after its ticks (-RT_ETIMEOUT); a zero timeout does not block. With "stuck", main waits
 * for ever for a done nobody will give: the kernel must end the module with a deadlock. */
#include <string.h>
#include <rtdevice.h>

static struct rt_completion ready;
static struct rt_completion finished;

static void waiter(void *parameter)
{
    rt_tick_t start = rt_tick_get();
    rt_err_t r = rt_completion_wait(&ready, RT_WAITING_FOREVER);
    rt_kprintf("waiter: woken %d after %d ticks\n", (int)r, (int)(rt_tick_get() - start));
    rt_completion_done(&finished);
}

int main(int argc, char *argv[])
{
    rt_thread_t t;
    rt_tick_t start;
    rt_err_t r;

    rt_completion_init(&ready);
    rt_completion_init(&finished);
    if (argc > 1 && strcmp(argv[1], "stuck") == 0)
        return rt_completion_wait(&ready, RT_WAITING_FOREVER);

    t = rt_thread_create("waiter", waiter, RT_NULL, 1024, 5, 10);
    rt_thread_startup(t);
    rt_kprintf("main: waiter started\n");
    rt_thread_delay(7);
    rt_kprintf("main: done\n");
    rt_completion_done(&ready);
    rt_kprintf("main: back from done\n");
    r = rt_completion_wait(&finished, 100);
    rt_kprintf("main: finished %d\n", (int)r);

    rt_completion_done(&ready);
    rt_completion_done(&ready);         /* a second done before a wait changes nothing */
    rt_kprintf("early done: %d\n", (int)rt_completion_wait(&ready, 0));
    rt_kprintf("used up: %d\n", (int)rt_completion_wait(&ready, 0));

    start = rt_tick_get();
    r = rt_completion_wait(&ready, 20);
    rt_kprintf("timeout %d after %d ticks\n", (int)r, (int)(rt_tick_get() - start));
    return 0;
}
