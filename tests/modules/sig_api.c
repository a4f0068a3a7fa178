/* Signals (tests/test_rt_signals.py): rt_signal_install/mask/unmask/wait and rt_thread_kill,
 * SIG_DFL/SIG_IGN/SIG_ERR, handlers run on the target thread (itself at once, another when it
 * next runs, a sleeper woken with -RT_EINTR). Each check prints one line; the test compares
 * them with what RT-Thread 5.x does. */
#include <rtthread.h>

static volatile int handled[RT_SIG_MAX];
static volatile rt_thread_t handled_on;
static volatile int handler_local_in_stack;
static volatile int spins_after;
static volatile int stop_spinning;
static rt_sem_t never;

static void on_signal(int signo)
{
    volatile int local;
    rt_thread_t self = rt_thread_self();
    char *low = (char *)self->stack_addr;

    handled[signo]++;
    handled_on = self;
    handler_local_in_stack = (char *)&local >= low && (char *)&local < low + self->stack_size;
}

static void other_handler(int signo)
{
    handled[signo] += 100;
}

/* blocks on a semaphore nobody releases: a signal wakes it with -RT_EINTR */
static void sem_waiter(void *parameter)
{
    rt_signal_install(SIGUSR1, on_signal);
    rt_signal_unmask(SIGUSR1);
    rt_kprintf("waiter: take returned %d, handled %d on itself %d, errno %d\n",
               (int)rt_sem_take(never, RT_WAITING_FOREVER), handled[SIGUSR1],
               handled_on == rt_thread_self(), (int)rt_get_errno());
}

/* never blocks: the handler interrupts it where it is, on its own stack, and it goes on */
static void spinner(void *parameter)
{
    rt_signal_install(SIGUSR2, on_signal);
    rt_signal_unmask(SIGUSR2);
    while (!stop_spinning)
        if (handled[SIGUSR2])
            spins_after++;
}

static void sig_waiter(void *parameter)
{
    rt_sigset_t set = 1u << SIGUSR2;
    rt_siginfo_t si;
    int result = rt_signal_wait(&set, &si, 100);

    rt_kprintf("sigwait: %d, si_signo %d, si_code %d, handled %d\n", result, si.si_signo,
               si.si_code, handled[SIGUSR2]);
}

int main(void)
{
    rt_thread_t self = rt_thread_self(), t;
    rt_sigset_t set = 1u << SIGUSR2;
    rt_siginfo_t si;

    rt_kprintf("install: first %d, again returns it %d, bad signo %d\n",
               rt_signal_install(SIGUSR1, on_signal) == SIG_DFL,
               rt_signal_install(SIGUSR1, on_signal) == on_signal,
               rt_signal_install(RT_SIG_MAX, on_signal) == SIG_ERR);
    rt_kprintf("kill: bad signo %d\n", rt_thread_kill(self, RT_SIG_MAX));

    /* masked (no signal is let through at first): it stays pending */
    rt_kprintf("kill masked: %d, handled %d, pending %d\n", rt_thread_kill(self, SIGUSR1),
               handled[SIGUSR1], (int)((self->sig_pending >> SIGUSR1) & 1));
    rt_signal_unmask(SIGUSR1);
    rt_kprintf("unmask: handled %d on main %d, pending %d, errno %d\n", handled[SIGUSR1],
               handled_on == self, (int)((self->sig_pending >> SIGUSR1) & 1), (int)rt_get_errno());
    rt_kprintf("kill unmasked: %d, handled %d\n", rt_thread_kill(self, SIGUSR1),
               handled[SIGUSR1]);
    rt_signal_mask(SIGUSR1);
    rt_thread_kill(self, SIGUSR1);
    rt_kprintf("masked again: handled %d\n", handled[SIGUSR1]);

    /* SIG_IGN drops it; SIG_DFL does nothing either; another handler replaces the first */
    rt_kprintf("SIG_IGN: old is on_signal %d\n",
               rt_signal_install(SIGUSR1, SIG_IGN) == on_signal);
    rt_signal_unmask(SIGUSR1);
    rt_kprintf("ignored: handled %d, pending %d\n", handled[SIGUSR1],
               (int)((self->sig_pending >> SIGUSR1) & 1));
    rt_thread_kill(self, SIGUSR1);
    rt_signal_install(SIGUSR1, SIG_DFL);
    rt_thread_kill(self, SIGUSR1);
    rt_kprintf("SIG_DFL: old is SIG_DFL %d, handled %d\n",
               rt_signal_install(SIGUSR1, other_handler) == SIG_DFL, handled[SIGUSR1]);
    rt_thread_kill(self, SIGUSR1);
    rt_kprintf("replaced: handled %d\n", handled[SIGUSR1]);

    /* rt_signal_wait: a pending signal of the set is taken without its handler */
    rt_thread_kill(self, SIGUSR2);
    rt_kprintf("wait pending: %d, si_signo %d, pending %d\n", rt_signal_wait(&set, &si, 0),
               si.si_signo, (int)((self->sig_pending >> SIGUSR2) & 1));
    rt_kprintf("wait nothing: %d, timeout %d, bad set %d\n", rt_signal_wait(&set, &si, 0),
               rt_signal_wait(&set, &si, 5), rt_signal_wait(RT_NULL, &si, 5));

    /* another thread blocked on a semaphore */
    handled[SIGUSR1] = 0;
    never = rt_sem_create("never", 0, RT_IPC_FLAG_FIFO);
    t = rt_thread_create("waiter", sem_waiter, RT_NULL, 1024, 15, 10);
    rt_thread_startup(t);                      /* runs at once (15 < 20) and blocks */
    rt_thread_kill(t, SIGUSR1);
    rt_thread_mdelay(5);

    /* another thread that is READY, not running, when the signal comes */
    t = rt_thread_create("spinner", spinner, RT_NULL, 1024, 25, 2);
    rt_thread_startup(t);
    rt_thread_mdelay(3);                       /* it installs its handler and spins */
    rt_thread_kill(t, SIGUSR2);
    rt_kprintf("spinner: handled before it ran %d\n", handled[SIGUSR2]);
    rt_thread_mdelay(10);
    rt_kprintf("spinner: handled %d on itself %d, in its stack %d, went on %d\n",
               handled[SIGUSR2], handled_on == t, handler_local_in_stack, spins_after > 0);
    /* suspended by rt_thread_suspend: the signal resumes it and its handler runs */
    handled[SIGUSR2] = 0;
    rt_thread_suspend(t);
    rt_thread_mdelay(3);
    rt_kprintf("suspended spinner: stat %d\n", RT_SCHED_CTX(t).stat & RT_THREAD_STAT_MASK);
    rt_thread_kill(t, SIGUSR2);
    rt_thread_mdelay(3);
    rt_kprintf("suspended spinner: handled %d, stat %d\n", handled[SIGUSR2],
               RT_SCHED_CTX(t).stat & RT_THREAD_STAT_MASK);
    stop_spinning = 1;
    rt_thread_mdelay(5);

    /* a thread in rt_signal_wait gets the signal of its set, no handler runs */
    handled[SIGUSR2] = 0;
    t = rt_thread_create("sigwait", sig_waiter, RT_NULL, 1024, 15, 10);
    rt_thread_startup(t);
    rt_thread_kill(t, SIGUSR2);
    rt_thread_mdelay(5);
    rt_sem_delete(never);
    return 0;
}
