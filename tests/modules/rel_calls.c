/* An ET_REL module (built --relocatable --no-long-calls) whose functions call each other with
 * Thumb-2 BL (R_ARM_THM_CALL): RT-Thread wrote the relocated BL 8 bytes past its place.
 * printf sits in flash, out of BL range from RAM, so it is reached through a pointer. */
#include <stdio.h>

static int (*volatile print)(const char *fmt, ...) = printf;

static int __attribute__((noinline)) twice(int x)
{
    return 2 * x;
}

static int __attribute__((noinline)) twice_plus_three(int x)
{
    return twice(x) + 3;
}

int main(int argc, char *argv[])
{
    print("rel_calls: twice_plus_three(20) = %d\n", twice_plus_three(20));
    print("rel_calls: twice(twice(5)) = %d\n", twice(twice(5)));
    return 0;
}
