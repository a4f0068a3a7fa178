/* Overflows a deliberately small main-thread stack: each recursion level touches a 256-byte
 * local buffer. `stack_hog [DEPTH]` (default 32 levels, about 9 KB) against a 1 KB stack.
 * A depth of 0 only prints and returns, which fits. */
#include <stdio.h>
#include <stdlib.h>

/* Read by the loader: the main thread's stack size (RT-Thread default 2048). */
const unsigned int dlmodule_thread_stacksize = 1024;

static int __attribute__((noinline)) hog(int depth)
{
    volatile unsigned char buf[256];
    unsigned i;
    int sum = 0;

    for (i = 0; i < sizeof(buf); i++)
        buf[i] = (unsigned char)(depth + i);
    if (depth > 0)
        sum = hog(depth - 1);
    for (i = 0; i < sizeof(buf); i += 64)
        sum += buf[i];
    return sum;
}

int main(int argc, char *argv[])
{
    int depth = argc > 1 ? atoi(argv[1]) : 32;

    printf("stack_hog: depth %d\n", depth);
    printf("stack_hog: sum %d\n", hog(depth));
    return 0;
}
