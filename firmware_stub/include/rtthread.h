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

#define RT_UNUSED               __attribute__((unused))
#define RT_USED                 __attribute__((used))
#define RT_SECTION(x)           __attribute__((section(x)))
#define RT_WEAK                 __attribute__((weak))
#define rt_inline               static __inline

typedef struct rt_thread *rt_thread_t;  /* opaque */

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

#ifdef __cplusplus
}
#endif

#endif /* __RT_THREAD_H__ */
