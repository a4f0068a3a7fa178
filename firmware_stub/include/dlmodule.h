/* dlmodule.h - RT-Thread dynamic modules. The Python kernel reads and writes struct
 * rt_dlmodule in target memory: its layout is fixed (checked below). */
#ifndef RT_DL_MODULE_H__
#define RT_DL_MODULE_H__

#include <rtthread.h>
#include <rtm.h>

#ifdef __cplusplus
extern "C" {
#endif

#define RT_DLMODULE_STAT_INIT       0x00
#define RT_DLMODULE_STAT_RUNNING    0x01
#define RT_DLMODULE_STAT_CLOSING    0x02
#define RT_DLMODULE_STAT_CLOSED     0x03

struct rt_dlmodule;
typedef void (*rt_dlmodule_init_func_t)(struct rt_dlmodule *module);
typedef void (*rt_dlmodule_cleanup_func_t)(struct rt_dlmodule *module);
typedef int  (*rt_dlmodule_entry_func_t)(int argc, char **argv);

struct rt_dlmodule
{
    char         name[12];          /*  0: NUL padded, at most RT_NAME_MAX characters */
    rt_uint8_t   stat;              /* 12: RT_DLMODULE_STAT_* */
    rt_uint8_t   reserved;          /* 13 */
    rt_uint16_t  nref;              /* 14: reference count */
    rt_uint16_t  priority;          /* 16: main thread priority */
    rt_uint16_t  nsym;              /* 18: entries in symtab */
    rt_uint32_t  stack_size;        /* 20: main thread stack size */
    int          ret_code;          /* 24: main's return value / exit code */
    void        *mem_space;         /* 28: the module's memory block */
    rt_uint32_t  mem_size;          /* 32 */
    void        *entry_addr;        /* 36: main */
    struct rt_module_symtab *symtab;/* 40: dlsym table */
};                                  /* 44 bytes */

#if defined(__cplusplus) && __cplusplus >= 201103L
#define RT_DLMODULE_ASSERT(e, msg)  static_assert(e, msg)
#elif defined(__cplusplus)
#define RT_DLMODULE_ASSERT(e, msg)  typedef char rt_dlmodule_assert_##__LINE__[(e) ? 1 : -1]
#else
#define RT_DLMODULE_ASSERT(e, msg)  __extension__ _Static_assert(e, msg)
#endif

RT_DLMODULE_ASSERT(offsetof(struct rt_dlmodule, name) == 0, "rt_dlmodule.name");
RT_DLMODULE_ASSERT(offsetof(struct rt_dlmodule, stat) == 12, "rt_dlmodule.stat");
RT_DLMODULE_ASSERT(offsetof(struct rt_dlmodule, reserved) == 13, "rt_dlmodule.reserved");
RT_DLMODULE_ASSERT(offsetof(struct rt_dlmodule, nref) == 14, "rt_dlmodule.nref");
RT_DLMODULE_ASSERT(offsetof(struct rt_dlmodule, priority) == 16, "rt_dlmodule.priority");
RT_DLMODULE_ASSERT(offsetof(struct rt_dlmodule, nsym) == 18, "rt_dlmodule.nsym");
RT_DLMODULE_ASSERT(offsetof(struct rt_dlmodule, stack_size) == 20, "rt_dlmodule.stack_size");
RT_DLMODULE_ASSERT(offsetof(struct rt_dlmodule, ret_code) == 24, "rt_dlmodule.ret_code");
RT_DLMODULE_ASSERT(offsetof(struct rt_dlmodule, mem_space) == 28, "rt_dlmodule.mem_space");
RT_DLMODULE_ASSERT(offsetof(struct rt_dlmodule, mem_size) == 32, "rt_dlmodule.mem_size");
RT_DLMODULE_ASSERT(offsetof(struct rt_dlmodule, entry_addr) == 36, "rt_dlmodule.entry_addr");
RT_DLMODULE_ASSERT(offsetof(struct rt_dlmodule, symtab) == 40, "rt_dlmodule.symtab");
RT_DLMODULE_ASSERT(sizeof(struct rt_dlmodule) == 44, "sizeof(struct rt_dlmodule)");

/* Optional hooks a module may define: run after loading / before destruction. */
void module_init(struct rt_dlmodule *module);
void module_cleanup(struct rt_dlmodule *module);

struct rt_dlmodule *dlmodule_load(const char *pgname);
struct rt_dlmodule *dlmodule_exec(const char *pgname, const char *cmd, int cmd_size);
void dlmodule_exit(int ret_code) __attribute__((noreturn));
struct rt_dlmodule *dlmodule_find(const char *name);
struct rt_dlmodule *dlmodule_self(void);
rt_uint32_t dlmodule_symbol_find(const char *sym_str);

#ifdef __cplusplus
}
#endif

#endif /* RT_DL_MODULE_H__ */
