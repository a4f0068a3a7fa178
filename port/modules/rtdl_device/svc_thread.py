"""Thread services for C code: rt_thread_create/startup/delete/self/yield, delays, the tick,
and the rt_thread_exit trampoline. The scheduler (scheduler.py) does the switching.
Imports: ipc (result codes), loader (RT_NAME_MAX), records, stacks, symtab, rterror.
"""
from . import ipc
from . import stacks
from . import tcb
from .loader import RT_NAME_MAX
from .records import (Thread, DEFAULT_TICK, MIN_STACK_SIZE, RT_THREAD_PRIORITY_MAX,
                      THREAD_CLOSED, THREAD_INIT, THREAD_RUNNING)
from .rterror import HeapError, ModuleFault, RtdlError

RT_TICK_PER_SECOND = 1000      # rt_thread_mdelay(ms) sleeps ms ticks
_MAX_STACK_SIZE = 0x100000


def signed(value):
    """A 32-bit register value as a signed int (timeouts: RT_WAITING_FOREVER is -1)."""
    return value - 0x100000000 if value & 0x80000000 else value


def caller(kernel):
    """How error reports name the calling thread."""
    return kernel.current.who() if kernel.current is not None else "kernel"


def creator(kernel):
    """The module that owns a kernel object created now: the current thread's (as in
    RT-Thread); outside any thread, the module whose code called or is being loaded."""
    if kernel.current is not None:
        return kernel.current.module
    return kernel.ownership.owner_of_call() or kernel.initializing


class ThreadServices:
    def __init__(self, kernel):
        self.kernel = kernel

    def handlers(self):
        return (("rt_thread_self", self.self_thread),
                ("rt_tick_get", self.tick_get),
                ("rt_thread_mdelay", self.mdelay),
                ("rt_thread_delay", self.delay),
                ("rt_thread_yield", self.yield_cpu),
                ("__rtdl_thread_exit", self.thread_exit),
                ("rt_thread_create", self.create),
                ("rt_thread_startup", self.startup),
                ("rt_thread_delete", self.delete))

    def live(self, handle):
        """The live thread whose struct rt_thread is at `handle`, or None."""
        for thread in self.kernel.threads:
            if thread.tcb == handle and thread.state != THREAD_CLOSED:
                return thread
        return None

    def thread_of(self, handle, service):
        thread = self.live(handle)
        if thread is not None:
            return thread
        kernel = self.kernel
        timer = kernel.timer_services.thread
        for system in kernel.system.threads + ((timer,) if timer is not None else ()):
            if system.tcb == handle:
                # RT-Thread would go on and stop the system with it
                raise ModuleFault("%s: %s: 0x%08x is the system thread '%s', which a module "
                                  "may not %s" % (caller(kernel), service, handle, system.name,
                                                  service[len("rt_thread_"):]))
        raise ModuleFault("%s: %s: 0x%08x is not a thread (expected an rt_thread_t from "
                          "rt_thread_create or rt_thread_self that has not ended)"
                          % (caller(kernel), service, handle))

    def self_thread(self, args):
        current = self.kernel.current
        return current.tcb if current else 0

    def tick_get(self, args):
        return self.kernel.tick & 0xFFFFFFFF

    def mdelay(self, args):
        ms = signed(args[0])
        return self._sleep((ms * RT_TICK_PER_SECOND + 999) // 1000 if ms > 0 else 0)

    def delay(self, args):
        return self._sleep(args[0])

    def _sleep(self, ticks):
        """The caller sleeps until the tick has advanced by `ticks` (0: it yields). Outside
        any thread (a constructor run by the kernel) there is nothing to switch to: time
        simply passes."""
        kernel = self.kernel
        if kernel.current is None:
            kernel.tick += ticks
            return 0
        if ticks <= 0:
            return self.yield_cpu(None)
        return kernel.scheduler.block(None, ticks)

    def yield_cpu(self, args):
        """Round robin: the caller goes behind every other ready thread of its priority."""
        kernel = self.kernel
        thread = kernel.current
        if thread is not None and thread.state == THREAD_RUNNING:
            kernel.scheduler.to_back(thread)
            kernel.cpu.stop()
        return 0

    def create(self, args):
        """(name, entry, parameter, stack_size; priority and tick are the 5th and 6th
        arguments, on the caller's stack). The thread starts with rt_thread_startup; when
        its entry returns it ends (its LR is the firmware's rt_thread_exit)."""
        kernel = self.kernel
        sp = kernel.cpu.sp()
        priority = kernel.args.read32(sp, "priority") & 0xFF
        tick = kernel.args.read32(sp + 4, "tick")
        name = kernel.args.string(args[0], "name", null="thread")[:RT_NAME_MAX]
        entry, parameter, stack_size = args[1], args[2], args[3]
        problem = None
        if not entry:
            problem = "a NULL entry function"
        elif priority >= RT_THREAD_PRIORITY_MAX:
            problem = "priority %d (expected 0..%d)" % (priority, RT_THREAD_PRIORITY_MAX - 1)
        elif stack_size < MIN_STACK_SIZE or stack_size > _MAX_STACK_SIZE:
            problem = "stack size %d (expected %d bytes or more)" % (stack_size, MIN_STACK_SIZE)
        if problem is not None:
            kernel.set_error(RtdlError("%s: rt_thread_create '%s': %s"
                                       % (caller(kernel), name, problem)))
            return 0
        thread = Thread(name, creator(kernel), entry, stack_size, priority,
                        tick if 0 < tick < 0x10000 else DEFAULT_TICK)
        try:
            stacks.allocate(kernel, thread, (parameter,), kernel.addresses["rt_thread_exit"])
        except HeapError as error:
            kernel.scheduler.release_thread(thread)
            kernel.set_error(error)
            return 0
        thread.state = THREAD_INIT
        kernel.scheduler.add(thread)
        return thread.tcb

    def startup(self, args):
        thread = self.thread_of(args[0], "rt_thread_startup")
        if thread.state != THREAD_INIT:
            return -ipc.RT_ERROR
        self.kernel.scheduler.make_ready(thread)
        tcb.sync(self.kernel.memory, thread)
        return ipc.RT_EOK

    def delete(self, args):
        """Ends a thread (the caller itself too); its stack and control block are freed once
        it is off the CPU, mutexes it holds pass to their next waiter."""
        kernel = self.kernel
        thread = self.thread_of(args[0], "rt_thread_delete")
        if thread is kernel.current:
            thread.state = THREAD_CLOSED
            kernel.cpu.stop()
            return ipc.RT_EOK
        kernel.scheduler.delete_later(thread)
        return ipc.RT_EOK

    def thread_exit(self, args):
        """A thread's entry function returned (the rt_thread_exit trampoline)."""
        kernel = self.kernel
        thread = kernel.current
        if thread is None:
            raise ModuleFault("kernel: rt_thread_exit reached outside any thread")
        thread.exit_value = args[0]  # r0 is still what the entry returned (an msh command's)
        thread.state = THREAD_CLOSED
        kernel.cpu.stop()
        return None
