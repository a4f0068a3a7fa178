/* A library whose constructor opens another library (lib_hooks.so, a relative path) with
 * dlopen and whose destructor closes it: loading it from a module nests one service that
 * runs target code (constructors, module_init) inside another. */
#include <stdio.h>

#include <dlfcn.h>

typedef int (*add_func_t)(int a, int b);

static void *inner;

__attribute__((constructor)) static void lib_nested_open_inner(void)
{
    inner = dlopen("lib_hooks.so", RTLD_NOW);
    printf("lib_nested: constructor opened lib_hooks: %s\n", inner ? "yes" : dlerror());
}

__attribute__((destructor)) static void lib_nested_close_inner(void)
{
    printf("lib_nested: destructor closes lib_hooks: %d\n", inner ? dlclose(inner) : -2);
}

int add_func(int a, int b)
{
    add_func_t inner_add = inner ? (add_func_t)dlsym(inner, "add_func") : 0;

    return inner_add ? 10 * inner_add(a, b) : -1;
}
