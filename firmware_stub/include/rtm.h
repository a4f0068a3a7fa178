/* rtm.h - RT-Thread module symbol export (same layout and sections as RT-Thread's rtm.h). */
#ifndef __RTM_H__
#define __RTM_H__

#include <rtthread.h>

struct rt_module_symtab
{
    void       *addr;
    const char *name;
};

#define RTM_EXPORT(symbol)                                                        \
const char __rtmsym_##symbol##_name[] RT_SECTION(".rodata.name") = #symbol;      \
const struct rt_module_symtab __rtmsym_##symbol RT_SECTION("RTMSymTab") RT_USED = \
{                                                                                 \
    (void *)&symbol,                                                              \
    __rtmsym_##symbol##_name                                                      \
};

#endif /* __RTM_H__ */
