/* Its constructor (run by the kernel on its own stack, not on a thread) writes the .data of
 * the library intlib through a wild pointer: the store faults as this module's, naming
 * intlib's image (imageprot.py: each target call the kernel makes runs as the module whose
 * code it calls). */
#include <rtthread.h>
#include <dlmodule.h>
#include <dlfcn.h>

__attribute__((constructor)) static void scribble_on_load(void)
{
    struct rt_dlmodule *lib = dlmodule_find("intlib");
    volatile int *counter = lib ? (volatile int *)dlsym(lib, "lib_counter") : RT_NULL;
    if (counter)
        *counter = 99;
}

int main(void)
{
    rt_kprintf("the write went through\n");
    return 0;
}
