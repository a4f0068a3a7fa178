/* Floating point computed at run time on a soft-float ABI: the module imports libgcc's
 * __aeabi_d* / __aeabi_f* helpers from the firmware; printf formats doubles
 * (floats are promoted to double through __aeabi_f2d). */
#include <stdio.h>

volatile double d_a = 1.5;
volatile double d_b = 2.25;
volatile float f_a = 0.1f;
volatile float f_b = 3.0f;
volatile int i_n = 7;

int main(int argc, char *argv[])
{
    double prod = d_a * d_b;                  /* 3.375 */
    double quot = d_b / d_a;                  /* 1.5 */
    double sum = d_a + d_b - (double)i_n;     /* -3.25 */
    float fprod = f_a * f_b;                  /* 0.3 in float */
    float fquot = f_b / (float)i_n;

    printf("f: %f %f %f\n", prod, quot, sum);
    printf(".3f: %.3f %.3f\n", (double)fprod, (double)fquot);
    printf("e: %e %e\n", prod * 1000000.0, quot / 1000.0);
    printf("g: %g %g %g\n", prod, (double)fquot, 1.0 / (double)i_n);
    printf("cmp: %d %d\n", prod > quot, fprod < f_a);
    printf("int: %d %d\n", (int)(prod * 100.0), (int)fquot);
    return 0;
}
