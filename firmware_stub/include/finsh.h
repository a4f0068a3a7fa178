/* finsh.h - msh commands and finsh functions exported by a module. Each export is one
 * struct finsh_syscall record in the module's section "FSymTab" (RT-Thread's own layout and
 * section, with FINSH_USING_DESCRIPTION), so the kernel can register a loaded module's
 * commands with msh and drop them at unload. MSH_CMD_EXPORT names carry RT-Thread's
 * "__cmd_" prefix, which msh strips: MSH_CMD_EXPORT(hello, ...) is the command `hello`. */
#ifndef __FINSH_H__
#define __FINSH_H__

#include <rtthread.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef long (*syscall_func)(void);

struct finsh_syscall
{
    const char  *name;          /* "__cmd_<command>" for msh commands */
    const char  *desc;          /* shown by help */
    syscall_func func;          /* int cmd(int argc, char **argv) for msh commands */
};

#define FINSH_FUNCTION_EXPORT_CMD(name, cmd, desc)                               \
    const char __fsym_##cmd##_name[] rt_section(".rodata.name") = #cmd;          \
    const char __fsym_##cmd##_desc[] rt_section(".rodata.name") = #desc;         \
    rt_keep_linkage rt_keep const struct finsh_syscall __fsym_##cmd rt_section("FSymTab") =      \
    {                                                                            \
        __fsym_##cmd##_name,                                                     \
        __fsym_##cmd##_desc,                                                     \
        (syscall_func)&name                                                      \
    };

#define FINSH_FUNCTION_EXPORT(name, desc)   FINSH_FUNCTION_EXPORT_CMD(name, name, desc)
#define FINSH_FUNCTION_EXPORT_ALIAS(name, alias, desc) \
    FINSH_FUNCTION_EXPORT_CMD(name, alias, desc)
#define FINSH_VAR_EXPORT(name, type, desc)

#define MSH_CMD_EXPORT(command, desc) \
    FINSH_FUNCTION_EXPORT_CMD(command, __cmd_##command, desc)
#define MSH_CMD_EXPORT_ALIAS(command, alias, desc) \
    FINSH_FUNCTION_EXPORT_ALIAS(command, __cmd_##alias, desc)

#ifdef __cplusplus
}
#endif

#endif /* __FINSH_H__ */
