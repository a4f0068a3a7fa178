/* Heap misuse, selected by argv[1]. */
#include <rtthread.h>
#include <dlmodule.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char *argv[])
{
    const char *what = argc > 1 ? argv[1] : "";
    char *a = malloc(32);
    char *b = malloc(32);
    if (!strcmp(what, "double_free")) { free(a); free(a); }
    else if (!strcmp(what, "wild_free")) free((void *)0x20001234);
    else if (!strcmp(what, "unmapped_free")) free((void *)0x30000000);
    else if (!strcmp(what, "interior_free")) free(a + 8);
    else if (!strcmp(what, "kernel_free")) free(dlmodule_self());
    else if (!strcmp(what, "free_align_wild")) rt_free_align(a + 16);
    else if (!strcmp(what, "smash_header")) { memset(a, 0x55, 48); free(b); }
    else if (!strcmp(what, "smash_silent")) { memset(a - 16, 0, 16); }
    else if (!strcmp(what, "underflow")) { a[-12] = 0x77; }
    else if (!strcmp(what, "sentinel")) {
        /* find the heap's start from b's header (its prev is a's offset), walk the block
         * list to the end sentinel (next == its own offset) and zero it */
        unsigned char *ha = (unsigned char *)a - 16, *hb = (unsigned char *)b - 16;
        unsigned char *heap = ha - *(unsigned int *)(hb + 8);
        unsigned int off = 0;
        while (*(unsigned int *)(heap + off + 4) != off)
            off = *(unsigned int *)(heap + off + 4);
        memset(heap + off, 0, 16);
    }
    else if (!strcmp(what, "calloc_overflow")) printf("calloc: %p\n", calloc(0x10000, 0x10000));
    else if (!strcmp(what, "malloc_huge")) printf("malloc: %p\n", malloc(0xFFFFFFF0u));
    else { printf("heap_misuse: unknown case '%s'\n", what); return 2; }
    printf("heap_misuse: %s survived\n", what);
    free(b);
    return 0;
}
