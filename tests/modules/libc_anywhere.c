/* libc's state on its read-only pages (port/rtdl_board/libcguard.py) is libc's to write:
 * printf, puts, mktime (the time zone), gmtime, strtok, rand and errno work alike in a
 * constructor, the main thread, a thread of its own, a hard timer's callback (outside
 * any thread) and an idle hook (tidle0) - the callbacks and constructors on the system reent.
 * Each place prints one line, then its name through puts; main prints "done" at the end. */
#include <rtthread.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static volatile int timer_done, idle_done, thread_done;

static void work(const char *who)
{
    char text[8];
    time_t stamp = 86400 * 2;
    struct tm when = {0};
    int first, second;

    strcpy(text, "x,y");
    when.tm_year = 100;
    when.tm_mday = 1;
    srand(3);
    first = rand();
    srand(3);
    second = rand();
    errno = 0;
    strtol("99999999999999999999", 0, 10);
    printf("%s: tok %s", who, strtok(text, ","));
    printf(" %s mktime %ld", strtok(NULL, ","), (long)mktime(&when));
    printf(" mday %d rand %s errno %s\n", gmtime(&stamp)->tm_mday,
           first == second ? "ok" : "bad", errno == ERANGE ? "ok" : "bad");
    puts(who);
}

__attribute__((constructor)) static void early(void)
{
    work("ctor");
}

static void on_timer(void *parameter)
{
    work("timer");
    timer_done = 1;
}

static void on_idle(void)
{
    if (!idle_done) {
        idle_done = 1;
        work("idle");
        idle_done = 2;
    }
}

static void other(void *parameter)
{
    work("thread");
    thread_done = 1;
}

int main(void)
{
    rt_timer_t timer;
    rt_thread_t thread;
    int i;

    work("main");
    thread = rt_thread_create("lany", other, RT_NULL, 2048, 10, 10);
    rt_thread_startup(thread);
    timer = rt_timer_create("lanyt", on_timer, RT_NULL, 1,
                            RT_TIMER_FLAG_ONE_SHOT | RT_TIMER_FLAG_HARD_TIMER);
    rt_timer_start(timer);
    rt_thread_idle_sethook(on_idle);
    for (i = 0; i < 200 && !(timer_done && idle_done == 2 && thread_done); i++)
        rt_thread_mdelay(1);
    rt_thread_idle_delhook(on_idle);
    rt_timer_delete(timer);
    printf("done %d %d %d\n", timer_done, idle_done, thread_done);
    return 0;
}
