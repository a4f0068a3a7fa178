/* Condition flags belong to the thread: `counter` counts down in a loop whose flags are set
 * by `subs` in one translation block and tested by `bne` in the next, so a time slice can end
 * between the two; `clobber` runs meanwhile and leaves Z set at its own block boundary. If a
 * context switch did not save and restore xPSR, `counter` would resume with clobber's Z=1
 * and leave its loop early: it would count fewer than it was asked to. Both threads have the
 * same priority and 1-tick slices, so the CPU changes hands many times. */
#include <stdlib.h>
#include <rtthread.h>

static rt_sem_t done;
static unsigned rounds = 20000000;
static unsigned counted;

static void counter(void *parameter)
{
    unsigned n = rounds, count = 0;

    __asm__ volatile(
        "1:  add  %[count], %[count], #1\n"
        "    subs %[n], %[n], #1\n"         /* Z=1 only when n reaches 0 */
        "    b    2f\n"                      /* ends the block: the flags stay live across */
        "2:  bne  1b\n"
        : [n] "+r"(n), [count] "+r"(count) : : "cc");
    counted = count;
    rt_sem_release(done);
}

static void clobber(void *parameter)
{
    unsigned n = rounds, zero = 0;

    __asm__ volatile(
        "1:  cmp  %[zero], #0\n"             /* Z=1 */
        "    b    2f\n"                      /* a block boundary with Z=1 */
        "2:  sub  %[n], %[n], #1\n"
        "    cmp  %[n], #0\n"
        "    bne  1b\n"
        : [n] "+r"(n) : [zero] "r"(zero) : "cc");
    rt_sem_release(done);
}

int main(int argc, char *argv[])
{
    if (argc > 1)
        rounds = (unsigned)atoi(argv[1]);
    done = rt_sem_create("done", 0, RT_IPC_FLAG_FIFO);
    rt_thread_startup(rt_thread_create("counter", counter, RT_NULL, 1024, 20, 1));
    rt_thread_startup(rt_thread_create("clobber", clobber, RT_NULL, 1024, 20, 1));
    rt_sem_take(done, RT_WAITING_FOREVER);
    rt_sem_take(done, RT_WAITING_FOREVER);
    rt_kprintf("thr_flags: counted %u of %u\n", counted, rounds);
    return 0;
}
