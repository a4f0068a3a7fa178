/* Uses libdl and the dlmodule API from inside a module, as RT-Thread applications do:
 * `dl_user LIB NAME` opens the library LIB (module name NAME), calls its add_func, looks up a
 * missing symbol, closes it twice (the second time with a stale handle) and reports each
 * result and dlerror() message. A library that fails to load ends it with exit code 1. */
#include <stdio.h>
#include <string.h>

#include <dlfcn.h>
#include <dlmodule.h>

typedef int (*add_func_t)(int a, int b);

static const char *error_text(void)
{
    const char *text = dlerror();

    return text ? text : "(none)";
}

int main(int argc, char *argv[])
{
    struct rt_dlmodule *self = dlmodule_self();
    struct rt_dlmodule *found;
    void *handle;
    add_func_t add;
    char stale[16];

    if (argc < 3) {
        printf("usage: dl_user LIB NAME\n");
        return 2;
    }
    printf("self: %s (entry is main: %s)\n", self ? self->name : "NULL",
           self && self->entry_addr == (void *)main ? "yes" : "no");
    printf("printf is exported: %s\n",
           dlmodule_symbol_find("printf") == (rt_uint32_t)printf ? "yes" : "no");
    printf("before dlopen, find %s: %s\n", argv[2], dlmodule_find(argv[2]) ? "found" : "NULL");

    handle = dlopen(argv[1], RTLD_NOW);
    if (handle == NULL) {
        printf("dlopen failed: %s\n", error_text());
        return 1;
    }
    found = dlmodule_find(argv[2]);
    printf("after dlopen, find %s: %s, nref %d\n", argv[2],
           found == handle ? "the handle" : (found ? "another module" : "NULL"),
           found ? found->nref : -1);

    add = (add_func_t)dlsym(handle, "add_func");
    if (add)
        printf("add_func(2, 3) = %d\n", add(2, 3));
    else
        printf("dlsym add_func: %s\n", error_text());
    printf("dlsym no_such_func: %s\n", dlsym(handle, "no_such_func") ? "found" : "NULL");
    printf("dlerror: %s\n", error_text());
    printf("dlerror again: %s\n", error_text());

    printf("dlclose = %d\n", dlclose(handle));
    printf("after dlclose, find %s: %s\n", argv[2], dlmodule_find(argv[2]) ? "found" : "NULL");
    printf("dlclose again = %d\n", dlclose(handle));
    snprintf(stale, sizeof stale, "0x%08x", (unsigned)handle);
    printf("dlerror names the stale handle: %s\n", strstr(error_text(), stale) ? "yes" : "no");
    return 0;
}
