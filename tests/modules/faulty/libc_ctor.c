/* A wild store into the system reent from a constructor (which runs on it): errno first
 * (the module's own store there, which works), then its _stdin pointer, which must fault at
 * the store, naming the reent. */
#include <errno.h>
#include <stdio.h>
#include <reent.h>           /* declares _impure_ptr */

__attribute__((constructor)) static void early(void)
{
    errno = 33;
    printf("libc_ctor: errno %d\n", errno);
    *(volatile int *)((char *)_impure_ptr + 4) = 0;
    printf("libc_ctor: the store did not fault\n");
}

int main(void)
{
    printf("libc_ctor: main ran\n");
    return 0;
}
