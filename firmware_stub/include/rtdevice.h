/* rtdevice.h - RT-Thread's driver-side header, as far as rtdl goes: there is no device
 * framework, so including it gives the kernel API (threads, IPC, timers, lists, rthw.h)
 * that driver-style sources include it for. */
#ifndef __RT_DEVICE_H__
#define __RT_DEVICE_H__

#include <rtthread.h>
#include <rthw.h>

#endif /* __RT_DEVICE_H__ */
