"""Signals between threads (RT_USING_SIGNALS, src/signal.c of RT-Thread 5.x): rt_signal_install,
rt_signal_mask/unmask, rt_signal_wait and rt_thread_kill, with the numbers of newlib's
<signal.h> (SIGUSR1 ...), SIG_DFL, SIG_IGN and SIG_ERR.

As in RT-Thread, a thread's sig_mask holds the signals it lets through (none at first:
rt_signal_unmask opens one). A signal sent is pending until it is let through; then its
handler runs on the target thread itself:
  - a thread sending to itself (or unmasking a pending signal) runs the handler at once,
    before the service returns (a target call on its own stack, steps.py);
  - another thread runs it the next time it is scheduled (deliver_pending): a frame is built
    on its own stack below its sp, the handler returns to __rtdl_signal_return, and the thread
    resumes exactly where it was;
  - a target suspended in a delay or a wait is woken first, its call returning -RT_EINTR
    (suspended by rt_thread_suspend: resumed), as _signal_deliver resumes it.
After a handler the thread's error is -RT_EINTR (rt_thread_handle_sig). SIG_IGN drops the
signal, SIG_DFL does nothing (RT-Thread's default handler only logs). rt_signal_install
returns SIG_DFL or SIG_IGN for those (RT-Thread returns its internal default handler and
RT_NULL). rt_signal_wait takes a pending signal of its set without running a handler, or waits
for one (masked or not) up to its timeout. Imports: struct, ipc, tcb, rt_layout, records,
rterror, scheduler (RT_EINTR), svc_thread.
"""
import struct

from . import ipc
from . import rt_layout
from . import tcb as rt_tcb
from .records import THREAD_BLOCKED
from .rterror import ModuleFault
from .scheduler import RT_EINTR
from .svc_thread import caller, signed

RT_SIG_MAX = 32
RT_EINVAL = 10
SIG_DFL = 0
SIG_IGN = 1
SIG_ERR = 0xFFFFFFFF
SI_USER = 1
_SIGINFO_SIZE = 12            # newlib's siginfo_t: si_signo, si_code, si_value
_SIG_PENDING = rt_layout.offset("rt_thread", "sig_pending")
_SIG_MASK = rt_layout.offset("rt_thread", "sig_mask")


class _SignalWait:
    """What a thread in rt_signal_wait waits on (scheduler.block): a timeout gives
    -RT_ETIMEOUT; leaving the wait any way ends it."""
    timeout_result = -ipc.RT_ETIMEOUT

    def __init__(self, module):
        self.module = module          # the waiter's own (deadlock reports name owners)

    def wait(self, thread):
        return None

    def requeue(self, thread):
        return None

    def remove(self, thread):
        thread.sig_wait = 0

    def describe(self):
        return "a signal (rt_signal_wait)"



def _lowest(bits):
    signo = 0
    while not bits & (1 << signo):
        signo += 1
    return signo


class SignalServices:
    def __init__(self, kernel, threads):
        self.kernel = kernel
        self.threads = threads        # svc_thread.ThreadServices: thread_of

    def handlers(self):
        return (("rt_signal_install", self.install),
                ("rt_signal_mask", self.mask),
                ("rt_signal_unmask", self.unmask),
                ("rt_signal_wait", self.wait),
                ("rt_thread_kill", self.kill),
                ("__rtdl_signal_return", self.signal_return))

    def _self(self, service):
        thread = self.kernel.current
        if thread is None:
            raise ModuleFault("kernel: %s called outside any thread" % service)
        return thread

    def _sync(self, thread):
        if thread.tcb:
            memory = self.kernel.memory
            memory.write32(thread.tcb + _SIG_PENDING, thread.sig_pending)
            memory.write32(thread.tcb + _SIG_MASK, thread.sig_mask)

    # --------------------------------------------------------------- services --------
    def install(self, args):
        thread = self._self("rt_signal_install")
        signo, handler = signed(args[0]), args[1]
        if not 0 <= signo < RT_SIG_MAX:
            return SIG_ERR
        if thread.sig_vectors is None:
            thread.sig_vectors = {}
        old = thread.sig_vectors.get(signo, SIG_DFL)
        thread.sig_vectors[signo] = handler
        return old

    def mask(self, args):
        thread = self._self("rt_signal_mask")
        if 0 <= signed(args[0]) < RT_SIG_MAX:
            thread.sig_mask &= ~(1 << args[0])
            self._sync(thread)
        return None

    def unmask(self, args):
        thread = self._self("rt_signal_unmask")
        if 0 <= signed(args[0]) < RT_SIG_MAX:
            thread.sig_mask |= 1 << args[0]
            self._sync(thread)
            if thread.sig_pending & thread.sig_mask and thread.sig_frame is None:
                return self._handle_here(thread, 0)
        return None

    def kill(self, args):
        kernel = self.kernel
        thread = self.threads.thread_of(args[0], "rt_thread_kill")
        signo = signed(args[1])
        if not 0 <= signo < RT_SIG_MAX:
            return -RT_EINVAL
        bit = 1 << signo
        thread.sig_pending |= bit
        self._sync(thread)
        if thread.sig_wait & bit:
            self._take(thread, signo)
            kernel.scheduler.leave_wait(thread)
            kernel.scheduler.wake(thread, ipc.RT_EOK, None)
            return ipc.RT_EOK
        if not thread.sig_pending & thread.sig_mask:
            return ipc.RT_EOK                       # held until it is let through
        if thread is kernel.current:
            if thread.sig_frame is None:
                return self._handle_here(thread, ipc.RT_EOK)
            return ipc.RT_EOK                       # after the handler that is running
        if thread.state == THREAD_BLOCKED:
            kernel.scheduler.interrupt(thread)
            rt_tcb.sync(kernel.memory, thread)
        return ipc.RT_EOK

    def wait(self, args):
        """rt_signal_wait(set*, si*, timeout): RT_EOK with *si filled, -RT_ETIMEOUT,
        -RT_EINVAL for a NULL or empty set or a NULL si."""
        kernel = self.kernel
        thread = self._self("rt_signal_wait")
        if not args[0] or not args[1]:
            return -RT_EINVAL
        wanted = kernel.args.read32(args[0], "set")
        if not wanted:
            return -RT_EINVAL
        kernel.args.write(args[1], bytes(_SIGINFO_SIZE), "si")
        if thread.sig_pending & wanted:
            self._take_into(thread, _lowest(thread.sig_pending & wanted), args[1])
            return ipc.RT_EOK
        timeout = signed(args[2])
        if timeout == 0:
            return -ipc.RT_ETIMEOUT
        thread.sig_wait = wanted
        thread.sig_si = args[1]
        return kernel.scheduler.block(_SignalWait(thread.module), timeout)

    def signal_return(self, args):
        """A handler run by deliver_pending returned: the thread goes on where it was."""
        kernel = self.kernel
        thread = self._self("__rtdl_signal_return")
        if thread.sig_frame is None:
            raise ModuleFault("%s: __rtdl_signal_return reached with no signal handler "
                              "running" % caller(kernel))
        # cpu.run writes the handler's registers into the handler's context, not this one
        thread.context, thread.sig_frame = thread.sig_frame, None
        self._interrupted(thread)
        kernel.cpu.stop()
        return None

    # ------------------------------------------------------------- delivering --------
    def _take(self, thread, signo):
        """rt_signal_wait's catch: the signal is consumed; its si goes to the waiter."""
        self._take_into(thread, signo, thread.sig_si)
        thread.sig_wait = 0

    def _take_into(self, thread, signo, si):
        thread.sig_pending &= ~(1 << signo)
        self._sync(thread)
        self.kernel.memory.write(si, struct.pack("<iiI", signo, SI_USER, 0))

    def _next(self, thread):
        """The lowest pending signal let through, taken off pending, and its handler (0 for
        none to call: SIG_IGN, SIG_DFL)."""
        signo = _lowest(thread.sig_pending & thread.sig_mask)
        thread.sig_pending &= ~(1 << signo)
        self._sync(thread)
        handler = SIG_DFL
        if thread.sig_vectors is not None:
            handler = thread.sig_vectors.get(signo, SIG_DFL)
        if handler in (SIG_DFL, SIG_IGN):
            handler = 0
        return signo, handler

    def _interrupted(self, thread):
        if thread.tcb:
            self.kernel.errno.set(thread, -RT_EINTR)

    def _handle_here(self, thread, result):
        """Generator for a service: the handlers of the signals let through, called on the
        calling thread before the service returns `result`."""
        while thread.sig_pending & thread.sig_mask:
            signo, handler = self._next(thread)
            if handler:
                yield (handler, (signo,))
            self._interrupted(thread)
        return result

    def deliver_pending(self, thread):
        """The scheduler is about to run `thread` with signals pending: the first one let
        through gets a handler frame on the thread's stack."""
        if thread.sig_frame is not None or thread.sig_wait or \
                not thread.sig_pending & thread.sig_mask:
            return
        while thread.sig_pending & thread.sig_mask:
            signo, handler = self._next(thread)
            if handler:
                break
            self._interrupted(thread)
        else:
            return
        frame = thread.context
        regs = list(frame[:17]) + [None]
        regs[0] = signo
        regs[13] = (frame[13] - 32) & ~7
        regs[14] = self.kernel.addresses["__rtdl_signal_return"] | 1
        regs[15] = handler | 1
        regs[16] = 0x01000000
        thread.sig_frame = frame
        thread.context = regs
