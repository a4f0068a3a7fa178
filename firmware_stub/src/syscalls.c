/* newlib system calls. Only the console exists: fds 1 and 2 go to __rtdl_console_write,
 * reads see end of file. There is no sbrk heap: every allocation, libc's included, comes
 * from the kernel's heap through the malloc veneers (see malloc.c). */
#include <errno.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <dlmodule.h>
#include "rtdl_services.h"

#undef errno
extern int errno;

int _write(int fd, const void *buf, size_t len);
int _read(int fd, void *buf, size_t len);
int _close(int fd);
off_t _lseek(int fd, off_t offset, int whence);
int _fstat(int fd, struct stat *st);
int _isatty(int fd);
int _getpid(void);
int _kill(int pid, int sig);
void _exit(int code);
void *_sbrk(ptrdiff_t incr);

int _write(int fd, const void *buf, size_t len)
{
    if (fd == 1 || fd == 2)
        return __rtdl_console_write(buf, len);
    errno = EBADF;
    return -1;
}

int _read(int fd, void *buf, size_t len)
{
    (void)fd;
    (void)buf;
    (void)len;
    return 0;
}

int _close(int fd)
{
    if (fd >= 0 && fd <= 2)
        return 0;
    errno = EBADF;
    return -1;
}

off_t _lseek(int fd, off_t offset, int whence)
{
    (void)fd;
    (void)offset;
    (void)whence;
    errno = ESPIPE;
    return -1;
}

int _fstat(int fd, struct stat *st)
{
    (void)fd;
    st->st_mode = S_IFCHR;
    st->st_blksize = 0;
    return 0;
}

int _isatty(int fd)
{
    (void)fd;
    return 1;
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
