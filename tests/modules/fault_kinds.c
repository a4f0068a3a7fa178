/* fault_kinds - one Cortex-M fault per argument, each in a function of its own so the report
 * can name it (tests/test_fault_reports.py): argv[1] is null_write, unmapped_read, undefined,
 * divide_by_zero, bad_jump, xn_jump, arm_state, unaligned or breakpoint. */
#include <rtthread.h>
#include <string.h>

typedef void (*function_t)(void);

void __attribute__((noinline)) null_write(void)
{
    *(volatile int *)0 = 0x1234;
}

int __attribute__((noinline)) unmapped_read(void)
{
    return *(volatile int *)0x30000000;
}

void __attribute__((noinline)) undefined(void)
{
    __asm__ volatile (".short 0xde00");       /* udf #0 */
}

int __attribute__((noinline)) divide_by_zero(volatile int divisor)
{
    return 100 / divisor;                     /* sdiv: faults only with CCR.DIV_0_TRP */
}

volatile int calls_returned;

void __attribute__((noinline)) bad_jump(void)
{
    function_t target = (function_t)0x70000001;
    target();
    calls_returned++;                         /* not a tail call: bad_jump is the caller */
}

void __attribute__((noinline)) xn_jump(void)
{
    /* the peripheral region: mapped, never executable (a jump through garbage lands here) */
    function_t target = (function_t)0x40001001;
    target();
    calls_returned++;
}

void __attribute__((noinline)) arm_state(void)
{
    /* bit 0 clear: a Cortex-M has no ARM state to switch to */
    function_t target = (function_t)((unsigned long)&null_write & ~1ul);
    target();
    calls_returned++;
}

long long __attribute__((noinline)) unaligned(volatile char *buffer)
{
    long long value;
    __asm__ volatile ("ldrd %Q0, %R0, [%1]" : "=r" (value) : "r" (buffer + 1));
    return value;                             /* LDRD never takes an unaligned address */
}

void __attribute__((noinline)) breakpoint(void)
{
    __asm__ volatile ("bkpt #1");
}

int main(int argc, char **argv)
{
    static char buffer[16];
    const char *kind = argc > 1 ? argv[1] : "";

    rt_kprintf("fault_kinds: %s\n", kind);
    if (!strcmp(kind, "null_write"))
        null_write();
    else if (!strcmp(kind, "unmapped_read"))
        return unmapped_read();
    else if (!strcmp(kind, "undefined"))
        undefined();
    else if (!strcmp(kind, "divide_by_zero"))
        rt_kprintf("100 / 0 = %d\n", divide_by_zero(0));
    else if (!strcmp(kind, "bad_jump"))
        bad_jump();
    else if (!strcmp(kind, "xn_jump"))
        xn_jump();
    else if (!strcmp(kind, "arm_state"))
        arm_state();
    else if (!strcmp(kind, "unaligned"))
        return (int)unaligned(buffer);
    else if (!strcmp(kind, "breakpoint"))
        breakpoint();
    return 0;
}
