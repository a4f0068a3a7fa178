/* Writes through wild pointers into other modules' images, by argv[1]; the kernel makes
 * every other module's image read-only while this one runs, so each write faults at the
 * store (imageprot.py):
 *   data  the library intlib's .data (it holds intlib only through dlmodule_find)
 *   bss   intlib's .bss
 *   text  intlib's code
 *   prog  the .data of the program argv[2], which it starts to run alongside
 *   tcb   tidle0's struct rt_thread (no page guards it) while argv[2] runs alongside: found
 *         at the next switch to that program, as this module's fault
 *   stale a page of constants of the library argv[2], which it opened and closed again:
 *         freed memory
 *   call  a call through a pointer kept to a function of the library argv[2], opened and
 *         closed again: freed code, not executable
 * and writes nothing wild by:
 *   const intlib's constants (a whole page of lib_table), though it holds intlib open
 *   api   intlib held open with dlopen: intlib's functions change intlib's data
 *   own   its own .data */
#include <rtthread.h>
#include <dlmodule.h>
#include <dlfcn.h>
#include <string.h>

static int own_data = 1;

static volatile int *lib_word(const char *name)
{
    struct rt_dlmodule *lib = dlmodule_find("intlib");
    if (!lib) {
        rt_kprintf("no intlib\n");
        return RT_NULL;
    }
    return (volatile int *)dlsym(lib, name);
}

int main(int argc, char **argv)
{
    const char *what = argc > 1 ? argv[1] : "";
    volatile int *word = RT_NULL;
    if (strcmp(what, "own") == 0) {
        own_data += 1;
        return own_data == 2 ? 0 : 1;
    }
    if (strcmp(what, "data") == 0)
        word = lib_word("lib_counter");
    else if (strcmp(what, "bss") == 0)
        word = lib_word("lib_zero");
    else if (strcmp(what, "text") == 0)
        word = (volatile int *)((rt_uint32_t)lib_word("lib_add") & ~1u);
    else if (strcmp(what, "stale") == 0 && argc > 2) {
        void *lib = dlopen(argv[2], RTLD_NOW);
        rt_uint32_t table = lib ? (rt_uint32_t)dlsym(lib, "lib_table") : 0;
        if (!table)
            return 2;
        dlclose(lib);
        word = (volatile int *)((table + 1024) & ~1023u);
    }
    else if (strcmp(what, "call") == 0 && argc > 2) {
        void *lib = dlopen(argv[2], RTLD_NOW);
        int (*add)(int, int) = lib ? (int (*)(int, int))dlsym(lib, "lib_add") : RT_NULL;
        if (!add)
            return 2;
        dlclose(lib);
        rt_kprintf("the call returned %d\n", add(2, 3));
        return 0;
    }
    if (word) {
        *word = 0xde00de00;
        rt_kprintf("the write went through\n");
        return 0;
    }
    if (strcmp(what, "const") == 0) {
        void *lib = dlopen("intlib.so", RTLD_NOW);
        rt_uint32_t table = lib ? (rt_uint32_t)dlsym(lib, "lib_table") : 0;
        if (!table)
            return 2;
        *(volatile int *)((table + 1024) & ~1023u) = 1;
        rt_kprintf("the write went through\n");
        return 0;
    }
    if (strcmp(what, "api") == 0) {
        void *lib = dlopen("intlib.so", RTLD_NOW);
        int (*bump)(void) = lib ? (int (*)(void))dlsym(lib, "lib_bump") : RT_NULL;
        if (!bump)
            return 2;
        int first = bump();
        int second = bump();
        rt_kprintf("bump %d %d\n", first, second);
        dlclose(lib);
        return 0;
    }
    if (strcmp(what, "prog") == 0 && argc > 2) {
        struct rt_dlmodule *victim = dlmodule_exec(argv[2], argv[2], strlen(argv[2]));
        if (!victim)
            return 2;
        rt_thread_mdelay(2);            /* it runs and waits */
        volatile int *value = (volatile int *)dlsym(victim, "victim_value");
        if (!value)
            return 3;
        *value = 7;
        rt_kprintf("the write went through\n");
        return 0;
    }
    if (strcmp(what, "tcb") == 0 && argc > 2) {
        if (!dlmodule_exec(argv[2], argv[2], strlen(argv[2])))
            return 2;
        rt_thread_mdelay(2);
        rt_thread_find("tidle0")->current_priority = 3;
        rt_thread_mdelay(1);            /* the program alongside runs meanwhile */
        rt_kprintf("not found\n");
        return 0;
    }
    return 4;
}
