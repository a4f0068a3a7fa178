/* Heap misuse only the strict heap check sees (argv[1]): writes past a block's end or before
 * its start that miss every header, writes through a dangling pointer, a double free, and
 * "clean", which uses the heap correctly and must run through. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *__attribute__((noinline)) make(int size)
{
    return malloc(size);
}

int main(int argc, char *argv[])
{
    const char *what = argc > 1 ? argv[1] : "";
    char *a = make(24);
    char *b = make(24);
    if (!strcmp(what, "overflow")) { a[26] = 1; free(b); }
    else if (!strcmp(what, "overflow_at_end")) { a[24] = 1; }
    else if (!strcmp(what, "underflow")) { a[-2] = 1; }
    else if (!strcmp(what, "use_after_free")) { free(a); a[3] = 7; free(b); }
    else if (!strcmp(what, "use_after_free_at_end")) { free(a); a[3] = 7; }
    else if (!strcmp(what, "double_free")) { free(a); free(a); }
    else if (!strcmp(what, "clean")) {
        char *c = calloc(4, 8), *d;
        printf("fresh %02x calloc %02x usable %d\n", (unsigned char)a[0], c[5],
               (int)malloc_usable_size(a));
        memset(a, 'x', 24);
        d = realloc(a, 100);
        printf("realloc kept %.24s\n", d);
        free(d);
        free(c);
        free(b);
        b = 0;
    } else {
        printf("heap_strict: unknown case '%s'\n", what);
        return 2;
    }
    printf("heap_strict: %s done\n", what);
    return 0;
}
