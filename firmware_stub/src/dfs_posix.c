/* RT-Thread's DFS POSIX file API (components/dfs/dfs_v1/src/dfs_posix.c) for modules, over the
 * kernel's __rtdl_dfs_* services (port/modules/rtdl_device/svc_dfs.py), which return a value
 * >= 0 or -errno. As rt_set_errno does in RT-Thread, a failure stores the negative code in
 * errno (errno == -ENOENT after a failed open) and returns -1 (NULL for opendir/readdir).
 * Descriptors 0-2 are the console; DFS numbers its files from 3. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <dfs_posix.h>
#include <rtthread.h>
#include "rtdl_services.h"

#define DFS_STDIO_FDS 3

int __rtdl_dfs_open(const char *path, int flags);
int __rtdl_dfs_close(int fd);
int __rtdl_dfs_read(int fd, void *buf, size_t len);
int __rtdl_dfs_write(int fd, const void *buf, size_t len);
int __rtdl_dfs_lseek(int fd, off_t offset, int whence);
int __rtdl_dfs_fsync(int fd);
int __rtdl_dfs_ftruncate(int fd, off_t length);
int __rtdl_dfs_stat(const char *path, int fd, unsigned int out[3]);
int __rtdl_dfs_unlink(const char *path);
int __rtdl_dfs_rename(const char *old_path, const char *new_path);
int __rtdl_dfs_mkdir(const char *path);
int __rtdl_dfs_rmdir(const char *path);
long __rtdl_dfs_opendir(const char *path);
long __rtdl_dfs_readdir(DIR *d);
int __rtdl_dfs_closedir(DIR *d);
char *__rtdl_dfs_getcwd(char *buf, size_t size);
int __rtdl_dfs_chdir(const char *path);
int __rtdl_dfs_mount(const char *path, const char *filesystemtype);
int __rtdl_dfs_unmount(const char *path);

/* A service's result as the POSIX call returns it. */
static int posix_result(int result)
{
    if (result < 0)
    {
        errno = result;
        return -1;
    }
    return result;
}

static int is_console(int fd)
{
    return fd >= 0 && fd < DFS_STDIO_FDS;
}

int open(const char *file, int flags, ...)
{
    return posix_result(__rtdl_dfs_open(file, flags));
}

int creat(const char *path, mode_t mode)
{
    (void)mode;
    return open(path, O_WRONLY | O_CREAT | O_TRUNC, 0);
}

int close(int fd)
{
    if (is_console(fd))
        return 0;
    return posix_result(__rtdl_dfs_close(fd));
}

_READ_WRITE_RETURN_TYPE read(int fd, void *buf, size_t len)
{
    if (is_console(fd))
        return 0;                           /* the console has no input for modules */
    return posix_result(__rtdl_dfs_read(fd, buf, len));
}

_READ_WRITE_RETURN_TYPE write(int fd, const void *buf, size_t len)
{
    if (fd == 1 || fd == 2)
        return __rtdl_console_write(buf, len);
    if (fd == 0)
    {
        errno = -EBADF;
        return -1;
    }
    return posix_result(__rtdl_dfs_write(fd, buf, len));
}

off_t lseek(int fd, off_t offset, int whence)
{
    if (is_console(fd))
    {
        errno = -ESPIPE;
        return -1;
    }
    return posix_result(__rtdl_dfs_lseek(fd, offset, whence));
}

int fsync(int fd)
{
    if (is_console(fd))
        return 0;
    return posix_result(__rtdl_dfs_fsync(fd));
}

int ftruncate(int fd, off_t length)
{
    return posix_result(__rtdl_dfs_ftruncate(fd, length));
}

static void fill_stat(struct stat *buf, const unsigned int info[3])
{
    memset(buf, 0, sizeof(*buf));
    buf->st_dev = 0;
    buf->st_mode = info[0];
    buf->st_nlink = 1;
    buf->st_size = info[1];
    buf->st_mtime = info[2];
    buf->st_blksize = 512;
}

int stat(const char *file, struct stat *buf)
{
    unsigned int info[3];
    int result = posix_result(__rtdl_dfs_stat(file, 0, info));
    if (result == 0)
        fill_stat(buf, info);
    return result;
}

int fstat(int fd, struct stat *buf)
{
    unsigned int info[3];
    int result;
    if (is_console(fd))
    {
        memset(buf, 0, sizeof(*buf));
        buf->st_mode = S_IFCHR;
        return 0;
    }
    result = posix_result(__rtdl_dfs_stat(0, fd, info));
    if (result == 0)
        fill_stat(buf, info);
    return result;
}

int unlink(const char *pathname)
{
    return posix_result(__rtdl_dfs_unlink(pathname));
}

int rename(const char *old_file, const char *new_file)
{
    return posix_result(__rtdl_dfs_rename(old_file, new_file));
}

int mkdir(const char *path, mode_t mode)
{
    (void)mode;
    return posix_result(__rtdl_dfs_mkdir(path));
}

int rmdir(const char *pathname)
{
    return posix_result(__rtdl_dfs_rmdir(pathname));
}

DIR *opendir(const char *name)
{
    long result = __rtdl_dfs_opendir(name);
    if (result < 0)
    {
        errno = (int)result;
        return NULL;
    }
    return (DIR *)result;
}

struct dirent *readdir(DIR *d)
{
    long result = __rtdl_dfs_readdir(d);
    if (result <= 0)
    {
        if (result < 0)
            errno = (int)result;
        return NULL;
    }
    return (struct dirent *)result;
}

int closedir(DIR *d)
{
    return posix_result(__rtdl_dfs_closedir(d));
}

char *getcwd(char *buf, size_t size)
{
    return __rtdl_dfs_getcwd(buf, size);
}

int chdir(const char *path)
{
    return posix_result(__rtdl_dfs_chdir(path));
}

int access(const char *path, int amode)
{
    struct stat sb;
    (void)amode;                            /* DFS ignores R_OK, W_OK and X_OK */
    return stat(path, &sb) < 0 ? -1 : 0;
}

int isatty(int fd)
{
    return is_console(fd);
}

int dfs_mount(const char *device_name, const char *path, const char *filesystemtype,
              unsigned long rwflag, const void *data)
{
    (void)device_name;
    (void)rwflag;
    (void)data;
    return posix_result(__rtdl_dfs_mount(path, filesystemtype));
}

int dfs_unmount(const char *specialfile)
{
    return posix_result(__rtdl_dfs_unmount(specialfile));
}
