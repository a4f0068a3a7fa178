/* Zeroes the firmware's _impure_ptr (newlib's reentrancy pointer): the next module that
 * prints must not fault. */
#include <stdio.h>
extern struct _reent *_impure_ptr;

int main(void)
{
    _impure_ptr = 0;
    return 0;
}
