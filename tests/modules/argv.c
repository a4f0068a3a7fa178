/* Prints the argument vector the kernel built from the command line
 * (space/tab separated, "double quotes" group, argv[0] as typed). */
#include <stdio.h>

int main(int argc, char *argv[])
{
    int i;

    printf("argc=%d\n", argc);
    for (i = 0; i < argc; i++)
        printf("argv[%d]=<%s>\n", i, argv[i]);
    return 0;
}
