/* Never returns: for run-time limits (timeouts) and killing a running module. */
#include <stdio.h>

volatile unsigned long spin_count;

int main(int argc, char *argv[])
{
    printf("spin: start\n");
    for (;;)
        spin_count++;
    return 0;
}
