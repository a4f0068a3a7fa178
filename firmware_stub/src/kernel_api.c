/* Boot-time initialisation, module exit paths and the small kernel API written in C
 * (everything else is an SVC veneer generated from port/modules/services.py). */
#include <reent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include <rthw.h>
#include <rtthread.h>
#include <dlmodule.h>
#include "rtdl_services.h"

extern void (*__preinit_array_start[])(void) __attribute__((weak));
extern void (*__preinit_array_end[])(void) __attribute__((weak));
extern void (*__init_array_start[])(void) __attribute__((weak));
extern void (*__init_array_end[])(void) __attribute__((weak));

void rtdl_firmware_init(void);
void rtdl_reent_init(void);             /* impure.c */
extern char rtdl_stdio_bufs[2][256];       /* impure.c */
void rtdl_reent_done(void);
void rt_module_main_return(int code) __attribute__((noreturn));
void rt_thread_exit(void) __attribute__((noreturn));
void __rtdl_timer_thread(void *unused);
void __rtdl_idle_thread(void *unused);

struct rtdl_system_threads rtdl_system_threads;
_Static_assert(offsetof(struct rtdl_system_threads, shell) == 172 &&
               offsetof(struct rtdl_system_threads, idle_stack) == 344 &&
               offsetof(struct rtdl_system_threads, shell_stack) == 344 + IDLE_THREAD_STACK_SIZE,
               "systhreads.py assumes this layout");

/* newlib's multiprecision allocator (mprec.c): Balloc takes a Bigint of 1 << k words from
 * the reent freelist (calloc when empty), Bfree puts it back; nothing is ever freed. */
struct _Bigint *_Balloc(struct _reent *ptr, int k);
void _Bfree(struct _reent *ptr, struct _Bigint *v);

/* Bigints per size class k = 0..7, measured (tests: random %f/%e/%g/%.17g/%.40f of doubles
 * over the whole range and strtod) as the most a double conversion holds at once. */
static const unsigned char bigints_per_k[] = { 3, 6, 6, 4, 4, 5, 2, 1 };
#define BIGINTS_TOTAL 31

static void stock_bigints(void)
{
    struct _Bigint *held[BIGINTS_TOTAL];
    unsigned n = 0, k, i;

    for (k = 0; k < sizeof bigints_per_k; k++)
        for (i = 0; i < bigints_per_k[k] && n < BIGINTS_TOTAL; i++)
            if ((held[n] = _Balloc(_REENT, (int)k)) != NULL)
                n++;
    while (n > 0)
        _Bfree(_REENT, held[--n]);
}

/* Called once by the board (or Reset_Handler) before any module runs. Everything libc keeps
 * for itself is allocated here, by the system, rather than by whichever module first prints:
 * per-module leak reclaim must never free libc's own memory. */
void rtdl_firmware_init(void)
{
    void (**fn)(void);
    char warm[320];

    rtdl_reent_init();
    for (fn = __preinit_array_start; fn < __preinit_array_end; fn++)
        (*fn)();
    for (fn = __init_array_start; fn < __init_array_end; fn++)
        (*fn)();

    /* Line buffers of libc's own, next to the streams on libc's pages (impure.c), not heap
     * blocks. stdin stays unbuffered: reads return EOF and allocate nothing. */
    setvbuf(stdout, rtdl_stdio_bufs[0], _IOLBF, sizeof rtdl_stdio_bufs[0]);
    setvbuf(stderr, rtdl_stdio_bufs[1], _IOLBF, sizeof rtdl_stdio_bufs[1]);
    setvbuf(stdin, NULL, _IONBF, 0);

    /* dtoa (printf %f/%e/%g, strtod, scanf %f) keeps memory for ever once allocated: the
     * cache of powers of five, and Bigints it recycles through reent->_freelist. Build the
     * cache with the extreme conversions, then stock the freelist with as many Bigints of
     * each size as wide conversions use at once, so modules converting doubles reuse them. */
    snprintf(warm, sizeof warm, "%f", 1.7976931348623157e308);
    snprintf(warm, sizeof warm, "%.17g %.17e", 4.9e-324, 2.2250738585072014e-308);
    stock_bigints();
    rtdl_reent_done();
}

/* main's return address: main(argc, argv) returning `code` ends the module. */
void rt_module_main_return(int code)
{
    dlmodule_exit(code);
}

/* The return address (LR) of every thread rt_thread_create makes: its entry returned, the
 * thread ends (the kernel frees its stack and control block once it is off the CPU). */
void rt_thread_exit(void)
{
    __rtdl_thread_exit();
    for (;;)
        __builtin_trap();
}

/* The timer thread ('timer', RT_TIMER_THREAD_PRIO): runs the callbacks of SOFT_TIMER timers
 * as they fall due; the kernel makes it when a soft timer starts and it ends when none is
 * active (its entry returns to rt_thread_exit). */
void __rtdl_timer_thread(void *unused)
{
    struct rtdl_timer_job job;
    int next;

    (void)unused;
    while ((next = __rtdl_timer_next(&job)) >= 0)
        if (next > 0)
            job.timeout(job.parameter);
}

/* The idle thread (tidle0, the lowest priority): while nothing else is ready it calls the
 * idle hooks modules set (rt_thread_idle_sethook), one after another, for ever. The kernel
 * runs it only while a hook is set; otherwise idling is the tick jumping to the next wake-up. */
void __rtdl_idle_thread(void *unused)
{
    void (*hook)(void);

    (void)unused;
    for (;;)
        if ((hook = __rtdl_idle_next()) != RT_NULL)
            hook();
}

/* Ends the calling module: libc's buffered output is flushed first (a last line without a
 * newline is not lost). */
void dlmodule_exit(int code)
{
    fflush(NULL);
    __rtdl_exit(code);
    for (;;)
        __builtin_trap();
}

/* A module calling exit() ends that module, not the system. */
void exit(int code)
{
    dlmodule_exit(code);
}

void abort(void)
{
    fflush(NULL);
    __rtdl_abort("abort");
    for (;;)
        __builtin_trap();
}

/* newlib's assert() calls this; newlib's own version would reach abort through _kill. */
void __assert_func(const char *file, int line, const char *func, const char *expr)
{
    fprintf(stderr, "assertion \"%s\" failed: file \"%s\", line %d%s%s\n",
            expr, file, line, func ? ", function: " : "", func ? func : "");
    fflush(NULL);
    __rtdl_abort("assert");
    for (;;)
        __builtin_trap();
}

void rt_memory_info(rt_size_t *total, rt_size_t *used, rt_size_t *max_used)
{
    __rtdl_memory_info(total, used, max_used);
}

/* Module code never runs in an interrupt handler here (timer callbacks run on the timer
 * thread, device callbacks on the calling thread), so the nesting depth it sees is 0. */
rt_uint8_t rt_interrupt_get_nest(void)
{
    return 0;
}

rt_tick_t rt_tick_get_millisecond(void)
{
    return rt_tick_get() * (1000u / RT_TICK_PER_SECOND);
}

/* Unsigned subtraction is the distance across a wrap of the tick too. */
rt_tick_t rt_tick_get_delta(rt_tick_t base)
{
    return rt_tick_get() - base;
}

/* A copy of the object's name, cut to name_size - 1 characters and always terminated. */
rt_err_t rt_object_get_name(rt_object_t object, char *name, rt_uint8_t name_size)
{
    rt_size_t len;
    if (object == RT_NULL || name == RT_NULL || name_size == 0)
        return -RT_EINVAL;
    len = rt_strnlen(object->name, RT_NAME_MAX);
    if (len > (rt_size_t)name_size - 1)
        len = name_size - 1;
    rt_memcpy(name, object->name, len);
    name[len] = '\0';
    return RT_EOK;
}

rt_err_t rt_thread_get_name(rt_thread_t thread, char *name, rt_uint8_t name_size)
{
    return thread == RT_NULL ? -RT_EINVAL : rt_object_get_name(&thread->parent, name, name_size);
}
