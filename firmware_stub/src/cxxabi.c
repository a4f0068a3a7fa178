/* The C++ runtime support modules built with -fno-exceptions -fno-rtti need (operator
 * new/delete are veneer aliases of rt_malloc/rt_free). Static destructors and atexit()
 * handlers are registered with the kernel, which runs them when the calling module ends. */
#include <stdint.h>

#include <rtthread.h>
#include "rtdl_services.h"

/* Modules link with -nostdlib (no crtbegin.o), so they import this one. */
void *__dso_handle = 0;

int __cxa_atexit(void (*func)(void *), void *arg, void *dso);
int __aeabi_atexit(void *arg, void (*func)(void *), void *dso);
int atexit(void (*func)(void));
void __cxa_pure_virtual(void);
void __cxa_deleted_virtual(void);
int __cxa_guard_acquire(int *guard);
void __cxa_guard_release(int *guard);
void __cxa_guard_abort(int *guard);

int __cxa_atexit(void (*func)(void *), void *arg, void *dso)
{
    return __rtdl_atexit(func, arg, dso);
}

/* ARM EABI: same as __cxa_atexit with the first two arguments swapped. */
int __aeabi_atexit(void *arg, void (*func)(void *), void *dso)
{
    return __rtdl_atexit(func, arg, dso);
}

/* C atexit(): the handler ignores the (null) argument it is called with. */
int atexit(void (*func)(void))
{
    return __rtdl_atexit((void (*)(void *))func, 0, 0);
}

void __cxa_pure_virtual(void)
{
    __rtdl_abort("pure virtual");
    for (;;)
        __builtin_trap();
}

void __cxa_deleted_virtual(void)
{
    __rtdl_abort("deleted virtual");
    for (;;)
        __builtin_trap();
}

/* Function-local statics (ARM EABI guard: 32 bits, bit 0 = initialised). Byte 1 marks an
 * initialisation in progress; another thread waiting for it yields. */
int __cxa_guard_acquire(int *guard)
{
    volatile uint8_t *g = (volatile uint8_t *)guard;

    if (*(volatile int *)guard & 1)
        return 0;
    while (g[1])
        rt_thread_yield();
    if (*(volatile int *)guard & 1)
        return 0;
    g[1] = 1;
    return 1;
}

void __cxa_guard_release(int *guard)
{
    *(volatile int *)guard = 1;
}

void __cxa_guard_abort(int *guard)
{
    ((volatile uint8_t *)guard)[1] = 0;
}
