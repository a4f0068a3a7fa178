/* RT-Thread's rtthread-apps "lib" example: a dynamic library (built with --lib to lib.so).
 * Callers reach its functions with dlopen("lib.so") + dlsym(handle, "lib_func"). */
#include <stdio.h>

int lib_func(void)
{
    printf("lib_func\n");

    return 0;
}

int add_func(int a, int b)
{
    return (a + b);
}
