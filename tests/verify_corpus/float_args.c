/* Passes doubles to the firmware's libm: with -mfloat-abi=hard they go in d0/d1, where the
 * soft-float firmware never looks. */
#include <math.h>
#include <stdio.h>

int main(int argc, char *argv[])
{
    volatile double x = 2.0 + argc;
    printf("float_args: %d\n", (int)(1000.0 * sqrt(x)));
    return 0;
}
