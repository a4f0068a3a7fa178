/* newlib's <sys/stat.h>; stat/fstat/mkdir are DFS's (src/dfs_posix.c), as in RT-Thread. */
#ifndef __RTDL_SYS_STAT_H__
#define __RTDL_SYS_STAT_H__
#include_next <sys/stat.h>
#endif
