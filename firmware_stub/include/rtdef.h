/* rtdef.h - RT-Thread 5.1's basic types, constants and kernel object structures, as a module
 * built for a non-SMP RT-Thread 5.1.0 with RT_USING_MODULE (rtconfig.h) sees them.
 *
 * Layout (32-bit ARM, AAPCS; offsets in bytes; checked against port/modules/rtdl_device/rt_layout.py by
 * tests/test_rt_layout.py). The kernel keeps the fields marked * true in target memory:
 *   struct rt_object        24: name*[8] 0, type* 8, flag* 9, module_id 12, list 16
 *   struct rt_timer         48: parent 0, row 24, timeout_func 32, parameter 36,
 *                               init_tick 40, timeout_tick 44
 *   struct rt_thread       172: parent 0 (name* 0, type* 8, flags 9), sp 24, entry 28,
 *                               parameter 32, stack_addr 36, stack_size 40, error 44,
 *                               sched_thread_ctx 48 = { tlist 48, stat* 56,
 *                               init_tick 60, remaining_tick 64, current_priority* 68,
 *                               init_priority* 69, number_mask 72 }, thread_timer 76,
 *                               cleanup 124, taken_object_list 128, pending_object 136,
 *                               event_set 140, event_info 144, sig_pending 148,
 *                               sig_mask 152, sig_ret 156, sig_vectors 160, si_list 164,
 *                               user_data 168
 *   struct rt_ipc_object    32: parent 0, suspend_thread 24
 *   struct rt_semaphore     36: value* 32 (u16), reserved 34
 *   struct rt_mutex         48: ceiling_priority 32, priority 33, hold* 34, reserved 35,
 *                               owner* 36, taken_list 40
 *   struct rt_event         36: set* 32
 *   struct rt_mailbox       52: msg_pool 32, size 36, entry* 38, in_offset 40,
 *                               out_offset 42, suspend_sender_thread 44
 *   struct rt_messagequeue  64: msg_pool 32, msg_size 36, max_msgs 38, entry* 40,
 *                               msg_queue_head 44, msg_queue_tail 48, msg_queue_free 52,
 *                               suspend_sender_thread 56
 *   struct rt_mempool       56: parent 0, start_address 24, size 28, block_size 32,
 *                               block_list 36, block_total_count 40,
 *                               block_free_count* 44, suspend_thread 48
 * Simplified against RT-Thread 5.1: no spinlock or ref_count members (they are empty or
 * debug-only without SMP) and no CPU-usage, pthread or LWP members. rt_thread also answers
 * to the 4.x flat names (thread->name, ->tlist, ->stat, ->current_priority ...) through
 * anonymous unions over the same bytes, so sources of either era compile. */
#ifndef __RT_DEF_H__
#define __RT_DEF_H__

#include <stddef.h>
#include <stdint.h>
#include <rtconfig.h>
#include <rtcompiler.h>

#ifdef __cplusplus
extern "C" {
#endif

/* RT-Thread 5.1.0: behaviour follows that release's src/ where versions differ */
#define RT_VERSION_MAJOR        5
#define RT_VERSION_MINOR        1
#define RT_VERSION_PATCH        0
#define RT_VERSION_CHECK(major, minor, revise) ((major * 10000) + (minor * 100) + revise)
#define RTTHREAD_VERSION        RT_VERSION_CHECK(RT_VERSION_MAJOR, RT_VERSION_MINOR, RT_VERSION_PATCH)
#define RT_VER_NUM              0x50100
/* the 4.x names of the version numbers */
#define RT_VERSION              RT_VERSION_MAJOR
#define RT_SUBVERSION           RT_VERSION_MINOR
#define RT_REVISION             RT_VERSION_PATCH

typedef int8_t                  rt_int8_t;
typedef int16_t                 rt_int16_t;
typedef int32_t                 rt_int32_t;
typedef int64_t                 rt_int64_t;
typedef uint8_t                 rt_uint8_t;
typedef uint16_t                rt_uint16_t;
typedef uint32_t                rt_uint32_t;
typedef uint64_t                rt_uint64_t;
typedef int                     rt_bool_t;
typedef long                    rt_base_t;
typedef unsigned long           rt_ubase_t;
typedef rt_base_t               rt_err_t;
typedef rt_uint32_t             rt_time_t;
typedef rt_uint32_t             rt_tick_t;
typedef rt_base_t               rt_flag_t;
typedef rt_ubase_t              rt_size_t;
typedef rt_base_t               rt_ssize_t;
typedef rt_ubase_t              rt_dev_t;
typedef rt_base_t               rt_off_t;
typedef rt_base_t               rt_atomic_t;

#define RT_TRUE                 1
#define RT_FALSE                0
#define RT_NULL                 (0)

#define RT_UINT8_MAX            0xff
#define RT_UINT16_MAX           0xffff
#define RT_UINT32_MAX           0xffffffff
#define RT_TICK_MAX             RT_UINT32_MAX
#define RT_SEM_VALUE_MAX        RT_UINT16_MAX
#define RT_MUTEX_VALUE_MAX      RT_UINT16_MAX
#define RT_MUTEX_HOLD_MAX       RT_UINT8_MAX
#define RT_MB_ENTRY_MAX         RT_UINT16_MAX
#define RT_MQ_ENTRY_MAX         RT_UINT16_MAX

#define RT_ALIGN(size, align)   (((size) + (align) - 1) & ~((align) - 1))
#define RT_ALIGN_DOWN(size, align) ((size) & ~((align) - 1))
#define RT_ARRAY_SIZE(arr)      (sizeof(arr) / sizeof(arr[0]))

/* Error codes (RT-Thread's compact numbering, not POSIX errno); APIs return them negated. */
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
#define RT_ENOENT               11
#define RT_ENOSPC               12
#define RT_EPERM                13
#define RT_ETRAP                14
#define RT_EFAULT               15
#define RT_ENOBUFS              16
#define RT_ESCHEDISR            17
#define RT_ESCHEDLOCKED         18

#define RT_WAITING_FOREVER      -1
#define RT_WAITING_NO           0

/* Init levels: a module's functions run at load in level order (kernel side, issue 9). */
typedef int (*init_fn_t)(void);
#define INIT_EXPORT(fn, level) \
    rt_keep_linkage rt_keep const init_fn_t __rt_init_##fn rt_section(".rti_fn." level) = fn
#define INIT_BOARD_EXPORT(fn)       INIT_EXPORT(fn, "1")
#define INIT_PREV_EXPORT(fn)        INIT_EXPORT(fn, "2")
#define INIT_DEVICE_EXPORT(fn)      INIT_EXPORT(fn, "3")
#define INIT_COMPONENT_EXPORT(fn)   INIT_EXPORT(fn, "4")
#define INIT_ENV_EXPORT(fn)         INIT_EXPORT(fn, "5")
#define INIT_APP_EXPORT(fn)         INIT_EXPORT(fn, "6")

#define RT_EVENT_LENGTH         32

struct rt_list_node { struct rt_list_node *next, *prev; };
typedef struct rt_list_node rt_list_t;
struct rt_slist_node { struct rt_slist_node *next; };
typedef struct rt_slist_node rt_slist_t;

#define RT_OBJECT_FLAG_MODULE   0x80

/* The 4.x header of every object, by name: spliced into rt_thread's anonymous union. */
#define RT_OBJECT_FIELDS_                                                   \
    char        name[RT_NAME_MAX];                                          \
    rt_uint8_t  type;                                                       \
    union { rt_uint8_t flag; rt_uint8_t flags; };                           \
    void       *module_id;                                                  \
    rt_list_t   list;

struct rt_object
{
    char        name[RT_NAME_MAX];
    rt_uint8_t  type;               /* RT_Object_Class_*, | RT_Object_Class_Static */
    rt_uint8_t  flag;
    void       *module_id;          /* the owning module's struct rt_dlmodule, or 0 */
    rt_list_t   list;
};
typedef struct rt_object *rt_object_t;

enum rt_object_class_type
{
    RT_Object_Class_Null          = 0x00,
    RT_Object_Class_Thread        = 0x01,
    RT_Object_Class_Semaphore     = 0x02,
    RT_Object_Class_Mutex         = 0x03,
    RT_Object_Class_Event         = 0x04,
    RT_Object_Class_MailBox       = 0x05,
    RT_Object_Class_MessageQueue  = 0x06,
    RT_Object_Class_MemHeap       = 0x07,
    RT_Object_Class_MemPool       = 0x08,
    RT_Object_Class_Device        = 0x09,
    RT_Object_Class_Timer         = 0x0a,
    RT_Object_Class_Module        = 0x0b,
    RT_Object_Class_Channel       = 0x0c,
    RT_Object_Class_Custom        = 0x0d,
    RT_Object_Class_Unknown       = 0x0e,
    RT_Object_Class_Static        = 0x80
};

struct rt_object_information
{
    enum rt_object_class_type type;
    rt_list_t                 object_list;
    rt_size_t                 object_size;
};

#define RT_OBJECT_HOOK_CALL(func, argv) do { if ((func) != RT_NULL) func argv; } while (0)

#define RT_TIMER_FLAG_DEACTIVATED   0x0
#define RT_TIMER_FLAG_ACTIVATED     0x1
#define RT_TIMER_FLAG_ONE_SHOT      0x0
#define RT_TIMER_FLAG_PERIODIC      0x2
#define RT_TIMER_FLAG_HARD_TIMER    0x0     /* callback in the tick interrupt */
#define RT_TIMER_FLAG_SOFT_TIMER    0x4     /* callback in the timer thread */
#define RT_TIMER_FLAG_THREAD_TIMER  0x8

#define RT_TIMER_CTRL_SET_TIME      0x0
#define RT_TIMER_CTRL_GET_TIME      0x1
#define RT_TIMER_CTRL_SET_ONESHOT   0x2
#define RT_TIMER_CTRL_SET_PERIODIC  0x3
#define RT_TIMER_CTRL_GET_STATE     0x4
#define RT_TIMER_CTRL_GET_REMAIN_TIME 0x5
#define RT_TIMER_CTRL_GET_FUNC      0x6
#define RT_TIMER_CTRL_SET_FUNC      0x7
#define RT_TIMER_CTRL_GET_PARM      0x8
#define RT_TIMER_CTRL_SET_PARM      0x9

#define RT_TIMER_SKIP_LIST_LEVEL    1
#define RT_TIMER_SKIP_LIST_MASK     0x3

struct rt_timer
{
    struct rt_object parent;
    rt_list_t        row[RT_TIMER_SKIP_LIST_LEVEL];
    void           (*timeout_func)(void *parameter);
    void            *parameter;
    rt_tick_t        init_tick;
    rt_tick_t        timeout_tick;
};
typedef struct rt_timer *rt_timer_t;

/* ---- devices (RT-Thread 5.1 with RT_USING_DEVICE; no RT_USING_DM, RT_USING_DEVICE_OPS or
 * RT_USING_POSIX_DEVIO). The kernel keeps true: parent (name, type), type, flag, open_flag,
 * ref_count, rx_indicate, tx_complete; it reads back flag and the two callbacks a module may
 * set itself. The driver members (init ... control) are 0: the devices are the kernel's and
 * are reached through rt_device_*.
 *   struct rt_device              72: parent 0, type 24 (an enum: one byte, arm-none-eabi's
 *                                     short enums), flag 26 (u16), open_flag 28 (u16),
 *                                     ref_count 30 (u8), device_id 31, rx_indicate 32,
 *                                     tx_complete 36, init 40, open 44, close 48, read 52,
 *                                     write 56, control 60, readlink 64, user_data 68
 *   struct rt_device_blk_geometry 16: sector_count 0 (u64), bytes_per_sector 8,
 *                                     block_size 12 */
enum rt_device_class_type
{
    RT_Device_Class_Char = 0,
    RT_Device_Class_Block,
    RT_Device_Class_NetIf,
    RT_Device_Class_MTD,
    RT_Device_Class_CAN,
    RT_Device_Class_RTC,
    RT_Device_Class_Sound,
    RT_Device_Class_Graphic,
    RT_Device_Class_I2CBUS,
    RT_Device_Class_USBDevice,
    RT_Device_Class_USBHost,
    RT_Device_Class_USBOTG,
    RT_Device_Class_SPIBUS,
    RT_Device_Class_SPIDevice,
    RT_Device_Class_SDIO,
    RT_Device_Class_PM,
    RT_Device_Class_Pipe,
    RT_Device_Class_Portal,
    RT_Device_Class_Timer,
    RT_Device_Class_Miscellaneous,
    RT_Device_Class_Sensor,
    RT_Device_Class_Touch,
    RT_Device_Class_PHY,
    RT_Device_Class_Security,
    RT_Device_Class_WLAN,
    RT_Device_Class_Pin,
    RT_Device_Class_ADC,
    RT_Device_Class_DAC,
    RT_Device_Class_WDT,
    RT_Device_Class_PWM,
    RT_Device_Class_Bus,
    RT_Device_Class_Unknown
};

#define RT_DEVICE_FLAG_DEACTIVATE       0x000
#define RT_DEVICE_FLAG_RDONLY           0x001
#define RT_DEVICE_FLAG_WRONLY           0x002
#define RT_DEVICE_FLAG_RDWR             0x003
#define RT_DEVICE_FLAG_REMOVABLE        0x004
#define RT_DEVICE_FLAG_STANDALONE       0x008
#define RT_DEVICE_FLAG_ACTIVATED        0x010
#define RT_DEVICE_FLAG_SUSPENDED        0x020
#define RT_DEVICE_FLAG_STREAM           0x040
#define RT_DEVICE_FLAG_DYNAMIC          0x080
#define RT_DEVICE_FLAG_INT_RX           0x100
#define RT_DEVICE_FLAG_DMA_RX           0x200
#define RT_DEVICE_FLAG_INT_TX           0x400
#define RT_DEVICE_FLAG_DMA_TX           0x800

#define RT_DEVICE_OFLAG_CLOSE           0x000
#define RT_DEVICE_OFLAG_RDONLY          0x001
#define RT_DEVICE_OFLAG_WRONLY          0x002
#define RT_DEVICE_OFLAG_RDWR            0x003
#define RT_DEVICE_OFLAG_OPEN            0x008
#define RT_DEVICE_OFLAG_MASK            0xf0f

#define RT_DEVICE_CTRL_RESUME           0x01
#define RT_DEVICE_CTRL_SUSPEND          0x02
#define RT_DEVICE_CTRL_CONFIG           0x03
#define RT_DEVICE_CTRL_CLOSE            0x04
#define RT_DEVICE_CTRL_NOTIFY_SET       0x05
#define RT_DEVICE_CTRL_SET_INT          0x06
#define RT_DEVICE_CTRL_CLR_INT          0x07
#define RT_DEVICE_CTRL_GET_INT          0x08
#define RT_DEVICE_CTRL_CONSOLE_OFLAG    0x09
#define RT_DEVICE_CTRL_MASK             0x1f

#define RT_DEVICE_CTRL_BASE(Type)       ((RT_Device_Class_##Type + 1) * 0x100)
#define RT_DEVICE_CTRL_CHAR_STREAM      (RT_DEVICE_CTRL_BASE(Char) + 1)
#define RT_DEVICE_CTRL_BLK_GETGEOME     (RT_DEVICE_CTRL_BASE(Block) + 1)
#define RT_DEVICE_CTRL_BLK_SYNC         (RT_DEVICE_CTRL_BASE(Block) + 2)
#define RT_DEVICE_CTRL_BLK_ERASE        (RT_DEVICE_CTRL_BASE(Block) + 3)
#define RT_DEVICE_CTRL_BLK_AUTOREFRESH  (RT_DEVICE_CTRL_BASE(Block) + 4)
#define RT_DEVICE_CTRL_BLK_PARTITION    (RT_DEVICE_CTRL_BASE(Block) + 5)

typedef struct rt_device *rt_device_t;

struct rt_device
{
    struct rt_object          parent;
    enum rt_device_class_type type;
    rt_uint16_t               flag;
    rt_uint16_t               open_flag;
    rt_uint8_t                ref_count;
    rt_uint8_t                device_id;
    rt_err_t (*rx_indicate)(rt_device_t dev, rt_size_t size);
    rt_err_t (*tx_complete)(rt_device_t dev, void *buffer);
    rt_err_t  (*init)   (rt_device_t dev);
    rt_err_t  (*open)   (rt_device_t dev, rt_uint16_t oflag);
    rt_err_t  (*close)  (rt_device_t dev);
    rt_ssize_t (*read)  (rt_device_t dev, rt_off_t pos, void *buffer, rt_size_t size);
    rt_ssize_t (*write) (rt_device_t dev, rt_off_t pos, const void *buffer, rt_size_t size);
    rt_err_t  (*control)(rt_device_t dev, int cmd, void *args);
    rt_err_t (*readlink)(rt_device_t dev, char *buf, int len);
    void                     *user_data;
};

struct rt_device_blk_geometry
{
    rt_uint64_t sector_count;
    rt_uint32_t bytes_per_sector;
    rt_uint32_t block_size;
};

#ifdef __cplusplus
}
#endif

#include <rtobjects.h>

#endif /* __RT_DEF_H__ */
