/* RT-Thread's kservice (kservice.c) for modules. rt_kprintf itself is exported with the
 * kernel API in exports_kernel.c. */
#include <rtthread.h>
#include <rtm.h>

RTM_EXPORT(rt_kputs)
RTM_EXPORT(rt_hw_console_output)
RTM_EXPORT(rt_vsnprintf)
RTM_EXPORT(rt_snprintf)
RTM_EXPORT(rt_vsprintf)
RTM_EXPORT(rt_sprintf)
RTM_EXPORT(rt_show_version)
RTM_EXPORT(rt_tick_from_millisecond)
RTM_EXPORT(rt_assert_handler)
RTM_EXPORT(rt_assert_set_hook)
RTM_EXPORT(__rtdl_assert_fail)
RTM_EXPORT(rt_memset)
RTM_EXPORT(rt_memcpy)
RTM_EXPORT(rt_memmove)
RTM_EXPORT(rt_memcmp)
RTM_EXPORT(rt_strlen)
RTM_EXPORT(rt_strnlen)
RTM_EXPORT(rt_strcpy)
RTM_EXPORT(rt_strncpy)
RTM_EXPORT(rt_strcmp)
RTM_EXPORT(rt_strncmp)
RTM_EXPORT(rt_strcasecmp)
RTM_EXPORT(rt_strstr)
RTM_EXPORT(rt_strdup)
