/* dlopen_loop LIB N: N rounds of dlopen(LIB) (a relative name: under /modules/), dlsym of
 * its f0, a call, dlclose - the dlopen-heavy case of the two runtimes' comparison. Exits 1 if
 * a round fails. */
#include <dlfcn.h>
#include <stdio.h>

int main(int argc, char *argv[])
{
    unsigned int n = 0, i;
    const char *s = argc > 2 ? argv[2] : "10";

    if (argc < 2)
        return 2;
    while (*s >= '0' && *s <= '9')
        n = n * 10 + (unsigned)(*s++ - '0');
    for (i = 0; i < n; i++) {
        void *handle = dlopen(argv[1], RTLD_NOW);
        int (*f0)(int);

        if (handle == NULL) {
            printf("dlopen_loop: round %u: %s\n", i, dlerror());
            return 1;
        }
        f0 = (int (*)(int))dlsym(handle, "f0");
        if (f0 == NULL || dlclose(handle) != 0)
            return 1;
    }
    printf("dlopen_loop: %u rounds\n", n);
    return 0;
}
