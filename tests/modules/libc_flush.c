/* Flushes every stream while a read stream holds buffered bytes, then ends with the file
 * still open (the end flushes every stream again): newlib's own fflush(NULL) clears and
 * restores the global reent's errno around such a stream, a store into read-only memory
 * since that reent is protected; the firmware's flushes with the caller's
 * (tests/test_containment_libcstate.py). */
#include <stdio.h>

int main(int argc, char **argv)
{
    FILE *file = fopen(argc > 1 ? argv[1] : "/in.txt", "r");
    int c;

    if (file == NULL)
        return 2;
    c = fgetc(file);
    printf("first %c\n", c);
    if (fflush(NULL) != 0)
        return 3;
    printf("flushed, next %c\n", fgetc(file));
    return 0;
}
