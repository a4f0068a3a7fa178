/* The module's own preemptible (default visibility) globals: under -fPIC -shared the code
 * reaches them through the GOT, i.e. R_ARM_GLOB_DAT against symbols the module itself
 * defines. A data pointer to a global function gives R_ARM_ABS32 against it.
 * (-fvisibility=hidden turns all of these into R_ARM_RELATIVE.) */
#include <stdio.h>

int counter = 5;                        /* .data */
int history[4];                         /* .bss */
const char *label = "globals";          /* .data pointer to .rodata */

int bump(int by)
{
    counter += by;
    return counter;
}

int (*bump_hook)(int) = bump;           /* data pointer to a global function */

int main(int argc, char *argv[])
{
    int (*volatile fp)(int) = bump;     /* address taken in code: GOT entry */
    int i;

    printf("%s: counter=%d\n", label, counter);
    history[0] = fp(10);
    history[1] = bump_hook(100);
    history[2] = bump(1000);
    history[3] = counter * 2;
    for (i = 0; i < 4; i++)
        printf("history[%d]=%d\n", i, history[i]);
    label = "globals(changed)";
    printf("%s: counter=%d\n", label, counter);
    return 0;
}
