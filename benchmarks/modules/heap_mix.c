/* A fixed, pseudo-random mix of malloc/free/realloc by module code (argv[1]: how many
 * operations), at most 64 blocks live: the heap calls the strict heap check instruments. */
#include <stdlib.h>

int main(int argc, char *argv[])
{
    int ops = argc > 1 ? atoi(argv[1]) : 1000;
    void *live[65];
    int count = 0;
    unsigned seed = 12345;
    for (int i = 0; i < ops; i++) {
        seed = (seed * 1103515245u + 12345u) & 0x7fffffff;
        if (count && (seed % 3 == 0 || count > 63)) {
            int index = seed % count;
            free(live[index]);
            live[index] = live[--count];
        } else if (count && seed % 7 == 0) {
            int index = seed % count;
            void *block = realloc(live[index], 8 + seed % 512);
            if (block)
                live[index] = block;
        } else {
            void *block = malloc(8 + seed % 512);
            if (block)
                live[count++] = block;
        }
    }
    while (count)
        free(live[--count]);
    return 0;
}
