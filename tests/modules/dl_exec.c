/* Starts and loads modules from inside a module: `dl_exec PROGRAM LIB` runs PROGRAM with
 * dlmodule_exec (it starts when this module yields), loads LIB with dlmodule_load and calls
 * its add_func, and checks rt_memory_info around a malloc/free pair. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dlfcn.h>
#include <dlmodule.h>

typedef int (*add_func_t)(int a, int b);

int main(int argc, char *argv[])
{
    static const char cmd[] = "argv one \"two words\"";
    rt_size_t total, used, max_used, after_malloc, after_free;
    struct rt_dlmodule *lib, *child;
    add_func_t add;
    char *volatile block;       /* volatile: gcc would drop an unused malloc/free pair */

    if (argc < 3) {
        printf("usage: dl_exec PROGRAM LIB\n");
        return 2;
    }
    rt_memory_info(&total, &used, &max_used);
    block = malloc(1000);
    rt_memory_info(NULL, &after_malloc, NULL);
    free(block);
    rt_memory_info(NULL, &after_free, &max_used);
    printf("rt_memory_info: malloc(1000) adds at least 1000: %s, free gives it back: %s, "
           "max >= used: %s\n", after_malloc - used >= 1000 ? "yes" : "no",
           after_free == used ? "yes" : "no", max_used >= after_malloc ? "yes" : "no");

    lib = dlmodule_load(argv[2]);
    if (lib == NULL) {
        printf("dlmodule_load failed: %s\n", dlerror());
        return 1;
    }
    printf("dlmodule_load: %s, nref %d, state %d\n", lib->name, lib->nref, lib->stat);
    add = (add_func_t)dlsym(lib, "add_func");
    printf("add_func(40, 2) = %d\n", add ? add(40, 2) : -1);
    printf("dlclose = %d\n", dlclose(lib));

    printf("dlmodule_exec no_such.mo: %s\n",
           dlmodule_exec("/no/such/dir/no_such.mo", "no_such", 7) ? "started" : "NULL");
    printf("dlerror names it: %s\n", strstr(dlerror(), "no_such.mo") ? "yes" : "no");

    child = dlmodule_exec(argv[1], cmd, (int)strlen(cmd));
    if (child == NULL) {
        printf("dlmodule_exec failed: %s\n", dlerror());
        return 1;
    }
    printf("dlmodule_exec: %s, state %s\n", child->name,
           child->stat == RT_DLMODULE_STAT_RUNNING ? "RUNNING" : "not running");
    printf("dl_exec: yielding\n");
    rt_thread_yield();
    printf("dl_exec: %s is %s\n", "argv", dlmodule_find("argv") ? "still loaded" : "gone");
    return 0;
}
