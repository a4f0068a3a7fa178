/* Cortex-M4 vector table, reset handler and the `__rtdl_return` landing pad.
 *
 * The emulator never takes an exception through this table: it loads the segments itself,
 * sets SP to __kernel_stack_top and calls rtdl_firmware_init with LR = __rtdl_return. The
 * table and Reset_Handler are what the same image needs on a real board. */
#include <stdint.h>
#include <string.h>

extern uint32_t __kernel_stack_top[];
extern uint32_t __data_start[], __data_end[], __data_load[];
extern uint32_t __bss_start[], __bss_end[];

void rtdl_firmware_init(void);
void Reset_Handler(void) __attribute__((noreturn));

void Default_Handler(void)
{
    for (;;)
        __asm__ volatile ("bkpt #0");
}

void NMI_Handler(void) __attribute__((weak, alias("Default_Handler")));
void HardFault_Handler(void) __attribute__((weak, alias("Default_Handler")));
void MemManage_Handler(void) __attribute__((weak, alias("Default_Handler")));
void BusFault_Handler(void) __attribute__((weak, alias("Default_Handler")));
void UsageFault_Handler(void) __attribute__((weak, alias("Default_Handler")));
void SVC_Handler(void) __attribute__((weak, alias("Default_Handler")));
void DebugMon_Handler(void) __attribute__((weak, alias("Default_Handler")));
void PendSV_Handler(void) __attribute__((weak, alias("Default_Handler")));
void SysTick_Handler(void) __attribute__((weak, alias("Default_Handler")));

typedef void (*vector_t)(void);

const vector_t __isr_vector[16] __attribute__((section(".isr_vector"), used)) = {
    (vector_t)(uintptr_t)__kernel_stack_top,    /* initial main SP */
    Reset_Handler,
    NMI_Handler,
    HardFault_Handler,
    MemManage_Handler,
    BusFault_Handler,
    UsageFault_Handler,
    0, 0, 0, 0,                                 /* reserved */
    SVC_Handler,
    DebugMon_Handler,
    0,                                          /* reserved */
    PendSV_Handler,
    SysTick_Handler,
};

void Reset_Handler(void)
{
    /* .data from its load address in flash; .bss zeroed. Word loops written out so the
     * compiler cannot turn them into memcpy/memset calls before .data exists. */
    volatile uint32_t *dst = __data_start;
    const volatile uint32_t *src = __data_load;
    while (dst < __data_end)
        *dst++ = *src++;
    for (dst = __bss_start; dst < __bss_end; )
        *dst++ = 0;

    rtdl_firmware_init();

    for (;;)
        __asm__ volatile ("wfi");
}

/* __rtdl_return: the return address the board gives every function it calls (cpu.call uses
 * it as LR and as emu_start's `until`). Never executed in emulation; on hardware it parks. */
__asm__(
    "    .pushsection .text,\"ax\",%progbits\n"
    "    .syntax unified\n"
    "    .thumb\n"
    "    .p2align 2\n"
    "    .global __rtdl_return\n"
    "    .type __rtdl_return, %function\n"
    "    .thumb_func\n"
    "__rtdl_return:\n"
    "    nop\n"
    "    b .\n"
    "    .size __rtdl_return, . - __rtdl_return\n"
    "    .popsection\n");
