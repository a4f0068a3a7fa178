/* rtobjects.h - threads, IPC objects and memory pools of RT-Thread 5.1 (part of rtdef.h,
 * which includes it; the layout table is in rtdef.h's header comment). */
#ifndef __RT_OBJECTS_H__
#define __RT_OBJECTS_H__

#ifndef __RT_DEF_H__
#include <rtdef.h>
#endif
#include <signal.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Signals: numbers are newlib's <signal.h> (SIGUSR1 ...), as RT-Thread on newlib uses. */
typedef unsigned long rt_sigset_t;
typedef void (*rt_sighandler_t)(int signo);
typedef siginfo_t rt_siginfo_t;
#define RT_SIG_MAX              32

/* Thread states (the low three bits of stat) and flags above them. */
#define RT_THREAD_INIT          0x00
#define RT_THREAD_CLOSE         0x01
#define RT_THREAD_READY         0x02
#define RT_THREAD_RUNNING       0x03
#define RT_THREAD_SUSPEND_MASK  0x04
#define RT_SIGNAL_COMMON_WAKEUP_MASK 0x02
#define RT_SIGNAL_KILL_WAKEUP_MASK   0x01
#define RT_THREAD_SUSPEND_INTERRUPTIBLE   (RT_THREAD_SUSPEND_MASK)
#define RT_THREAD_SUSPEND                 RT_THREAD_SUSPEND_INTERRUPTIBLE
#define RT_THREAD_SUSPEND_KILLABLE        (RT_THREAD_SUSPEND_MASK | RT_SIGNAL_COMMON_WAKEUP_MASK)
#define RT_THREAD_SUSPEND_UNINTERRUPTIBLE (RT_THREAD_SUSPEND_MASK | RT_SIGNAL_COMMON_WAKEUP_MASK | \
                                           RT_SIGNAL_KILL_WAKEUP_MASK)
#define RT_THREAD_STAT_MASK     0x07
#define RT_THREAD_STAT_YIELD    0x08
#define RT_THREAD_STAT_YIELD_MASK RT_THREAD_STAT_YIELD
#define RT_THREAD_STAT_SIGNAL   0x10
#define RT_THREAD_STAT_SIGNAL_READY   (RT_THREAD_STAT_SIGNAL | RT_THREAD_READY)
#define RT_THREAD_STAT_SIGNAL_WAIT    0x20
#define RT_THREAD_STAT_SIGNAL_PENDING 0x40
#define RT_THREAD_STAT_SIGNAL_MASK    0xf0

enum { RT_INTERRUPTIBLE = 0, RT_KILLABLE, RT_UNINTERRUPTIBLE };

#define RT_THREAD_CTRL_STARTUP          0x00
#define RT_THREAD_CTRL_CLOSE            0x01
#define RT_THREAD_CTRL_CHANGE_PRIORITY  0x02
#define RT_THREAD_CTRL_INFO             0x03
#define RT_THREAD_CTRL_BIND_CPU         0x04
#define RT_THREAD_CTRL_RESET_PRIORITY   0x05

/* 5.1 keeps the scheduler's fields in a sub-struct; RT_SCHED_PRIV/RT_SCHED_CTX reach them. */
struct rt_sched_thread_priv
{
    rt_tick_t   init_tick;
    rt_tick_t   remaining_tick;
    rt_uint8_t  current_priority;
    rt_uint8_t  init_priority;
    rt_uint32_t number_mask;
};

struct rt_sched_thread_ctx
{
    rt_list_t   thread_list_node;
    rt_uint8_t  stat;
    rt_uint8_t  sched_flag_locked:1;
    rt_uint8_t  sched_flag_ttmr_set:1;
    struct rt_sched_thread_priv sched_thread_priv;
};

#define RT_SCHED_PRIV(thread)   ((thread)->sched_thread_ctx.sched_thread_priv)
#define RT_SCHED_CTX(thread)    ((thread)->sched_thread_ctx)
#define RT_THREAD_LIST_NODE(thread) (RT_SCHED_CTX(thread).thread_list_node)
#define RT_THREAD_LIST_NODE_ENTRY(node) \
    rt_container_of(rt_list_entry((node), struct rt_sched_thread_ctx, thread_list_node), \
                    struct rt_thread, sched_thread_ctx)

struct rt_thread;
typedef void (*rt_thread_cleanup_t)(struct rt_thread *tid);

struct rt_thread
{
    union {
        struct rt_object parent;
        struct { RT_OBJECT_FIELDS_ };            /* 4.x: thread->name, ->type, ->flags */
    };

    void       *sp;
    void       *entry;
    void       *parameter;
    void       *stack_addr;
    rt_uint32_t stack_size;
    rt_err_t    error;

    union {
        struct rt_sched_thread_ctx sched_thread_ctx;
        struct {                                 /* 4.x: the same bytes by their old names */
            rt_list_t   tlist;
            rt_uint8_t  stat;
            rt_uint8_t  sched_flags_;
            rt_tick_t   init_tick;
            rt_tick_t   remaining_tick;
            rt_uint8_t  current_priority;
            rt_uint8_t  init_priority;
            rt_uint32_t number_mask;
        };
    };

    struct rt_timer     thread_timer;           /* sleeps and IPC timeouts */
    rt_thread_cleanup_t cleanup;                /* called when the thread has ended */

    rt_list_t           taken_object_list;      /* mutexes this thread holds */
    rt_object_t         pending_object;         /* what it is suspended on */

    rt_uint32_t         event_set;
    rt_uint8_t          event_info;

    rt_sigset_t         sig_pending;
    rt_sigset_t         sig_mask;
    void               *sig_ret;
    rt_sighandler_t    *sig_vectors;
    void               *si_list;

    rt_ubase_t          user_data;
};
typedef struct rt_thread *rt_thread_t;

#define RT_IPC_FLAG_FIFO        0x00
#define RT_IPC_FLAG_PRIO        0x01
#define RT_IPC_CMD_UNKNOWN      0x00
#define RT_IPC_CMD_RESET        0x01
#define RT_IPC_CMD_GET_STATE    0x02

struct rt_ipc_object
{
    struct rt_object parent;
    rt_list_t        suspend_thread;            /* threads waiting on the object */
};

struct rt_semaphore
{
    struct rt_ipc_object parent;
    rt_uint16_t          value;
    rt_uint16_t          reserved;
};
typedef struct rt_semaphore *rt_sem_t;

struct rt_mutex
{
    struct rt_ipc_object parent;
    rt_uint8_t           ceiling_priority;
    rt_uint8_t           priority;              /* highest priority among its waiters */
    rt_uint8_t           hold;                  /* recursive takes by the owner */
    rt_uint8_t           reserved;
    struct rt_thread    *owner;
    rt_list_t            taken_list;            /* node in the owner's taken_object_list */
};
typedef struct rt_mutex *rt_mutex_t;

#define RT_EVENT_FLAG_AND       0x01
#define RT_EVENT_FLAG_OR        0x02
#define RT_EVENT_FLAG_CLEAR     0x04

struct rt_event
{
    struct rt_ipc_object parent;
    rt_uint32_t          set;
};
typedef struct rt_event *rt_event_t;

struct rt_mailbox
{
    struct rt_ipc_object parent;
    rt_ubase_t          *msg_pool;
    rt_uint16_t          size;                  /* capacity in mails */
    rt_uint16_t          entry;                 /* mails held */
    rt_uint16_t          in_offset;
    rt_uint16_t          out_offset;
    rt_list_t            suspend_sender_thread;
};
typedef struct rt_mailbox *rt_mailbox_t;

struct rt_messagequeue
{
    struct rt_ipc_object parent;
    void                *msg_pool;
    rt_uint16_t          msg_size;
    rt_uint16_t          max_msgs;
    rt_uint16_t          entry;                 /* messages held */
    void                *msg_queue_head;
    void                *msg_queue_tail;
    void                *msg_queue_free;
    rt_list_t            suspend_sender_thread;
};
typedef struct rt_messagequeue *rt_mq_t;

struct rt_mempool
{
    struct rt_object parent;
    void            *start_address;
    rt_size_t        size;
    rt_size_t        block_size;
    rt_uint8_t      *block_list;
    rt_size_t        block_total_count;
    rt_size_t        block_free_count;
    rt_list_t        suspend_thread;
};
typedef struct rt_mempool *rt_mp_t;

#ifdef __cplusplus
}
#endif

#endif /* __RT_OBJECTS_H__ */
