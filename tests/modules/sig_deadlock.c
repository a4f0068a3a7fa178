/* rt_signal_wait for ever with no other thread (tests/test_rt_signals.py): nothing can send
 * the signal, so the run ends at once with a deadlock report naming the wait. */
#include <rtthread.h>

int main(void)
{
    rt_sigset_t set = 1u << SIGUSR1;
    rt_siginfo_t si;

    rt_kprintf("sig_deadlock: waiting\n");
    rt_signal_wait(&set, &si, RT_WAITING_FOREVER);
    return 0;
}
