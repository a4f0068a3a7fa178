/* A library whose constructor faults (a store to address 0, which is flash) after it has
 * allocated memory: the load must fail and leave the heap exactly as it was. */
#include <stdio.h>
#include <stdlib.h>

static char *scratch;

__attribute__((constructor)) static void lib_ctor_fault_constructor(void)
{
    scratch = malloc(64);
    printf("lib_ctor_fault: constructor writes to NULL\n");
    *(volatile int *)0 = 1;
}

int add_func(int a, int b)
{
    return a + b + (scratch != 0);
}
