/* heldcall N LIB: dlopen LIB, then N calls of its function that writes its own data (a held
 * library's data is read-only while this program's code runs: each call switches modes,
 * imageprot.py / rtdl_board/heldmodes.py). */
#include <rtthread.h>
#include <dlfcn.h>

int main(int argc, char *argv[])
{
    unsigned int n = 0;
    const char *s = argc > 1 ? argv[1] : "1000";

    while (*s >= '0' && *s <= '9')
        n = n * 10 + (unsigned)(*s++ - '0');
    void *lib = dlopen(argc > 2 ? argv[2] : "bumplib.so", RTLD_NOW);
    int (*bump)(void) = lib ? (int (*)(void))dlsym(lib, "bump") : RT_NULL;
    if (!bump) {
        rt_kprintf("heldcall: %s\n", dlerror());
        return 2;
    }
    int last = 0;
    for (unsigned int i = 0; i < n; i++)
        last = bump();
    dlclose(lib);
    return last == (int)n ? 0 : 3;
}
