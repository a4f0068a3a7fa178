/* Prototypes of the SVC veneers the firmware itself calls (generated from
 * port/modules/services.py into svc_veneers.S; the number of a service is its index there).
 * Veneers that modules call directly (rt_malloc, malloc, dlopen ...) are declared by the
 * public headers. */
#ifndef RTDL_SERVICES_H
#define RTDL_SERVICES_H

#include <stddef.h>
#include <rtthread.h>

int __rtdl_console_write(const void *buf, size_t len);          /* -> len written */
void __rtdl_exit(int code);                                     /* never returns */
void __rtdl_abort(const char *reason);                          /* never returns */
void *__rtdl_memalign(size_t align, size_t size);
size_t __rtdl_malloc_usable_size(void *ptr);
void __rtdl_memory_info(rt_size_t *total, rt_size_t *used, rt_size_t *max_used);
int __rtdl_atexit(void (*func)(void *), void *arg, void *dso);  /* 0 = registered */
void __rtdl_thread_exit(void);                                  /* never returns */
struct rtdl_timer_job { void (*timeout)(void *parameter); void *parameter; };
/* the timer thread's next soft timer callback: 1 = run *job, 0 = ask again, -1 = none left */
int __rtdl_timer_next(struct rtdl_timer_job *job);
/* the idle thread's next idle hook to call (RT_NULL: none is set) */
void (*__rtdl_idle_next(void))(void);

/* The control blocks and stacks of the system threads (tidle0, tshell): static, as
 * RT-Thread's idle thread is. The kernel (systhreads.py) knows this layout. */
struct rtdl_system_threads
{
    struct rt_thread idle;
    struct rt_thread shell;
    rt_uint8_t idle_stack[IDLE_THREAD_STACK_SIZE] __attribute__((aligned(8)));
    rt_uint8_t shell_stack[FINSH_THREAD_STACK_SIZE] __attribute__((aligned(8)));
};

/* A firmware function that rt_mallocs on behalf of the module calling it: placed between
 * link.ld's __rtdl_caller_heap_start and _end, where the kernel charges its blocks to the
 * running thread's module (ownership.py) instead of the system, so they are reclaimed when
 * that module ends. */
#define RTDL_CALLER_HEAP __attribute__((section(".text.rtdl_caller_heap"), noinline))

/* Aliases of the veneers above, as newlib spells them. */
void *memalign(size_t align, size_t size);
size_t malloc_usable_size(void *ptr);

#endif /* RTDL_SERVICES_H */
