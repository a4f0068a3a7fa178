/* Wild stores into the system reent - libc's state of code outside module threads - from the
 * module code that runs on it: a hard timer's callback (argv[1] "timer") or an idle hook
 * ("idle"). Each first sets errno (a module's own store there, which works), prints, then
 * stores into the reent's _stdin pointer: that must fault at the store, naming it. */
#include <rtthread.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <reent.h>           /* declares _impure_ptr */

static volatile int calls;

static void wild(const char *who)
{
    if (calls++)
        return;
    errno = 33;
    printf("libc_cb: %s errno %d\n", who, errno);
    *(volatile int *)((char *)_impure_ptr + 4) = 0;
    printf("libc_cb: the store did not fault\n");
}

static void on_timer(void *parameter)
{
    wild("timer");
}

static void on_idle(void)
{
    wild("idle");
}

int main(int argc, char **argv)
{
    const char *where = argc > 1 ? argv[1] : "timer";
    int i;

    if (!strcmp(where, "idle"))
        rt_thread_idle_sethook(on_idle);
    else
        rt_timer_start(rt_timer_create("lcbt", on_timer, RT_NULL, 1,
                                       RT_TIMER_FLAG_ONE_SHOT | RT_TIMER_FLAG_HARD_TIMER));
    for (i = 0; i < 100; i++)
        rt_thread_mdelay(1);
    printf("libc_cb: main went on\n");
    return 0;
}
