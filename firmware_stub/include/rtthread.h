/* rtthread.h - the subset of RT-Thread's kernel API that rtdl firmware exports to modules.
 * Types and constants follow RT-Thread's rtdef.h (32-bit ARM). */
#ifndef __RT_THREAD_H__
#define __RT_THREAD_H__

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef int8_t                  rt_int8_t;
typedef int16_t                 rt_int16_t;
typedef int32_t                 rt_int32_t;
typedef int64_t                 rt_int64_t;
typedef uint8_t                 rt_uint8_t;
typedef uint16_t                rt_uint16_t;
typedef uint32_t                rt_uint32_t;
typedef uint64_t                rt_uint64_t;
typedef long                    rt_base_t;
typedef unsigned long           rt_ubase_t;
typedef rt_base_t               rt_err_t;
typedef rt_ubase_t              rt_size_t;
typedef rt_base_t               rt_ssize_t;
typedef rt_uint32_t             rt_tick_t;
typedef int                     rt_bool_t;

#define RT_TRUE                 1
#define RT_FALSE                0
#define RT_NULL                 ((void *)0)

#define RT_NAME_MAX             8
#define RT_ALIGN_SIZE           4
#define RT_ALIGN(size, align)   (((size) + (align) - 1) & ~((align) - 1))
#define RT_ALIGN_DOWN(size, align) ((size) & ~((align) - 1))

/* error codes (RT-Thread returns them negated from most APIs) */
#define RT_EOK                  0
#define RT_ERROR                1
#define RT_ETIMEOUT             2
#define RT_EFULL                3
#define RT_EEMPTY               4
#define RT_ENOMEM               5
#define RT_ENOSYS               6
#define RT_EBUSY                7
#define RT_EIO                  8
#define RT_EINTR                9
#define RT_EINVAL               10

#define RT_WAITING_FOREVER      -1
#define RT_WAITING_NO           0

#define RT_TICK_PER_SECOND      1000    /* rt_thread_mdelay(ms) sleeps ms ticks */
#define RT_THREAD_PRIORITY_MAX  32

/* IPC flags: waiters queued in arrival order or by priority */
#define RT_IPC_FLAG_FIFO        0x00
#define RT_IPC_FLAG_PRIO        0x01

#define RT_EVENT_FLAG_AND       0x01
#define RT_EVENT_FLAG_OR        0x02
#define RT_EVENT_FLAG_CLEAR     0x04

#define RT_UNUSED               __attribute__((unused))
#define RT_USED                 __attribute__((used))
#define RT_SECTION(x)           __attribute__((section(x)))
#define RT_WEAK                 __attribute__((weak))
#define rt_inline               static __inline

typedef struct rt_thread *rt_thread_t;  /* opaque */
typedef struct rt_semaphore *rt_sem_t;  /* opaque handles of kernel objects */
typedef struct rt_mutex *rt_mutex_t;
typedef struct rt_event *rt_event_t;
typedef struct rt_mailbox *rt_mailbox_t;

int rt_kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

void *rt_malloc(rt_size_t size);
void rt_free(void *ptr);
void *rt_realloc(void *ptr, rt_size_t newsize);
void *rt_calloc(rt_size_t count, rt_size_t size);
void *rt_malloc_align(rt_size_t size, rt_size_t align);
void rt_free_align(void *ptr);
void rt_memory_info(rt_size_t *total, rt_size_t *used, rt_size_t *max_used);

rt_thread_t rt_thread_self(void);
rt_tick_t rt_tick_get(void);
rt_err_t rt_thread_mdelay(rt_int32_t ms);
rt_err_t rt_thread_delay(rt_tick_t tick);
rt_err_t rt_thread_yield(void);

/* Threads: priority 0 (highest) .. RT_THREAD_PRIORITY_MAX-1; `tick` is the time slice in
 * ticks. A thread whose entry returns ends. Threads and IPC objects created by a module's
 * thread belong to the module and are deleted when it ends. */
rt_thread_t rt_thread_create(const char *name, void (*entry)(void *parameter), void *parameter,
                             rt_uint32_t stack_size, rt_uint8_t priority, rt_uint32_t tick);
rt_err_t rt_thread_startup(rt_thread_t thread);
rt_err_t rt_thread_delete(rt_thread_t thread);

rt_inline rt_tick_t rt_tick_from_millisecond(rt_int32_t ms)
{
    return ms > 0 ? (rt_tick_t)(((rt_int64_t)ms * RT_TICK_PER_SECOND + 999) / 1000) : 0;
}

/* IPC: timeouts in ticks (RT_WAITING_FOREVER, or 0: do not wait); results RT_EOK or
 * -RT_ETIMEOUT, -RT_EFULL, -RT_ERROR (object deleted while waiting, not the owner ...). */
rt_sem_t rt_sem_create(const char *name, rt_uint32_t value, rt_uint8_t flag);
rt_err_t rt_sem_delete(rt_sem_t sem);
rt_err_t rt_sem_take(rt_sem_t sem, rt_int32_t timeout);
rt_err_t rt_sem_trytake(rt_sem_t sem);
rt_err_t rt_sem_release(rt_sem_t sem);

rt_mutex_t rt_mutex_create(const char *name, rt_uint8_t flag);
rt_err_t rt_mutex_delete(rt_mutex_t mutex);
rt_err_t rt_mutex_take(rt_mutex_t mutex, rt_int32_t timeout);
rt_err_t rt_mutex_trytake(rt_mutex_t mutex);
rt_err_t rt_mutex_release(rt_mutex_t mutex);

rt_event_t rt_event_create(const char *name, rt_uint8_t flag);
rt_err_t rt_event_delete(rt_event_t event);
rt_err_t rt_event_send(rt_event_t event, rt_uint32_t set);
rt_err_t rt_event_recv(rt_event_t event, rt_uint32_t set, rt_uint8_t option,
                       rt_int32_t timeout, rt_uint32_t *recved);

rt_mailbox_t rt_mb_create(const char *name, rt_size_t size, rt_uint8_t flag);
rt_err_t rt_mb_delete(rt_mailbox_t mb);
rt_err_t rt_mb_send(rt_mailbox_t mb, rt_ubase_t value);
rt_err_t rt_mb_send_wait(rt_mailbox_t mb, rt_ubase_t value, rt_int32_t timeout);
rt_err_t rt_mb_recv(rt_mailbox_t mb, rt_ubase_t *value, rt_int32_t timeout);

#ifdef __cplusplus
}
#endif

#endif /* __RT_THREAD_H__ */
