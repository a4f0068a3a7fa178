/* A library a program holds open (tests/test_containment_heldlib.py): its own functions write
 * its .data and .bss, directly and through the firmware's memset, memcpy and sprintf, and
 * around a callback into the program; while the program's own code runs, that data is
 * read-only (imageprot.py, heldplan.py). Loaded by the host first, its constructor opens
 * hlib2, so a program holding it holds a chain of two libraries. */
#include <rtthread.h>
#include <dlfcn.h>
#include <string.h>
#include <stdio.h>
#include <stdlib.h>

int hl_counter = 5;               /* .data */
char hl_text[32] = "start";       /* .data, written by sprintf */
int hl_zero;                      /* .bss */
char hl_buf[64];                  /* .bss, written by memset and memcpy */
static void *second;
static int (*second_bump)(void);
static int *second_value;

__attribute__((constructor)) static void open_second(void)
{
    if (rt_thread_self() != RT_NULL)
        return;                   /* opened from a program's thread: no chain */
    second = dlopen("hlib2.so", RTLD_NOW);
    if (second) {
        second_bump = (int (*)(void))dlsym(second, "h2_bump");
        second_value = (int *)dlsym(second, "h2_value");
    }
}

int hl_bump(void)
{
    hl_zero += 1;
    return ++hl_counter * 100 + hl_zero;
}

/* memset and memcpy (firmware code, called from here) into .bss */
int hl_fill(int c, int n)
{
    memset(hl_buf, c, n);
    memcpy(hl_buf + 8, "copy", 5);
    return hl_buf[0] + hl_buf[8];
}

/* sprintf (firmware code several calls deep) into .data */
int hl_format(int n)
{
    return sprintf(hl_text, "n=%d", n);
}

const char *hl_text_now(void)
{
    return hl_text;
}

/* calls back into the program between its own stores */
int hl_each(int (*fn)(int), int n)
{
    int sum = 0;
    for (int i = 0; i < n; i++) {
        hl_counter += 1;
        sum += fn(hl_counter);
        hl_zero += 1;
    }
    return sum;
}

/* the chain: hlib2's function writes hlib2's data, then this library writes its own */
int hl_chain(void)
{
    if (!second_bump)
        return -1;
    int value = second_bump();
    hl_counter += 1;
    return value;
}

/* this library's own wild store into hlib2, which it holds: its fault */
int hl_chain_wild(void)
{
    if (!second_value)
        return -1;
    *(volatile int *)second_value = 0xde00de00;
    return 0;
}

/* a thread, a soft timer and an idle hook of its own, started from the program's thread:
 * they run this library's code (as the program's objects) and write this library's data */
static volatile int thread_runs, timer_runs, idle_runs;
static rt_timer_t timer;

static void worker(void *parameter)
{
    for (int i = 0; i < 3; i++) {
        memset(hl_buf, 'w', 16);
        sprintf(hl_text, "w%d", i);
        thread_runs++;
        rt_thread_mdelay(1);
    }
}

static void on_timer(void *parameter)
{
    timer_runs++;
}

static void on_idle(void)
{
    idle_runs++;
}

int hl_spawn(void)
{
    rt_thread_t thread = rt_thread_create("hlwork", worker, RT_NULL, 2048, 10, 5);
    if (!thread)
        return -1;
    rt_thread_startup(thread);
    timer = rt_timer_create("hltimer", on_timer, RT_NULL, 1,
                            RT_TIMER_FLAG_PERIODIC | RT_TIMER_FLAG_SOFT_TIMER);
    rt_timer_start(timer);
    rt_thread_idle_sethook(on_idle);
    return 0;
}

/* 1 when each ran (and wrote this library's data) */
int hl_spawned(void)
{
    rt_timer_stop(timer);
    rt_timer_delete(timer);
    rt_thread_idle_delhook(on_idle);
    return thread_runs == 3 && timer_runs > 0 && idle_runs > 0 && strcmp(hl_text, "w2") == 0;
}

/* the firmware's qsort over this library's own array with the program's comparator: its
 * stores come after a call back into the program */
int hl_array[6] = {5, 3, 6, 1, 4, 2};

int hl_sort(int (*compare)(const void *, const void *))
{
    qsort(hl_array, 6, sizeof hl_array[0], compare);
    return hl_array[0] * 100000 + hl_array[1] * 10000 + hl_array[2] * 1000 + hl_array[3] * 100 +
           hl_array[4] * 10 + hl_array[5];
}

/* this library's own bug, while its mode is in force: a store through NULL */
int hl_crash(void)
{
    hl_counter += 1;
    *(volatile int *)RT_NULL = 1;
    return 0;
}

/* stores where its caller points: into the caller's own data (fine), or into a library the
 * caller also holds (a sibling: only that library's own code writes its data) */
int hl_store(int *where, int value)
{
    *(volatile int *)where = value;
    return value;
}
