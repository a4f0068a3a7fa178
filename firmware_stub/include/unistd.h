/* newlib's <unistd.h>; read/write/close/lseek/fsync/ftruncate/unlink/rmdir/getcwd/chdir/
 * access are DFS's (src/dfs_posix.c), as in RT-Thread. */
#ifndef __RTDL_UNISTD_H__
#define __RTDL_UNISTD_H__
#include_next <unistd.h>
#endif
