/* Asks for a 64-byte main-thread stack; the kernel refuses stacks under 256 bytes. */
#include <stdio.h>

const unsigned int dlmodule_thread_stacksize = 64;

int main(void)
{
    printf("tiny_stack: never started\n");
    return 0;
}
