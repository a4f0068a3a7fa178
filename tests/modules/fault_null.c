/* Writes through a NULL pointer: address 0 is (read-only) flash, so the store must fault
 * and the loader must report the fault against this module. The pointer comes from a
 * volatile global so the compiler cannot replace the store with a trap instruction. */
#include <stdio.h>
#include <stdint.h>

int *volatile target = 0;

int main(int argc, char *argv[])
{
    printf("fault_null: writing to 0x%08lx\n", (unsigned long)(uintptr_t)target);
    *target = 0xdead;
    printf("fault_null: not reached\n");
    return 0;
}
