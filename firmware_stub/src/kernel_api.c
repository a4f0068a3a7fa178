/* Boot-time initialisation, module exit paths and the small kernel API written in C
 * (everything else is an SVC veneer generated from port/modules/services.py). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include <rtthread.h>
#include <dlmodule.h>
#include "rtdl_services.h"

extern void (*__preinit_array_start[])(void) __attribute__((weak));
extern void (*__preinit_array_end[])(void) __attribute__((weak));
extern void (*__init_array_start[])(void) __attribute__((weak));
extern void (*__init_array_end[])(void) __attribute__((weak));

void rtdl_firmware_init(void);
void rt_module_main_return(int code) __attribute__((noreturn));

/* Called once by the board (or Reset_Handler) before any module runs. Everything libc keeps
 * for itself is allocated here, by the system, rather than by whichever module first prints:
 * per-module leak reclaim must never free libc's own memory. */
void rtdl_firmware_init(void)
{
    void (**fn)(void);
    char warm[320];

    for (fn = __preinit_array_start; fn < __preinit_array_end; fn++)
        (*fn)();
    for (fn = __init_array_start; fn < __init_array_end; fn++)
        (*fn)();

    /* newlib's setvbuf (FreeBSD-derived) mallocs the buffer at once when buf is NULL.
     * stdin stays unbuffered: reads return EOF and allocate nothing. */
    setvbuf(stdout, NULL, _IOLBF, 256);
    setvbuf(stderr, NULL, _IOLBF, 256);
    setvbuf(stdin, NULL, _IONBF, 0);

    /* Warm dtoa's Bigint freelist (reent->_freelist, kept for ever once allocated) with the
     * sizes the widest double conversions need, so %f/%e/%g in a module reuse them. */
    snprintf(warm, sizeof warm, "%f", 1.7976931348623157e308);
    snprintf(warm, sizeof warm, "%.17g", 1.7976931348623157e308);
    snprintf(warm, sizeof warm, "%.17g %.17e", 4.9e-324, 2.2250738585072014e-308);
}

/* main's return address: main(argc, argv) returning `code` ends the module. */
void rt_module_main_return(int code)
{
    dlmodule_exit(code);
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

/* Direct console output, not through stdio's buffer (like RT-Thread's console). */
int rt_kprintf(const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n < 0)
        return n;
    if (n > (int)sizeof buf - 1)
        n = (int)sizeof buf - 1;
    return __rtdl_console_write(buf, (size_t)n);
}

void rt_memory_info(rt_size_t *total, rt_size_t *used, rt_size_t *max_used)
{
    __rtdl_memory_info(total, used, max_used);
}
