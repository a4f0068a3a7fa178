/* RT-Thread's <dfs_fs.h>, the part a module uses: mounting. rtdl's board has one file
 * system, the host folder given by --root, mounted at "/" on boot: dfs_unmount("/") takes it
 * away (every open then fails with ENOENT) and dfs_mount(dev, "/", type, 0, 0) brings it back;
 * any other path fails. */
#ifndef __DFS_FS_H__
#define __DFS_FS_H__

#include <rtthread.h>
#include <sys/types.h>
#include <sys/errno.h>

#ifdef __cplusplus
extern "C" {
#endif

int dfs_mount(const char *device_name,
              const char *path,
              const char *filesystemtype,
              unsigned long rwflag,
              const void *data);
int dfs_unmount(const char *specialfile);

#ifdef __cplusplus
}
#endif

#endif
