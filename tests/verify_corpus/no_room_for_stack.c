/* 505000 bytes of .bss: the image itself fits the heap at boot (512000 bytes free), but then
 * there is no room left for the main thread's 8 KB stack, so dlmodule_exec fails. */
#include <stdio.h>

static char table[505000];

int main(int argc, char *argv[])
{
    table[argc * 4096] = (char)argc;
    printf("no_room_for_stack: %d\n", table[4096]);
    return 0;
}
