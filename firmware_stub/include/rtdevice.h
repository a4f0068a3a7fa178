/* rtdevice.h - RT-Thread's driver-side header, as far as rtdl goes: the device model
 * (struct rt_device, rt_device_*) is in rtdef.h and rtthread.h; there is no driver framework
 * (serial, pin, i2c ...) for modules to register drivers with, so including it gives the
 * kernel API (threads, IPC, timers, lists, rthw.h) that driver-style sources include it
 * for, and the driver IPC parts RT-Thread's drivers/ipc offers: ring buffer, completion,
 * data queue (include/ipc/). */
#ifndef __RT_DEVICE_H__
#define __RT_DEVICE_H__

#include <rtthread.h>
#include <rthw.h>

#include <ipc/ringbuffer.h>
#include <ipc/completion.h>
#include <ipc/dataqueue.h>

#endif /* __RT_DEVICE_H__ */
