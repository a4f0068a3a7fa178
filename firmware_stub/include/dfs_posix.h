/* RT-Thread's <dfs_posix.h>: the POSIX file API of DFS in one include. */
#ifndef __DFS_POSIX_H__
#define __DFS_POSIX_H__

#include <rtthread.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <dirent.h>
#include <dfs_fs.h>

#ifndef DFS_PATH_MAX
#define DFS_PATH_MAX 256
#endif

#endif
