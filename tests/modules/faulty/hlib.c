/* A library a program holds open (tests/test_containment_heldlib.py): its own functions write
 * its .data and .bss, directly and through the firmware's memset, memcpy and sprintf, and
 * around a callback into the program; while the program's own code runs, that data is
 * read-only but for the objects the program may write (heldplan.py): what this library
 * exports (hl_counter, hl_table ...) and what it hands out (hl_config's struct, the inbox it
 * passes to a callback). Its statics hl_secret and hl_hidden it never exports nor hands out
 * (hl_offset tells only how far they lie from hl_counter: a number, not a pointer).
 * Loaded by the host first, its constructor opens hlib2, so a program holding it holds a
 * chain of two libraries. */
#include <rtthread.h>
#include <dlfcn.h>
#include <string.h>
#include <stdio.h>
#include <stdlib.h>

int hl_counter = 5;               /* .data */
char hl_text[32] = "start";       /* .data, written by sprintf */
int hl_zero;                      /* .bss */
char hl_buf[64];                  /* .bss, written by memset and memcpy */
int hl_table[1000];               /* .bss, an exported array the program fills */
static volatile int hl_secret = 11;        /* .data, neither exported nor handed out */
static volatile int hl_hidden;             /* .bss, neither exported nor handed out */
struct hl_cfg {
    int speed;
    int depth;
    char name[8];
};
static struct hl_cfg config;      /* handed out by hl_config */
static char inbox[16];            /* handed to the program's callback by hl_receive */
static void *second;
static int (*second_bump)(void);
static int *second_value;
static int second_secret;         /* h2_secret's distance from h2_value */
static int *(*second_slot)(void);
static int (*second_slot_now)(void);

__attribute__((constructor)) static void open_second(void)
{
    if (rt_thread_self() != RT_NULL)
        return;                   /* opened from a program's thread: no chain */
    second = dlopen("hlib2.so", RTLD_NOW);
    if (second) {
        second_bump = (int (*)(void))dlsym(second, "h2_bump");
        second_value = (int *)dlsym(second, "h2_value");
        second_slot = (int *(*)(void))dlsym(second, "h2_slot");
        second_slot_now = (int (*)(void))dlsym(second, "h2_slot_now");
        int (*offset)(void) = (int (*)(void))dlsym(second, "h2_offset");
        second_secret = offset ? offset() : 0;
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

/* this library writes hlib2's exported variable (through dlsym: allowed) */
int hl_chain_set(int value)
{
    if (!second_value)
        return -1;
    *(volatile int *)second_value = value;
    return second_bump();
}

/* ... and the object hlib2's getter hands it (allowed) */
int hl_chain_slot(int value)
{
    if (!second_slot)
        return -1;
    *second_slot() = value;
    return second_slot_now();
}

/* this library's own wild store into hlib2's static h2_secret: its fault */
int hl_chain_at(void)
{
    if (!second_value || !second_secret)
        return -1;
    *(volatile int *)((char *)second_value + second_secret) = 0xde00de00;
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

int hl_buf_at(int i)
{
    return hl_buf[i];
}

int hl_offset(int which)
{
    return (which ? (char *)&hl_hidden : (char *)&hl_secret) - (char *)&hl_counter;
}

int hl_secrets(void)
{
    return hl_secret * 1000 + hl_hidden;
}

/* the getter: the program fills the struct it returns */
struct hl_cfg *hl_config(void)
{
    return &config;
}

/* a pointer into the middle of the struct: its object is all of it where the symbol table
 * says so (.symtab), else the rest of .bss from there */
int *hl_config_depth(void)
{
    return &config.depth;
}

int hl_config_sum(void)
{
    return config.speed + config.depth + config.name[0];
}

/* the callback fills this library's buffer */
int hl_receive(void (*fill)(char *, int))
{
    fill(inbox, sizeof inbox);
    return inbox[0] + inbox[15];
}

int hl_table_sum(void)
{
    int sum = 0;
    for (int i = 0; i < 1000; i++)
        sum += hl_table[i];
    return sum;
}
