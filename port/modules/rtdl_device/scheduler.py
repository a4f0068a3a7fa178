"""Threads and the scheduler: the run loop (priorities, round-robin time slices, virtual
time, the run's budget), blocking and waking threads on ipc objects, priority inheritance,
preemption at a service, and ending threads.

A slice is a host-time limit on cpu.run; a blocking service stops the CPU and leaves r0 to be
written when the thread is woken or times out. Module deaths (fault, deadlock, timeout) are
in faults.py; what happens when no thread is ready, in idle_time.py. Imports: time, ipc,
records, stacks, faults, idle_time, rterror.
"""
from . import faults
from . import idle_time
from . import ipc
from . import stacks
from . import tcb
from .records import (THREAD_BLOCKED, THREAD_CLOSED, THREAD_READY, THREAD_RUNNING,
                      STAT_CLOSED, STAT_CLOSING, STAT_RUNNING)
from .rterror import ModuleFault, ModuleStateError

try:
    from time import ticks_us, ticks_diff
except ImportError:
    from time import perf_counter

    def ticks_us():
        return int(perf_counter() * 1000000)

    def ticks_diff(a, b):
        return a - b


RT_EINTR = 9                 # what a wait cut short by rt_thread_resume or a signal returns


class Scheduler:
    def __init__(self, kernel):
        self.kernel = kernel
        self.finished = []           # threads deleted by a service, freed by run()
        self.resched = False         # a service made a thread ready: check preemption
        self.host_us = 0             # host time waited for a line, not yet a whole tick
        self.last = None             # the thread that had the CPU last (scheduler hook)
        self.residents = None        # the run's residents (Kernel.run), None: every module

    # ---------------------------------------------------------------- the run loop -----
    def run(self, timeout_us=0, until_tick=None, stop=None, residents=None):
        """See Kernel.run."""
        kernel = self.kernel
        started = ticks_us()
        if self.last is None or self.last.state == THREAD_CLOSED:
            self.last = kernel.system.shell      # the shell started what runs now
        self.residents = residents
        while True:
            self.reap()
            if stop is not None and stop():
                return
            if until_tick is not None and kernel.tick >= until_tick:
                return
            if residents is not None and not idle_time.others_alive(self):
                return
            left = 0
            if timeout_us:
                left = timeout_us - ticks_diff(ticks_us(), started)
                if left <= 0:
                    faults.out_of_time(kernel, timeout_us, residents)
                    timeout_us = 0       # everything left has ended
                    continue
            kernel.devices.interrupts()
            kernel.timer_services.expire()
            self.wake_due()
            thread = self.pick()
            if thread is None:
                if idle_time.idle(self, until_tick):
                    continue
                return
            if thread.module is not None:
                # the running module changes: other images' pages read-only, and what the
                # one before may have damaged is its fault (imageprot.py)
                guilty = kernel.imageprot.enter(thread.module, True)
                if guilty is not None:
                    faults.kill_module(kernel, guilty[0], guilty[1])
                    continue
            if thread is not self.last:
                # a switch: errno follows the thread; the scheduler hook, if a module set one
                last, self.last = self.last, thread
                kernel.errno.switch(thread)
                if kernel.hooks.sched_hook is not None and \
                        not kernel.hooks.switch_to(last, thread):
                    continue
            if thread.sig_pending:
                kernel.signals.deliver_pending(thread)
            run_us = thread.slice * kernel.tick_us
            last = False
            if timeout_us and left <= run_us:
                run_us, last = left, True
            kernel.stackprot.runs(thread)      # its stack is writable (stackprot.py)
            kernel.current = thread
            thread.state = THREAD_RUNNING
            tcb.sync_all(kernel)        # stat and priorities as modules read them
            fault = None
            try:
                if timeout_us:
                    # the run's budget also bounds the time services take (the slice does
                    # not count it); a cpu over a bridge has no such limit
                    kernel.cpu.budget_left_us = left
                stopped = kernel.cpu.run(thread.context, run_us)
                if thread.state == THREAD_RUNNING:
                    thread.state = THREAD_READY
                    if not stopped and not last:
                        # the slice ran out: it took that much time; the next of its
                        # priority goes first
                        kernel.tick += thread.slice
                        self.to_back(thread)
                    # (cut short by the budget: the next round ends it with the others)
                # every slice end checks the canary and, for a thread that goes on, where
                # its stack pointer is (a frame that moved it below the stack and stored
                # nothing yet is caught before it runs again)
                stacks.check(kernel.memory, thread,
                             None if thread.state == THREAD_CLOSED else thread.context[13])
            except ModuleFault as error:
                fault = error
            kernel.current = None
            if fault is not None:
                faults.kill(kernel, thread, fault)
            elif thread.state == THREAD_CLOSED:
                self.thread_finished(thread)

    def reap(self):
        """Free the threads services deleted while another thread was running."""
        while self.finished:
            self.thread_finished(self.finished.pop(0))

    def wake_due(self):
        """Threads whose delay or wait timeout has come: a delay returns RT_EOK, a wait on
        an object -RT_ETIMEOUT."""
        kernel = self.kernel
        for thread in list(kernel.threads):
            if thread.state == THREAD_BLOCKED and thread.wake_tick is not None and \
                    thread.wake_tick <= kernel.tick:
                obj = thread.wait
                if obj is None:
                    self.wake(thread, ipc.RT_EOK, None)
                else:
                    self.leave_wait(thread)
                    self.wake(thread, obj.timeout_result, None)

    def pick(self):
        """The first READY thread of the highest priority (0 is the highest); the order of
        kernel.threads among equals is the round-robin order. A READY thread holding the
        scheduler lock (rt_enter_critical, rt_hw_interrupt_disable) goes on running."""
        best = None
        for thread in self.kernel.threads:
            if thread.state == THREAD_READY and (thread.critical or thread.irq_level):
                return thread
        for thread in self.kernel.threads:
            if thread.state == THREAD_READY and (best is None or thread.priority < best.priority):
                best = thread
        return best

    def to_back(self, thread):
        """Behind every other thread of its priority (yield, an expired slice, a wake-up)."""
        threads = self.kernel.threads
        if thread in threads:
            threads.remove(thread)
            threads.append(thread)

    # ------------------------------------------------------------ ending threads -------
    def add(self, thread):
        self.kernel.threads.append(thread)
        if thread.module is not None:
            thread.module.threads.append(thread)

    def release_thread(self, thread):
        """End a thread now: out of every wait, its mutexes passed on, its memory freed."""
        kernel = self.kernel
        thread.state = THREAD_CLOSED
        self.leave_wait(thread)
        while thread.held:      # a mutex whose owner ends passes to its next waiter
            mutex = thread.held.pop()
            self.apply(mutex.hand_over(), mutex)
            kernel.ipc_services.sync(mutex)
        if thread.pending:
            kernel.steps.abandon_pending(thread.pending, ModuleStateError(
                "thread '%s' ended while a service it called was running target code"
                % thread.name))
        kernel.errno.forget(thread)
        stacks.free(kernel, thread)
        if thread in kernel.threads:
            kernel.threads.remove(thread)
        if thread.module is not None and thread in thread.module.threads:
            thread.module.threads.remove(thread)

    def delete_later(self, thread):
        """A service ended a thread that is not on the CPU: run() frees it."""
        self.leave_wait(thread)
        thread.state = THREAD_CLOSED
        self.finished.append(thread)

    def thread_finished(self, thread):
        kernel = self.kernel
        module = thread.module
        self.release_thread(thread)
        if module is None or module.state == STAT_CLOSED:
            return
        if module.state == STAT_RUNNING and not module.threads:
            # every thread of the program ended (deleted) without main returning: it ends
            module.state = STAT_CLOSING
        if module.state == STAT_CLOSING and not module.has_live_threads():
            module.nref = 0
            try:
                kernel.drive(kernel.destroy_steps(module))
            except ModuleFault as fault:
                # a destructor (atexit handler, module_cleanup, .fini_array) faulted: the
                # module is freed all the same and ends with that fault
                if module.fault is None:
                    module.fault = ModuleFault("%s: in its destructors: %s"
                                               % (module.name, fault), fault.address,
                                               fault.kind)
                    module.ret_code = faults.EXIT_CODES[fault.kind]

    # --------------------------------------------------------- blocking and waking -----
    def block(self, obj, timeout, value=None, ptr=0, sender=False):
        """The calling thread waits on `obj` (None: a plain delay) for `timeout` ticks (< 0:
        for ever). The CPU stops after the service; r0 is written when the thread wakes.
        Outside any thread (a constructor the kernel runs) nothing can wait: that is a fault."""
        kernel = self.kernel
        thread = kernel.current
        if thread is None or thread.state != THREAD_RUNNING:
            raise ModuleFault("kernel: a call made outside any thread would block on %s "
                              "(expected a non-blocking call or one from a module thread)"
                              % (obj.describe() if obj is not None else "a delay"))
        if thread.system:
            raise ModuleFault("%s: an idle hook would block on %s (the idle thread must "
                              "never wait)" % (thread.module.name if thread.module else
                                               "kernel", obj.describe() if obj is not None
                                               else "a delay"))
        thread.state = THREAD_BLOCKED
        thread.wait = obj
        thread.wake_tick = None if timeout < 0 else kernel.tick + timeout
        thread.wait_value = value
        thread.wait_ptr = ptr
        if sender:
            obj.wait_send(thread)
        elif obj is not None:
            obj.wait(thread)
        kernel.cpu.stop()
        return None

    def wake(self, thread, result, value):
        """Resume a BLOCKED thread: `result` becomes its service's r0, `value` goes through
        its out pointer; it goes behind the READY threads of its priority."""
        if value is not None and thread.wait_ptr:
            if isinstance(value, bytes):         # a message for the receiver's buffer
                self.kernel.memory.write(thread.wait_ptr, value)
            else:
                self.kernel.memory.write32(thread.wait_ptr, value)
        thread.context[0] = result & 0xFFFFFFFF
        thread.wait = None
        thread.wake_tick = None
        thread.wait_value = None
        thread.wait_ptr = 0
        thread.state = THREAD_READY
        self.to_back(thread)
        self.resched = True

    def interrupt(self, thread):
        """Let a blocked thread go (rt_thread_resume, a signal): one stopped by
        rt_thread_suspend is made ready; one sleeping or waiting on an object wakes, its
        call returning -RT_EINTR. The caller syncs its struct."""
        if thread.suspended:
            thread.suspended = False
            self.make_ready(thread)
        else:
            self.leave_wait(thread)
            self.wake(thread, -RT_EINTR, None)

    def make_ready(self, thread):
        """A started thread: READY behind its equals; a higher-priority one runs at once."""
        thread.state = THREAD_READY
        self.to_back(thread)
        self.resched = True

    def apply(self, wakeups, obj):
        """Wake the (thread, result, value) an ipc object's operation released."""
        for thread, result, value in wakeups:
            if thread.state != THREAD_BLOCKED:
                continue
            if isinstance(obj, ipc.Mutex) and result == ipc.RT_EOK:
                thread.held.append(obj)
                self.update_priority(thread)
            self.wake(thread, result, value)
        if isinstance(obj, ipc.Mutex) and obj.owner is not None:
            self.update_priority(obj.owner)

    def leave_wait(self, thread):
        """A waiting thread stops waiting without being satisfied (timeout, deletion)."""
        obj = thread.wait
        if obj is None:
            return
        obj.remove(thread)
        thread.wait = None
        if isinstance(obj, ipc.Mutex) and obj.owner is not None:
            self.update_priority(obj.owner)

    def update_priority(self, thread, depth=0):
        """Priority inheritance: a mutex owner runs at the best priority of the threads
        waiting for its mutexes, and back at its own once they are gone; passed along a
        chain of owners blocked on further mutexes."""
        priority = thread.base_priority
        for mutex in thread.held:
            for waiter in mutex.waiters:
                if waiter.priority < priority:
                    priority = waiter.priority
        if priority == thread.priority:
            return
        thread.priority = priority
        self.resched = True
        obj = thread.wait
        if thread.state == THREAD_BLOCKED and obj is not None:
            obj.requeue(thread)
            if isinstance(obj, ipc.Mutex) and obj.owner is not None and depth < 16:
                self.update_priority(obj.owner, depth + 1)

    def preempt(self):
        """After a service made threads ready: a READY thread of a higher priority than the
        caller takes the CPU now (the caller stops once the service has returned its r0)."""
        kernel = self.kernel
        self.resched = False
        thread = kernel.current
        if thread is None or thread.state != THREAD_RUNNING or thread.critical or \
                thread.irq_level:
            return
        for other in kernel.threads:
            if other.state == THREAD_READY and other.priority < thread.priority:
                thread.state = THREAD_READY
                kernel.cpu.stop()
                return
