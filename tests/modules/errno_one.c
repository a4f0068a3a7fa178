/* One errno per thread (tests/test_rt_errno.py): newlib's errno and rt_get_errno() are the
 * same word, the calling thread's, as RT-Thread's newlib port makes them; libc's own errors
 * (strtol's ERANGE) reach it too, and another thread keeps its own. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>
#include <rtthread.h>

static void other(void *parameter)
{
    errno = 11;
    rt_thread_mdelay(5);
    rt_kprintf("other: errno %d, rt_get_errno %d\n", errno, (int)rt_get_errno());
}

int main(void)
{
    int fd = open("/no/such/file", O_RDONLY);

    rt_kprintf("open: %d, errno %d, rt_get_errno %d, *_rt_errno %d\n", fd, errno,
               (int)rt_get_errno(), *_rt_errno());
    rt_set_errno(5);
    rt_kprintf("rt_set_errno(5): errno %d\n", errno);
    errno = 7;
    rt_kprintf("errno = 7: rt_get_errno %d\n", (int)rt_get_errno());
    errno = 0;
    strtol("99999999999999999999999", RT_NULL, 10);
    rt_kprintf("strtol overflow: errno is ERANGE %d, rt_get_errno is ERANGE %d\n",
               errno == ERANGE, rt_get_errno() == ERANGE);
    errno = 3;
    rt_thread_startup(rt_thread_create("other", other, RT_NULL, 1024, 15, 10));
    rt_thread_mdelay(10);
    rt_kprintf("main: errno %d\n", errno);
    return 0;
}
