/* A BL to a fixed address 512 MiB away from RAM (SHN_ABS: the loader makes no veneer for an
 * address the module states itself), which no Thumb-2 BL can reach. */
    .syntax unified
    .thumb
    .global far_function
    .set far_function, 0x08000001
    .text
    .global main
    .type main, %function
    .thumb_func
main:
    push {r3, lr}
    bl far_function
    pop {r3, pc}
