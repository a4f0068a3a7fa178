/* delay.h - the sleep calls of RT-Thread's posix delay component (msleep, ssleep); sleep,
 * usleep and nanosleep are declared by <unistd.h> and <time.h>. They sleep the calling
 * thread on the kernel's tick (src/delay.c). The busy waits mdelay, udelay and ndelay are
 * not offered: see docs/exports.md. */
#ifndef __RTDL_DELAY_H__
#define __RTDL_DELAY_H__

#ifdef __cplusplus
extern "C" {
#endif

void msleep(unsigned int msecs);
void ssleep(unsigned int seconds);

#ifdef __cplusplus
}
#endif

#endif
