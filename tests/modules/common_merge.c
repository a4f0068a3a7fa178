/* ET_REL placement: COMMON symbols (built with -fcommon), merge-string sections (.rodata.str1.*)
 * and a plain .rodata table referenced with addends, a 64-byte aligned table, a zeroed .bss.
 * main dirties all of them, so a second run in the same heap block sees them reset only if the
 * loader zeroes and copies every section again. */
#include <stdio.h>
#include <string.h>

int counter;                 /* COMMON: 4 bytes, 4-aligned */
long long total;             /* COMMON: 8 bytes, 8-aligned */
char line[48];               /* COMMON: 48 bytes */
int scratch[16] = {0};       /* .bss */

const char *const words[] = {"alpha", "beta", "gamma"};
const char *tail = "prefix:suffix" + 7;         /* a merge string plus an addend */
static const int primes[] = {2, 3, 5, 7, 11};
const int *fourth = &primes[3];                 /* the .rodata section symbol plus 12 */
__attribute__((aligned(64))) int aligned_table[4] = {1, 2, 3, 4};

static void add(long long value)
{
    counter++;
    total += value;
}

int main(void)
{
    int i, dirty = 0;
    for (i = 0; i < 16; i++) {
        dirty += scratch[i] != 0;
        scratch[i] = i + 1;
    }
    for (i = 0; i < 4; i++) {
        add(aligned_table[i] * 1000000000LL);
        aligned_table[i] *= 10;
    }
    strcpy(line, words[0]);
    for (i = 1; i < 3; i++) {
        strcat(line, ",");
        strcat(line, words[i]);
    }
    printf("common: counter=%d total=%lld\n", counter, total);
    printf("line: %s\n", line);
    printf("tail: %s, fourth prime: %d\n", tail, *fourth);
    printf("aligned: %d, dirty .bss words: %d\n", (int)((unsigned long)aligned_table % 64), dirty);
    return 0;
}
