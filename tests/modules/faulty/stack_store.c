/* One store 16 KiB below the stack pointer, far past any guard page, with the stack pointer
 * put back at once: nothing but the memory below the stack can notice it. IN_CTOR does the
 * same in a constructor, on the kernel stack. */
#include <stdio.h>

static void __attribute__((noinline)) jump_and_store(void)
{
    __asm__ volatile("mov r1, sp\n\t"
                     "sub sp, sp, #0x4000\n\t"
                     "str r1, [sp]\n\t"
                     "mov sp, r1" ::: "r1", "memory");
}

#ifdef IN_CTOR
__attribute__((constructor)) static void ctor(void)
{
    jump_and_store();
}
#endif

int main(void)
{
    jump_and_store();
    printf("stack_store: survived\n");
    return 0;
}
