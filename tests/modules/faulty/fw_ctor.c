/* A constructor that stores into __dso_handle, a firmware variable on a read-only page: the
 * module faults in its constructors, before main. */
#include <stdio.h>

extern void *__dso_handle;

static void __attribute__((constructor)) scribble(void)
{
    __dso_handle = (void *)0x1234;
}

int main(void)
{
    printf("fw_ctor: main ran\n");
    return 0;
}
