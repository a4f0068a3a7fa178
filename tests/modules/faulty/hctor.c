/* Its constructor opens the library hlib and calls it for ever: every call switches modes
 * (a restart of the emulator), and the constructor's time limit still ends it. */
#include <rtthread.h>
#include <dlfcn.h>

__attribute__((constructor)) static void forever(void)
{
    void *lib = dlopen("hlib.so", RTLD_NOW);
    int (*bump)(void) = lib ? (int (*)(void))dlsym(lib, "hl_bump") : RT_NULL;
    while (bump)
        bump();
}

int main(void)
{
    return 0;
}
