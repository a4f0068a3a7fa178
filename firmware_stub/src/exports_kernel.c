/* Kernel API, dynamic-module API, the one heap and the C++ runtime. Most of these are SVC
 * veneers (svc_veneers.S, generated from port/modules/services.py). */
#include <stdlib.h>

#include <rtthread.h>
#include <rtm.h>
#include <dlmodule.h>
#include <dlfcn.h>
#include "rtdl_services.h"

/* C++ runtime (cxxabi.c) and operator new/delete (veneer aliases of rt_malloc/rt_free);
 * the mangled names are plain C identifiers. */
extern void *__dso_handle;
int __cxa_atexit(void (*func)(void *), void *arg, void *dso);
int __aeabi_atexit(void *arg, void (*func)(void *), void *dso);
void __cxa_pure_virtual(void);
void __cxa_deleted_virtual(void);
int __cxa_guard_acquire(int *guard);
void __cxa_guard_release(int *guard);
void __cxa_guard_abort(int *guard);
void _Znwj(void);                   /* operator new(unsigned int) */
void _Znaj(void);                   /* operator new[](unsigned int) */
void _ZnwjRKSt9nothrow_t(void);     /* operator new(unsigned int, std::nothrow_t const&) */
void _ZnajRKSt9nothrow_t(void);     /* operator new[](unsigned int, std::nothrow_t const&) */
void _ZdlPv(void);                  /* operator delete(void*) */
void _ZdaPv(void);                  /* operator delete[](void*) */
void _ZdlPvj(void);                 /* operator delete(void*, unsigned int) */
void _ZdaPvj(void);                 /* operator delete[](void*, unsigned int) */
void _ZdlPvRKSt9nothrow_t(void);    /* operator delete(void*, std::nothrow_t const&) */
void _ZdaPvRKSt9nothrow_t(void);    /* operator delete[](void*, std::nothrow_t const&) */

/* RT-Thread kernel */
RTM_EXPORT(rt_kprintf)
RTM_EXPORT(rt_malloc)
RTM_EXPORT(rt_free)
RTM_EXPORT(rt_realloc)
RTM_EXPORT(rt_calloc)
RTM_EXPORT(rt_malloc_align)
RTM_EXPORT(rt_free_align)
RTM_EXPORT(rt_memory_info)
RTM_EXPORT(rt_thread_self)
RTM_EXPORT(rt_tick_get)
RTM_EXPORT(rt_thread_mdelay)
RTM_EXPORT(rt_thread_delay)
RTM_EXPORT(rt_thread_yield)
RTM_EXPORT(rt_thread_create)
RTM_EXPORT(rt_thread_startup)
RTM_EXPORT(rt_thread_delete)
RTM_EXPORT(rt_sem_create)
RTM_EXPORT(rt_sem_delete)
RTM_EXPORT(rt_sem_take)
RTM_EXPORT(rt_sem_trytake)
RTM_EXPORT(rt_sem_release)
RTM_EXPORT(rt_mutex_create)
RTM_EXPORT(rt_mutex_delete)
RTM_EXPORT(rt_mutex_take)
RTM_EXPORT(rt_mutex_trytake)
RTM_EXPORT(rt_mutex_release)
RTM_EXPORT(rt_event_create)
RTM_EXPORT(rt_event_delete)
RTM_EXPORT(rt_event_send)
RTM_EXPORT(rt_event_recv)
RTM_EXPORT(rt_mb_create)
RTM_EXPORT(rt_mb_delete)
RTM_EXPORT(rt_mb_send)
RTM_EXPORT(rt_mb_send_wait)
RTM_EXPORT(rt_mb_recv)

/* dynamic modules and libdl */
RTM_EXPORT(dlmodule_load)
RTM_EXPORT(dlmodule_exec)
RTM_EXPORT(dlmodule_exit)
RTM_EXPORT(dlmodule_find)
RTM_EXPORT(dlmodule_self)
RTM_EXPORT(dlmodule_symbol_find)
RTM_EXPORT(dlopen)
RTM_EXPORT(dlsym)
RTM_EXPORT(dlclose)
RTM_EXPORT(dlerror)

/* the C heap (one heap: the same services as rt_malloc ...) */
RTM_EXPORT(malloc)
RTM_EXPORT(free)
RTM_EXPORT(realloc)
RTM_EXPORT(calloc)
RTM_EXPORT(memalign)
RTM_EXPORT(malloc_usable_size)

/* C++ runtime */
RTM_EXPORT(__dso_handle)
RTM_EXPORT(__cxa_atexit)
RTM_EXPORT(__aeabi_atexit)
RTM_EXPORT(atexit)
RTM_EXPORT(__cxa_pure_virtual)
RTM_EXPORT(__cxa_deleted_virtual)
RTM_EXPORT(__cxa_guard_acquire)
RTM_EXPORT(__cxa_guard_release)
RTM_EXPORT(__cxa_guard_abort)
RTM_EXPORT(_Znwj)
RTM_EXPORT(_Znaj)
RTM_EXPORT(_ZnwjRKSt9nothrow_t)
RTM_EXPORT(_ZnajRKSt9nothrow_t)
RTM_EXPORT(_ZdlPv)
RTM_EXPORT(_ZdaPv)
RTM_EXPORT(_ZdlPvj)
RTM_EXPORT(_ZdaPvj)
RTM_EXPORT(_ZdlPvRKSt9nothrow_t)
RTM_EXPORT(_ZdaPvRKSt9nothrow_t)
