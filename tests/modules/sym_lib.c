/* A library for the symbol rules: what dlsym may find (defined GLOBAL and WEAK functions and
 * data objects) and what it must not (imports such as printf, static functions, an
 * undefined weak import). */
#include <stdio.h>

int lib_counter = 41;
const char lib_version[] = "sym_lib 1.0";
__attribute__((weak)) int weak_limit = 7;

extern int maybe(void) __attribute__((weak));

static int __attribute__((noinline)) hidden_helper(int x)
{
    return x * 3;
}

__attribute__((weak)) int weak_hook(int x)
{
    return hidden_helper(x) + 1;
}

int bump(void)
{
    printf("sym_lib: bump %d\n", lib_counter);
    return ++lib_counter;
}

int call_maybe(void)
{
    return maybe ? maybe() : -1;
}
