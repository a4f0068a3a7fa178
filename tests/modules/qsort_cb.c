/* Callbacks from the firmware's libc into the module: qsort/bsearch call comparators
 * defined here (the firmware must export qsort and bsearch). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int numbers[] = { 42, -7, 19, 0, 1000, -300, 19, 5 };
static const char *words[] = { "thread", "mutex", "event", "mailbox", "semaphore", "timer" };

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int main(int argc, char *argv[])
{
    unsigned i;
    int key = 19;
    const char *word = "mutex";
    int *hit;
    const char **whit;

    qsort(numbers, COUNT(numbers), sizeof(numbers[0]), cmp_int);
    printf("ints:");
    for (i = 0; i < COUNT(numbers); i++)
        printf(" %d", numbers[i]);
    printf("\n");

    qsort(words, COUNT(words), sizeof(words[0]), cmp_str);
    printf("words:");
    for (i = 0; i < COUNT(words); i++)
        printf(" %s", words[i]);
    printf("\n");

    hit = bsearch(&key, numbers, COUNT(numbers), sizeof(numbers[0]), cmp_int);
    printf("bsearch %d: %s\n", key, hit ? "found" : "missing");
    key = 3;
    hit = bsearch(&key, numbers, COUNT(numbers), sizeof(numbers[0]), cmp_int);
    printf("bsearch %d: %s\n", key, hit ? "found" : "missing");
    whit = bsearch(&word, words, COUNT(words), sizeof(words[0]), cmp_str);
    printf("bsearch %s: index %d\n", word, whit ? (int)(whit - words) : -1);
    return 0;
}
