/* `dl_path PATH [TIMES]` dlopens PATH TIMES times (default 1), calling the library's
 * add_func(2, 3) and closing it each time, as a module that loads plug-ins from paths it is
 * given. "\xNN" in PATH stands for the byte NN, so a path that is not UTF-8 can be passed on
 * a command line. Prints "opened: add_func(2, 3) = N" or "failed: DLERROR" for one try, and
 * a tally of the outcomes for more. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dlfcn.h>

typedef int (*add_func_t)(int a, int b);

static void unescape(char *out, const char *in, size_t size)
{
    size_t n = 0;

    while (*in && n + 1 < size) {
        if (in[0] == '\\' && in[1] == 'x' && in[2] && in[3]) {
            char hex[3] = {in[2], in[3], 0};

            out[n++] = (char)strtol(hex, NULL, 16);
            in += 4;
        } else {
            out[n++] = *in++;
        }
    }
    out[n] = 0;
}

int main(int argc, char *argv[])
{
    static char path[256];
    int times = argc > 2 ? atoi(argv[2]) : 1;
    int failed = 0, five = 0, other = 0;
    int i;

    if (argc < 2) {
        printf("usage: dl_path PATH [TIMES]\n");
        return 2;
    }
    unescape(path, argv[1], sizeof(path));
    for (i = 0; i < times; i++) {
        void *handle = dlopen(path, RTLD_NOW);
        add_func_t add;

        if (handle == NULL) {
            const char *error = dlerror();

            if (times == 1)
                printf("failed: %s\n", error ? error : "(no dlerror)");
            failed++;
            continue;
        }
        add = (add_func_t)dlsym(handle, "add_func");
        if (add && add(2, 3) == 5)
            five++;
        else
            other++;
        if (times == 1)
            printf("opened: add_func(2, 3) = %d\n", add ? add(2, 3) : -1);
        dlclose(handle);
    }
    if (times > 1)
        printf("tries %d: add_func=5 %d, other %d, failed %d\n", times, five, other, failed);
    return 0;
}
