/* A 12 KiB stack frame jumps over the guard page below the stack (argv[1]: "alloca" or
 * "array"; "ctor" builds as a constructor doing the same on the kernel stack). */
#include <stdio.h>
#include <string.h>
#include <alloca.h>

static void __attribute__((noinline)) use(volatile char *p, int n)
{
    for (int i = 0; i < n; i += 64)
        p[i] = (char)i;
}

static void __attribute__((noinline)) big_array(void)
{
    volatile char frame[12 * 1024];
    use(frame, sizeof frame);
}

#ifdef IN_CTOR
__attribute__((constructor)) static void ctor(void)
{
    big_array();
}
#endif

int main(int argc, char *argv[])
{
    const char *what = argc > 1 ? argv[1] : "array";
    if (!strcmp(what, "alloca")) {
        volatile char *p = alloca(12 * 1024);
        use(p, 12 * 1024);
    } else {
        big_array();
    }
    printf("stack_jump: survived\n");
    return 0;
}
