/* Stores into the firmware's own variables, which sit on pages that are read-only while
 * modules run: each must fault at the store, naming the variable. argv[1] picks the store:
 *   impure   _impure_ptr = 0 (newlib's pointer to its reentrancy structure)
 *   dso      __dso_handle = 1
 *   memset   memset(&_impure_ptr, 0, 4): firmware code stores on the module's behalf
 *   pad      a byte on the firmware-variable pages that belongs to no variable */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <reent.h>           /* declares _impure_ptr */

extern void *__dso_handle;

int main(int argc, char **argv)
{
    const char *what = argc > 1 ? argv[1] : "impure";
    printf("fw_write: %s\n", what);
    if (!strcmp(what, "impure"))
        _impure_ptr = 0;
    else if (!strcmp(what, "dso"))
        __dso_handle = (void *)1;
    else if (!strcmp(what, "memset")) {
        volatile size_t size = sizeof _impure_ptr;     /* a call, not an inlined store */
        memset(&_impure_ptr, 0, size);
    }
    else if (!strcmp(what, "pad"))
        *(volatile char *)((uintptr_t)&_impure_ptr + 0xF00) = 1;
    printf("fw_write: the store did not fault\n");
    return 0;
}
