/* Undefined weak imports: `maybe` is exported by nobody and must resolve to 0 (the fallback
 * path runs); `atoi` is declared weak here but the firmware exports it, so it is bound. */
#include <stdio.h>

extern int maybe(void) __attribute__((weak));
extern int atoi(const char *text) __attribute__((weak));

int main(int argc, char *argv[])
{
    if (maybe)
        printf("maybe() = %d\n", maybe());
    else
        printf("maybe is absent: fallback path\n");
    if (atoi)
        printf("atoi is bound: atoi(\"42\") = %d\n", atoi("42"));
    else
        printf("atoi is absent\n");
    return 0;
}
