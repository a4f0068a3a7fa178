/* dlopen of a library whose constructor never returns (argv[1]: its path): the program's
 * --timeout must bound it as it bounds main. */
#include <dlfcn.h>
#include <stdio.h>

int main(int argc, char *argv[])
{
    void *handle = dlopen(argc > 1 ? argv[1] : "/ctor_loop.so", 0);
    printf("dl_loop: dlopen returned %p\n", handle);
    return 0;
}
