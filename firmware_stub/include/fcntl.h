/* RT-Thread builds on newlib use newlib's <fcntl.h> and its O_* values (O_DIRECTORY is
 * 0x200000); open() is DFS's (src/dfs_posix.c). */
#ifndef __RTDL_FCNTL_H__
#define __RTDL_FCNTL_H__
#include_next <fcntl.h>
#endif
