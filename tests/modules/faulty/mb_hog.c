/* Creates mailboxes of 65,536 entries until the heap says no: their storage must come
 * from the heap, so only a few fit. */
#include <rtthread.h>
#include <stdio.h>

int main(void)
{
    int n = 0;
    while (n < 100000 && rt_mb_create("mb", 65536, 0))
        n++;
    printf("mailboxes: %d\n", n);
    return 0;
}
