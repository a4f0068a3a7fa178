/* rtconfig.h - the RT-Thread configuration rtdl's firmware stands for. Modules see the same
 * options RT-Thread's own build would give them, so #ifdef RT_USING_* in real sources picks
 * the code paths this kernel offers. Not SMP; 32 priorities; one tick per millisecond. */
#ifndef __RTCONFIG_H__
#define __RTCONFIG_H__

#define RT_NAME_MAX             8
#define RT_ALIGN_SIZE           4
#define RT_THREAD_PRIORITY_MAX  32
/* rtdl's kernel counts one tick per emulated millisecond (Kernel.tick_us = 1000), so
 * rt_thread_mdelay(ms) and rt_thread_delay(ms) sleep alike. */
#define RT_TICK_PER_SECOND      1000
#define RT_CONSOLEBUF_SIZE      128
#define RT_TIMER_THREAD_PRIO    4
#define RT_TIMER_THREAD_STACK_SIZE 512
/* RT-Thread's Kconfig default is 256; idle hooks that print (kernel-sample's idlehook_sample)
 * need more, as many BSPs configure. */
#define IDLE_THREAD_STACK_SIZE  1024
#define RT_MAIN_THREAD_PRIORITY 10
#define FINSH_THREAD_PRIORITY   20
#define FINSH_THREAD_NAME       "tshell"
#define FINSH_THREAD_STACK_SIZE 4096

#define RT_USING_MODULE
#define RT_USING_HOOK
#define RT_USING_IDLE_HOOK
#define RT_IDLE_HOOK_LIST_SIZE  4
#define RT_USING_TIMER_SOFT
#define RT_USING_SEMAPHORE
#define RT_USING_MUTEX
#define RT_USING_EVENT
#define RT_USING_MAILBOX
#define RT_USING_MESSAGEQUEUE
#define RT_USING_SIGNALS
#define RT_USING_MEMPOOL
#define RT_USING_HEAP
#define RT_USING_LIBC
#define RT_USING_NEWLIBC
#define RT_USING_CONSOLE
#define RT_USING_COMPONENTS_INIT
#define RT_USING_FINSH
#define RT_USING_MSH
#define FINSH_USING_MSH
#define FINSH_USING_SYMTAB
#define FINSH_USING_DESCRIPTION
#define RT_USING_DEVICE
#define RT_DEBUG

#endif /* __RTCONFIG_H__ */
