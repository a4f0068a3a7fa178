/* 600 KB of .bss: more than the whole 512 KB RAM of the board, so no heap block can hold it. */
#include <stdio.h>

static char table[600 * 1024];

int main(int argc, char *argv[])
{
    table[argc * 4096] = (char)argc;
    printf("oversize: %d\n", table[4096]);
    return 0;
}
