"""Idle and scheduler hooks (idle.c, scheduler_up.c of RT-Thread 5.x) and the idle thread's
work. rt_thread_idle_sethook fills the first free of RT_IDLE_HOOK_LIST_SIZE slots (-RT_EFULL
when all are taken; the same function may take two), rt_thread_idle_delhook empties the first
slot holding it (-RT_ENOSYS when none does). The idle thread tidle0 calls the set hooks in slot
order, round and round, while nothing else is ready (run_idle). rt_scheduler_sethook keeps one
hook, called with the struct rt_thread of the thread leaving and the one taking the CPU at each
switch (switch_to), in the scheduler, in no thread (it must not block), as scheduler_up.c
calls it with interrupts off. A hook is its module's code: a fault in it is that module's
fault, and its hooks go when it ends (forget). Imports: ipc, faults, records, rterror,
svc_thread, systhreads.
"""
from . import faults
from . import ipc
from .records import STAT_CLOSED, THREAD_CLOSED, THREAD_READY, THREAD_RUNNING
from .rterror import ModuleFault
from .svc_thread import caller, creator
from .systhreads import RT_IDLE_HOOK_LIST_SIZE

RT_ENOSYS = 6


class HookServices:
    def __init__(self, kernel):
        self.kernel = kernel
        self.system = kernel.system
        self.idle_hooks = [None] * RT_IDLE_HOOK_LIST_SIZE   # (function, module) or None
        self.next_slot = 0
        self.sched_hook = None                              # (function, module) or None

    def handlers(self):
        return (("rt_thread_idle_sethook", self.idle_sethook),
                ("rt_thread_idle_delhook", self.idle_delhook),
                ("rt_thread_idle_gethandler", self.idle_handler),
                ("rt_scheduler_sethook", self.scheduler_sethook),
                ("__rtdl_idle_next", self.idle_next))

    # --------------------------------------------------------------- services --------
    def idle_sethook(self, args):
        if not args[0]:
            raise ModuleFault("%s: rt_thread_idle_sethook: a NULL hook" % caller(self.kernel))
        for slot in range(RT_IDLE_HOOK_LIST_SIZE):
            if self.idle_hooks[slot] is None:
                self.idle_hooks[slot] = (args[0], creator(self.kernel))
                return ipc.RT_EOK
        return -ipc.RT_EFULL

    def idle_delhook(self, args):
        for slot in range(RT_IDLE_HOOK_LIST_SIZE):
            hook = self.idle_hooks[slot]
            if hook is not None and hook[0] == args[0]:
                self.idle_hooks[slot] = None
                return ipc.RT_EOK
        return -RT_ENOSYS

    def idle_handler(self, args):
        return self.system.idle.tcb

    def scheduler_sethook(self, args):
        self.sched_hook = (args[0], creator(self.kernel)) if args[0] else None
        return None

    def idle_next(self, args):
        """The next set hook after the one last called, for __rtdl_idle_thread's loop; its
        module owns what the hook does. None left: 0, and the idle thread stops."""
        kernel = self.kernel
        idle = self.system.idle
        if kernel.current is not idle:
            raise ModuleFault("%s: __rtdl_idle_next is the idle thread's" % caller(kernel))
        for step in range(RT_IDLE_HOOK_LIST_SIZE):
            slot = (self.next_slot + step) % RT_IDLE_HOOK_LIST_SIZE
            hook = self.idle_hooks[slot]
            if hook is not None:
                self.next_slot = slot + 1
                idle.module = hook[1]
                if hook[1] is not None:
                    kernel.imageprot.enter(hook[1])
                return hook[0]
        idle.module = None
        kernel.cpu.stop()
        return 0

    # ------------------------------------------------------------- the kernel's ------
    def has_idle_hooks(self):
        for hook in self.idle_hooks:
            if hook is not None:
                return True
        return False

    def run_idle(self, ticks):
        """Nothing else is ready and a thread waits `ticks` ticks: the idle thread calls the
        hooks for up to that long (its slice at most). Returns the ticks it used up: all of
        them when its time ran out, 0 when a hook made a thread ready (it is preempted)."""
        kernel = self.kernel
        idle = self.system.idle
        if ticks > idle.slice:
            ticks = idle.slice
        kernel.stackprot.runs(idle)      # its stack is writable (stackprot.py)
        kernel.current = idle
        idle.state = THREAD_RUNNING
        self.system.idle_ran = True
        if idle.module is not None:
            # it resumes inside a hook: that module's image is writable (imageprot.py)
            kernel.imageprot.enter(idle.module)
        fault = None
        try:
            stopped = kernel.cpu.run(idle.context, ticks * kernel.tick_us)
        except ModuleFault as error:
            fault = error
            stopped = True
        kernel.current = None
        if fault is not None:
            module = idle.module
            self.system.restart_idle()
            if module is None:
                raise fault
            # its region note stays a part (kill_module's imageprot.explain may name it)
            faults.kill_module(kernel, module, faults.in_callback(module, "idle hook", fault))
            return 0
        if idle.state != THREAD_RUNNING or \
                (idle.module is not None and idle.module.state == STAT_CLOSED):
            # a hook ended its module (or tried to end the idle thread): start afresh
            self.system.restart_idle()
            return 0
        idle.state = THREAD_READY
        return 0 if stopped else ticks

    def switch_to(self, last, thread):
        """The scheduler hook for a switch from `last` to `thread` (both records); False when
        the hook's fault ended `thread`'s module."""
        hook = self.sched_hook
        if hook is None:
            return True
        kernel = self.kernel
        try:
            kernel.drive(_call(hook[0], last.tcb if last is not None else 0, thread.tcb))
        except ModuleFault as fault:
            module = hook[1]
            self.sched_hook = None
            if module is None:
                raise
            faults.kill_module(kernel, module, faults.in_callback(module, "scheduler hook",
                                                                  fault))
            return thread.state != THREAD_CLOSED
        return True

    def forget(self, module):
        """`module` has ended: its hooks go with it (and the idle thread leaves its code)."""
        system = self.system
        if (self.sched_hook is None and not any(self.idle_hooks)
                and system.idle.module is None and not system.idle_ran):
            return                   # no hook at all, and the idle thread is as it started
        for slot in range(RT_IDLE_HOOK_LIST_SIZE):
            hook = self.idle_hooks[slot]
            if hook is not None and hook[1] is module:
                self.idle_hooks[slot] = None
        if self.sched_hook is not None and self.sched_hook[1] is module:
            self.sched_hook = None
        idle = self.system.idle
        if idle.module is module or not self.has_idle_hooks():
            if kernel_running_idle(self.kernel):
                return
            self.system.restart_idle()


def kernel_running_idle(kernel):
    return kernel.current is kernel.system.idle


def _call(fn, *args):
    yield (fn, args)
