/* Stores into a local of the thread 'lworker' of the library xstlib (loaded by the host) once
 * while it holds the library open, a store its hold allows, and once right after closing it,
 * a wild store: with no switch in between, a hold taken or dropped changes at once which
 * stacks the program may write (stackprot.holds_changed). */
#include <rtthread.h>
#include <dlmodule.h>
#include <dlfcn.h>

int main(void)
{
    struct rt_dlmodule *library = dlmodule_find("xstlib");
    volatile rt_uint32_t **sentinel;
    void *handle;
    if (!library)
        return 2;
    sentinel = (volatile rt_uint32_t **)dlsym(library, "xstlib_sentinel");
    if (!sentinel)
        return 3;
    while (*sentinel == RT_NULL)
        rt_thread_mdelay(1);            /* the worker has not started yet */
    handle = dlopen("xstlib.so", RTLD_NOW);
    if (!handle)
        return 4;
    **sentinel = 7;
    rt_kprintf("held store %u\n", (unsigned)**sentinel);
    dlclose(handle);
    **sentinel = 8;
    rt_kprintf("the write went through\n");
    return 0;
}
