"""The RT-Thread-like kernel the modules run under: the `Kernel` façade that the board,
dlmodule, dlfcn, msh and the host tools use, and the SVC dispatch table.

The kernel sees the machine only through the board's three interfaces (memory, cpu, console),
so the same code runs over the unicorn board on a host and, in principle, on a device. Its
parts, one responsibility each:
  argv       command lines and argument vectors
  records    Thread and Module, their states and defaults
  lifecycle  load, exec, release and destroy of modules (with steps for target code)
  ownership  which module owns a heap block
  stacks     thread stacks, control blocks and the overflow checks
  scheduler  the run loop, blocking and waking, priority inheritance, preemption
  faults     module deaths: fault, abort, deadlock, timeout, and their exit codes
  imageprot  other modules' images read-only while a module runs, switched with it
  stackprot  other modules' and idle system threads' stacks read-only, switched with it
  steps      target calls from kernel work (drive at top level, redirection in a service)
  systhreads the system threads tidle0 and tshell
  thread_errno  one errno per thread, shared by newlib's errno and rt_get_errno
  svc_*      the service groups (heap, runtime, dl, thread, ipc, sched, kobj: queues,
             pools and object lookups, timer, dfs, time, device, hooks, signal,
             ipc_control) bound by number from services.SERVICES
Imports: services, argv, records, lifecycle, ownership, stacks, scheduler, faults, steps,
heapguard, imageprot, stackprot, the svc_* groups, rterror.
"""
from . import heapguard
from . import imageprot
from . import stackprot
from . import services
from . import stacks
from .argv import ARGV_MAX, argv_bytes, quote_args, split_command
from .faults import EXIT_ABORT, EXIT_DEADLOCK, EXIT_FAULT, EXIT_TIMEOUT
from .libcfiles import LibcFiles
from .libcstate import LibcState
from .lifecycle import FileReader, Lifecycle
from .load_plan import config_error, exec_blocks
from .ownership import Ownership
from .records import (Module, Thread, DEFAULT_PRIORITY, DEFAULT_STACK_SIZE, DEFAULT_TICK,
                      MIN_STACK_SIZE, RT_THREAD_PRIORITY_MAX, STATE_NAMES, STAT_CLOSED,
                      STAT_CLOSING, STAT_INIT, STAT_RUNNING, THREAD_BLOCKED, THREAD_CLOSED,
                      THREAD_INIT, THREAD_READY, THREAD_RUNNING)
from .rterror import HeapCorruption, ModuleFault, RtdlError
from .scheduler import Scheduler
from .stacks import STACK_GUARD
from .steps import Steps
from .svc_args import ServiceArgs
from .svc_device import DeviceServices
from .svc_dfs import DfsServices
from .svc_dl import DlServices
from .svc_heap import HeapServices
from .svc_hooks import HookServices
from .svc_ipc import IpcServices
from .svc_ipc_control import IpcControlServices
from .svc_kobj import KobjServices
from .svc_timer import TimerServices
from .svc_runtime import RuntimeServices
from .svc_sched import SchedServices
from .svc_signal import SignalServices
from .svc_thread import ThreadServices
from .svc_time import TimeServices
from .systhreads import SystemThreads
from .thread_errno import ThreadErrno

# Names other code reaches through this module (kernel.STAT_CLOSED, kernel.split_command ...).
__all__ = ("Kernel", "Module", "Thread", "FileReader", "bind_services", "config_error",
           "exec_blocks", "argv_bytes", "split_command", "quote_args", "ARGV_MAX",
           "STACK_GUARD", "STATE_NAMES", "STAT_INIT", "STAT_RUNNING", "STAT_CLOSING",
           "STAT_CLOSED", "THREAD_INIT", "THREAD_READY", "THREAD_BLOCKED", "THREAD_RUNNING",
           "THREAD_CLOSED", "DEFAULT_TICK", "DEFAULT_PRIORITY", "DEFAULT_STACK_SIZE",
           "MIN_STACK_SIZE", "RT_THREAD_PRIORITY_MAX", "EXIT_FAULT", "EXIT_ABORT",
           "EXIT_TIMEOUT", "EXIT_DEADLOCK")


def bind_services(groups):
    """The dispatch table: one handler per entry of services.SERVICES, by number, from the
    groups' handlers() (pairs of the service's name and a function of its args). A service
    without a handler, a handler naming no service and a service bound twice are errors."""
    numbers = {}
    for number in range(len(services.SERVICES)):
        numbers[services.SERVICES[number][0]] = number
    table = [None] * len(services.SERVICES)
    for group in groups:
        for name, handler in group.handlers():
            if name not in numbers:
                raise RtdlError("kernel: %s has a handler for '%s', which is not a service "
                                "in services.SERVICES" % (type(group).__name__, name))
            if table[numbers[name]] is not None:
                raise RtdlError("kernel: service '%s' has two handlers" % name)
            table[numbers[name]] = handler
    missing = [services.SERVICES[n][0] for n in range(len(table)) if table[n] is None]
    if missing:
        raise RtdlError("kernel: no handler for the service(s) %s" % ", ".join(missing))
    return table


class Kernel:
    """`memory`, `cpu`, `console` come from the board; `heap` is an rtheap.SmallMemHeap over
    the free RAM; `symbols` a symtab.KernelSymbols; `addresses` the firmware's landmarks
    (rt_module_main_return, rt_thread_exit, __rtdl_resume, __rtdl_timer_thread,
    __rtdl_idle_thread, __rtdl_signal_return, rtdl_system_threads, _impure_ptr,
    rtdl_reent_layout: libcstate.py; __rtdl_caller_heap_start/_end: ownership.py); `files`
    reads device paths
    (default: plain open()); `target` an arm_attributes.Target (None: no check of a module's
    CPU and float ABI)."""

    # Constructors and destructors the kernel runs itself (drive) get this long before the
    # module is declared hung; a board or a fuzzer may lower it.
    call_timeout_us = 10000000
    # Host microseconds of running that one tick of a time slice lasts: a thread created with
    # tick=10 runs at most 10 ms before an equal-priority thread gets the CPU, and the
    # expired slice advances the kernel's tick by 10 (the only way computing advances time).
    tick_us = 1000

    def __init__(self, memory, cpu, console, heap, symbols, addresses, files=None, target=None):
        self.memory = memory
        self.cpu = cpu
        self.console = console
        self.heap = heap
        self.symbols = symbols
        self.addresses = addresses
        self.files = files or FileReader()
        self.target = target
        self.modules = []
        self.threads = []
        self.current = None              # the thread on the CPU
        self.tick = 0
        self.last_error = ""
        self._dlerror_block = 0          # the string the last dlerror() returned
        self.initializing = None         # the module whose constructors are running
        self.pending = []                # service generators redirected outside any thread
        self.objects = {}                # C handle -> ipc object
        self.timers = []                 # active software timers
        self.firmware_data = None        # (address, bytes) of .data/.bss after boot
        self.firmware_blocks = []        # (payload, size, bytes) of the heap blocks of boot
        self._firmware_span = None       # (address, bytes): those blocks' stretch of heap
        self.args = ServiceArgs(self)    # checked reads/writes of service arguments
        self.lifecycle = Lifecycle(self)
        self.imageprot = imageprot.ImageProtection(self)
        self.stackprot = stackprot.StackProtection(self)
        self.ownership = Ownership(self)
        self.scheduler = Scheduler(self)
        self.steps = Steps(self)
        self.runtime_services = RuntimeServices(self)
        self.ipc_services = IpcServices(self)
        self.timer_services = TimerServices(self)
        self.dfs = DfsServices(self)
        self.devices = DeviceServices(self)
        self.system = SystemThreads(self)          # tidle0 and tshell
        self.errno = ThreadErrno(self)
        self.libc = LibcState(self)                # each module thread's newlib reent
        self.libc_files = LibcFiles(self)          # the streams' blocks libc allocates
        self.hooks = HookServices(self)
        thread_services = ThreadServices(self)
        self.signals = SignalServices(self, thread_services)
        self._handlers = bind_services((self.steps, HeapServices(self), self.runtime_services,
                                        DlServices(self), thread_services,
                                        self.ipc_services,
                                        SchedServices(self, thread_services),
                                        KobjServices(self), self.timer_services, self.dfs,
                                        TimeServices(self), self.devices, self.hooks,
                                        self.signals, IpcControlServices(self)))

    # ---------------------------------------------------------------- errors -------------
    def set_error(self, error):
        """Keep `error`'s message for dlerror()."""
        self.last_error = str(error)

    # ------------------------------------------------------------- module objects ------
    def find(self, name):
        """The loaded module of that name, or None (dlmodule_find)."""
        return self.lifecycle.find(name)

    def by_handle(self, handle):
        """The open module whose struct rt_dlmodule is at `handle`, or None."""
        return self.lifecycle.by_handle(handle)

    def module_at(self, addr):
        """The module whose image holds `addr`, or None."""
        return self.lifecycle.module_at(addr)

    def self_module(self):
        """The module of the running thread, or None (dlmodule_self)."""
        return self.current.module if self.current else None

    def load_steps(self, path):
        """Generator: load a module and run its constructors; returns the Module.

        Order: every `.init_array` entry in array order (C++ global constructors register
        their destructors with __aeabi_atexit here), then `module_init(module)`, so RT-Thread's
        hook already sees constructed globals. A constructor that faults or a failed load
        frees everything: the heap is as before."""
        return self.lifecycle.load_steps(path)

    def open_steps(self, path):
        """Generator: dlopen's rule, fixed: an already loaded module is found by its name."""
        return self.lifecycle.open_steps(path)

    def open_now(self, path):
        """dlopen up to target code: (module, None), or (module, the generator of its
        constructors) when some are to run (dlfcn drives it only then)."""
        return self.lifecycle.open_now(path)

    def create_main_thread(self, module, cmd):
        """dlmodule_exec's thread: main(argc, argv) with RT-Thread's argv splitting."""
        return self.lifecycle.create_main_thread(module, cmd)

    def release(self, module):
        """Generator: drop one reference; at zero the module is destroyed (dlclose)."""
        return self.lifecycle.release(module)

    def release_now(self, module):
        """dlclose up to target code: None, or the generator of the destructors to run."""
        return self.lifecycle.release_now(module)

    def destroy_steps(self, module):
        """Generator: run the module's destructors, then free everything it owns.

        Order, the mirror of load_steps: `module_cleanup(module)` first, while the globals
        are alive; then the __aeabi_atexit/__cxa_atexit/atexit handlers in reverse order of
        registration (C++ global and function-local static destructors); then `.fini_array`
        in reverse, as a C library's exit() runs them after the atexit handlers."""
        return self.lifecycle.destroy_steps(module)

    def exit(self, code):
        """dlmodule_exit for the module of the running thread."""
        self.runtime_services.exit([code & 0xFFFFFFFF])

    # ---------------------------------------------------------------- threads -----------
    def run(self, timeout_us=0, until_tick=None, stop=None, residents=None):
        """Run threads until none is left: the highest-priority READY thread runs for its time
        slice (thread.slice * tick_us of host time); a slice that runs out advances the tick by
        the slice and puts the thread behind its equals (round robin); a thread a service
        blocks or preempts stops at that service. With nothing ready the tick jumps to the
        next wake-up; if every thread waits for ever, each module is ended with a deadlock
        report. `timeout_us` (0: none) is the budget for the whole run: whatever is still
        alive when it is spent ends with a timeout. A faulting module is killed and
        destroyed; the fault is kept on the module (module.fault) and the loop goes on.

        A REPL waiting as one thread among the others (repl.py) ends the run early, leaving
        every thread as it is: at `until_tick` (its own sleep is over; nothing is ended as
        deadlocked before then) or once `stop()` is true (checked before each slice: Ctrl-C).

        With `residents` (modules loaded before what this run is for: Board.exec), the run
        ends once no thread of another module is left; the residents' threads stay as they
        are - a library's worker waiting for requests is idle, not deadlocked, and neither a
        deadlock nor the budget running out ends a resident."""
        self.system.shell_waits(True)      # tshell waits for what it started
        try:
            self.scheduler.run(timeout_us, until_tick, stop, residents)
        finally:
            self.system.shell_waits(False)
            self.imageprot.enter(None)        # between runs no module's code is on the CPU

    # ------------------------------------------------------- running target code -------
    def drive(self, steps):
        """Run a step generator at top level (no thread is running): calls go to cpu.call."""
        return self.steps.drive(steps)

    # --------------------------------------------------------- containment -----------
    def kernel_block_kind(self, payload, addr=None):
        """What kernel block the heap block at `payload` is ("the module object of 'x'",
        ...) or None when it is a block a module may use. `addr` inside a thread's stack
        block is only a kernel block on the guard page."""
        addr = payload if addr is None else addr
        for module in self.modules:
            if module.handle == payload:
                return "the module object of '%s'" % module.name
            if module.image is not None and module.image.base == payload and addr == payload:
                return "the image of module '%s'" % module.name
        for thread in self.threads:
            if thread.tcb == payload:
                return "the control block of thread '%s'" % thread.name
            if thread.stack_block == payload:
                if thread.guard is not None and thread.guard[0] <= addr < thread.guard[1]:
                    return "the guard page of thread '%s'" % thread.name
                if addr == payload:
                    return "the stack of thread '%s'" % thread.name
        obj = self.objects.get(payload)
        if obj is not None:
            return "the control block of %s" % obj.describe()
        return None

    def keep_firmware_data(self, start, end):
        """Remember the firmware's .data/.bss [start, end) as it is now (after boot), and the
        contents of the heap blocks the firmware allocated while booting (dtoa's Bigints,
        which .data points into): they are put back whenever the last
        module has gone, so a module that scribbled over them leaves nothing behind."""
        self.firmware_data = (start, self.memory.read(start, end - start))
        if "_impure_ptr" in self.addresses:
            # newlib's errno (the reent's first word): the running thread's errno lives
            # there, swapped with its struct rt_thread's error at each switch (errno.py)
            self.errno.word = self.memory.read32(self.addresses["_impure_ptr"])
            self.libc.keep()
            if "rtdl_reent_layout" in self.addresses:
                self.libc_files.keep(self.addresses["rtdl_reent_layout"])
        self.firmware_blocks = [(addr, size, self.memory.read(addr, size))
                                for addr, size, used, owner in self.heap.check() if used]
        # The boot blocks sit together at the heap's start: the whole stretch, headers
        # included, is kept too, so that one read and compare shows nothing to put back.
        self._firmware_span = None
        if self.firmware_blocks:
            low = self.firmware_blocks[0][0]
            high = self.firmware_blocks[-1][0] + self.firmware_blocks[-1][1]
            self._firmware_span = (low, self.memory.read(low, high - low))

    def restore_firmware_data(self):
        """Put back what keep_firmware_data kept (the last module has gone). A boot block
        that is no longer where it was is left alone: it is not the firmware's any more."""
        if self.firmware_data is None:
            return
        start, data = self.firmware_data
        if self.memory.read(start, len(data)) != data:
            # what libc's state points at and its state as after boot does not
            orphans = self.libc_files.orphans()
            self.memory.write(start, data)
            for block in orphans:
                self.heap.free(block)
        span = self._firmware_span
        if span is None or self.memory.read(span[0], len(span[1])) == span[1]:
            return               # the boot blocks and their headers are as after boot
        try:
            live = set((addr, size) for addr, size, used, owner in self.heap.check() if used)
        except HeapCorruption:
            return               # reported where it is found; nothing is written over it
        for addr, size, contents in self.firmware_blocks:
            if (addr, size) in live and self.memory.read(addr, size) != contents:
                self.memory.write(addr, contents)

    def heap_damage(self):
        """Check every live heap header against the heap's record; repair what a module
        overwrote. Returns a description of the first damage, or None."""
        damaged = heapguard.damage(self.heap)
        if damaged:
            heapguard.repair(self.heap, damaged)
        if hasattr(self.heap, "trust"):
            self.heap.trust()        # memory holds every live header as recorded again
        if not damaged:
            return None
        off, now, raw = damaged[0]
        more = " and %d more" % (len(damaged) - 1) if len(damaged) > 1 else ""
        site = self.ownership.sites.get(self.heap.begin + off + self.heap.header_size)
        module = self.module_at(site) if site else None
        where = ", allocated at %s+0x%x" % (module.name, (site & ~1) - module.mem_space) \
            if module is not None else ""
        return ("heap corrupted: %s%s%s was overwritten (found %s); the kernel repaired it"
                % (heapguard.describe(self.heap, off, now), where, more,
                   heapguard.found_text(now)))

    # ---------------------------------------------------------- SVC dispatching --------
    def service(self, number, args):
        """Entry from the board's SVC hook. Returns the value for r0, or None to leave it.
        The hot path of every kernel call: the handler is found by number in the table
        bind_services made once, the service's name is only worked out when something is
        reported (kernel.args.service), and the stack check is a comparison of sp (the
        canary is read here only for a stack with no guard page; stacks.check_entry)."""
        thread = self.current
        if thread is not None:
            stacks.check_entry(self.memory, thread, self.cpu.sp())
        handlers = self._handlers
        if number >= len(handlers):
            raise ModuleFault("%s: unknown kernel service SVC #%d"
                              % (thread.name if thread else "kernel", number))
        self.args.current = number
        try:
            result = handlers[number](args)
            if result is not None and not isinstance(result, int) and hasattr(result, "send"):
                result = self.steps.start(result)     # a generator: the service redirects
        except ModuleFault:
            raise
        except Exception as error:
            # Whatever a service met through a module's arguments (a host exception from an
            # emulator access, a heap error) is the calling module's fault, never the host's.
            raise ModuleFault("%s: %s: %s (%s)" % (thread.who() if thread else "kernel",
                                                   services.SERVICES[number][0], error,
                                                   type(error).__name__))
        if self.scheduler.resched:
            self.scheduler.preempt()
        return result
