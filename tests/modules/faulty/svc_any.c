/* Calls any kernel service with any arguments: argv[1] is the SVC number, argv[2..5] r0-r3,
 * argv[6..7] the 5th and 6th arguments (on the stack), all as numbers strtoul reads. Used by
 * tests/test_containment_fuzz.py to throw random pointers, sizes, handles and flags at every
 * service. The immediate of SVC is part of the instruction, so each number has its case.
 * LR is set into the module before the SVC, as the firmware's veneer would leave it, so
 * the kernel knows which module made the call (heap block ownership). */
#include <stdio.h>
#include <stdlib.h>

typedef unsigned long u32;

#define CALL(n) case n: {                                                              \
        register u32 r0 __asm__("r0") = a[0];                                          \
        register u32 r1 __asm__("r1") = a[1];                                          \
        register u32 r2 __asm__("r2") = a[2];                                          \
        register u32 r3 __asm__("r3") = a[3];                                          \
        __asm__ volatile("sub sp, sp, #8\n\tstr %5, [sp]\n\tstr %6, [sp, #4]\n\t"      \
                         "mov lr, pc\n\tsvc %7\n\tadd sp, sp, #8"                                    \
                         : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3)                      \
                         : "r"(0), "r"(a[4]), "r"(a[5]), "i"(n)                        \
                         : "memory", "r12", "lr", "cc");                               \
        result = r0; break; }
#define CALL4(n) CALL(n) CALL(n + 1) CALL(n + 2) CALL(n + 3)
#define CALL16(n) CALL4(n) CALL4(n + 4) CALL4(n + 8) CALL4(n + 12)

int main(int argc, char *argv[])
{
    u32 a[6] = {0, 0, 0, 0, 0, 0};
    u32 result = 0;
    unsigned n = argc > 1 ? (unsigned)strtoul(argv[1], 0, 0) : 0;
    for (int i = 0; i < 6 && i + 2 < argc; i++)
        a[i] = strtoul(argv[i + 2], 0, 0);
    switch (n) {
    CALL16(0) CALL16(16) CALL16(32) CALL16(48) CALL16(64) CALL16(80) CALL16(96) CALL16(112)
    default:
        printf("svc_any: no case for %u\n", n);
        return 2;
    }
    printf("svc_any: %u -> 0x%lx\n", n, result);
    return 0;
}
