/* A library with RT-Thread's module_init/module_cleanup hooks, a C constructor and
 * destructor (.init_array/.fini_array) and an atexit() handler the constructor registers,
 * each printing through the firmware's printf. The hooks get the module itself
 * (struct rt_dlmodule *) and print its name and nref. The handler belongs to this library,
 * not to the module whose dlopen ran the constructor. */
#include <stdio.h>
#include <stdlib.h>

#include <dlmodule.h>

static int ready;

static void lib_hooks_at_exit(void)
{
    printf("lib_hooks: atexit handler\n");
}

__attribute__((constructor)) static void lib_hooks_constructor(void)
{
    ready = 1;
    atexit(lib_hooks_at_exit);
    printf("lib_hooks: constructor\n");
}

__attribute__((destructor)) static void lib_hooks_destructor(void)
{
    printf("lib_hooks: destructor\n");
}

void module_init(struct rt_dlmodule *module)
{
    printf("lib_hooks: module_init(%s) ready=%d nref=%d\n", module->name, ready, module->nref);
}

void module_cleanup(struct rt_dlmodule *module)
{
    printf("lib_hooks: module_cleanup(%s) nref=%d\n", module->name, module->nref);
}

int add_func(int a, int b)
{
    return ready ? a + b : -1;
}
