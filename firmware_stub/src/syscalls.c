/* newlib's system calls, as RT-Thread's components/libc/compilers/newlib/syscalls.c gives
 * them: the reentrant _*_r entry points stdio uses call DFS's POSIX functions (dfs_posix.c),
 * so fopen/fread/fprintf/fseek/fclose work on the device's files and fds 1 and 2 on the
 * console. There is no sbrk heap: every allocation, libc's included, comes from the kernel's
 * heap through the malloc veneers (see malloc.c). */
#include <errno.h>
#include <fcntl.h>
#include <reent.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <dlmodule.h>
#include "rtdl_services.h"

/* The POSIX call's errno (RT-Thread's negative code) also in the caller's reent - unless
 * that is the global one (a stream libc walks from _GLOBAL_REENT): it is read-only after
 * boot (impure.c), and errno, the running thread's, has the code already. */
static int reent_result(struct _reent *ptr, int result)
{
    if (result < 0 && ptr != _GLOBAL_REENT)
        ptr->_errno = errno;
    return result;
}

int _open_r(struct _reent *ptr, const char *file, int flags, int mode)
{
    return reent_result(ptr, open(file, flags, mode));
}

int _close_r(struct _reent *ptr, int fd)
{
    return reent_result(ptr, close(fd));
}

_ssize_t _read_r(struct _reent *ptr, int fd, void *buf, size_t len)
{
    return reent_result(ptr, read(fd, buf, len));
}

_ssize_t _write_r(struct _reent *ptr, int fd, const void *buf, size_t len)
{
    return reent_result(ptr, write(fd, buf, len));
}

_off_t _lseek_r(struct _reent *ptr, int fd, _off_t offset, int whence)
{
    return reent_result(ptr, lseek(fd, offset, whence));
}

int _fstat_r(struct _reent *ptr, int fd, struct stat *st)
{
    return reent_result(ptr, fstat(fd, st));
}

int _stat_r(struct _reent *ptr, const char *file, struct stat *st)
{
    return reent_result(ptr, stat(file, st));
}

int _unlink_r(struct _reent *ptr, const char *file)
{
    return reent_result(ptr, unlink(file));
}

int _rename_r(struct _reent *ptr, const char *old_file, const char *new_file)
{
    return reent_result(ptr, rename(old_file, new_file));
}

int _mkdir_r(struct _reent *ptr, const char *path, int mode)
{
    return reent_result(ptr, mkdir(path, mode));
}

int _isatty_r(struct _reent *ptr, int fd)
{
    (void)ptr;
    return isatty(fd);
}

int _link_r(struct _reent *ptr, const char *old_file, const char *new_file)
{
    (void)old_file;
    (void)new_file;
    ptr->_errno = -ENOSYS;
    return -1;
}

int _getpid_r(struct _reent *ptr)
{
    (void)ptr;
    return 1;
}

int _kill_r(struct _reent *ptr, int pid, int sig)
{
    (void)pid;
    (void)sig;
    ptr->_errno = EINVAL;
    return -1;
}

/* the non-reentrant names some parts of libc still reach */
int _isatty(int fd)
{
    return isatty(fd);
}

int _getpid(void)
{
    return 1;
}

int _kill(int pid, int sig)
{
    (void)pid;
    (void)sig;
    errno = EINVAL;
    return -1;
}

void _exit(int code)
{
    dlmodule_exit(code);
}

void *_sbrk(ptrdiff_t incr)
{
    (void)incr;
    errno = ENOMEM;
    return (void *)-1;
}
