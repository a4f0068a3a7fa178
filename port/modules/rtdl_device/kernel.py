"""The RT-Thread-like kernel the modules run under: module objects, threads, the scheduler loop
and the SVC service handlers (one method `svc_<name>` per entry of services.SERVICES).

The kernel sees the machine only through the board's three interfaces (memory, cpu, console),
so the same code runs over the unicorn board on a host and, in principle, on a device.
Work that must run target code from inside a service (module_init, constructors, destructors
of a module loaded or closed by another module) is written as generators that yield
`(address, args)` calls: at top level they are driven with cpu.call, inside a service the
calling thread is redirected to the function and resumes the service when it returns
(`__rtdl_resume`), because an emulator cannot be re-entered from its own hook.
Threads are scheduled by priority with time slices (`run`): a slice is a host-time limit on
cpu.run; a blocking service (semaphore, mutex, mailbox, event, delay) stops the CPU and leaves
r0 to be written when the thread is woken or times out. Kernel objects a module creates (threads,
IPC objects of ipc.py) belong to it and go with it.
Imports: struct, time, elf32 users (loader), rtheap, symtab, services, ipc, rterror.
"""
import struct

from . import ipc
from . import loader
from . import services
from .rterror import (HeapError, ModuleFault, ModuleStateError, RtdlError, StackOverflow,
                     EINVAL, ENOENT)
from .symtab import read_cstring

try:
    from micropython import const
except ImportError:
    def const(x):
        return x

try:
    from time import ticks_us, ticks_diff
except ImportError:
    from time import perf_counter

    def ticks_us():
        return int(perf_counter() * 1000000)

    def ticks_diff(a, b):
        return a - b

# module states (dlmodule.h)
STAT_INIT = const(0)
STAT_RUNNING = const(1)
STAT_CLOSING = const(2)
STAT_CLOSED = const(3)
STATE_NAMES = ("INIT", "RUNNING", "CLOSING", "CLOSED")

# thread states (rtdef.h: INIT, READY, SUSPEND, RUNNING, CLOSE)
THREAD_INIT = const(0)
THREAD_READY = const(1)
THREAD_BLOCKED = const(2)
THREAD_RUNNING = const(3)
THREAD_CLOSED = const(4)

RT_TICK_PER_SECOND = 1000      # rt_thread_mdelay(ms) sleeps ms ticks
DEFAULT_TICK = 10              # a thread's time slice in ticks (dlmodule's main thread: 10)

RT_THREAD_PRIORITY_MAX = 32
DEFAULT_PRIORITY = 20          # RT-Thread uses MAX-1, the idle thread's priority (defect 14)
# RT-Thread's 2048 bytes does not hold newlib's printf of a double plus the module's frames.
DEFAULT_STACK_SIZE = 8192
MIN_STACK_SIZE = 256
STACK_GUARD = 64               # canary bytes at the bottom of every thread stack
_GUARD_WORD = 0xDEADBEEF
ARGV_MAX = 8

# exit codes a host reports for module deaths that are not a return from main
EXIT_FAULT = 139
EXIT_ABORT = 134
EXIT_TIMEOUT = 124
EXIT_DEADLOCK = 124            # every thread blocked for ever: it would never end (a hang)

_MODULE_STRUCT_SIZE = 44       # struct rt_dlmodule, see firmware_stub/include/dlmodule.h
_TCB_SIZE = 16
_OBJECT_SIZE = 16              # name[8], type, flag, pad, owning module's handle


def argv_bytes(argv):
    """Size of the block holding argv[] (a NULL-terminated pointer table) and its strings."""
    return 4 * (len(argv) + 1) + sum([len(a.encode()) + 1 for a in argv])


def stack_block(stack_size, page_size):
    """(size, alignment) of a thread's stack block: [guard page][canary][stack]; alignment 0
    is a plain rt_malloc (no page to protect)."""
    return page_size + STACK_GUARD + stack_size, page_size


def config_error(image, path):
    """The RtdlError for a main-thread priority or stack size the kernel refuses, or None."""
    if image.priority is not None and image.priority >= RT_THREAD_PRIORITY_MAX:
        return RtdlError("%s: dlmodule_thread_priority %d (expected 0..%d)"
                         % (path, image.priority, RT_THREAD_PRIORITY_MAX - 1))
    if image.stack_size is not None and image.stack_size < MIN_STACK_SIZE:
        return RtdlError("%s: dlmodule_thread_stacksize %d (expected at least %d)"
                         % (path, image.stack_size, MIN_STACK_SIZE))
    return None


def exec_blocks(image, program, page_size, argv):
    """The heap blocks [(what, size, alignment)] the kernel takes for `image` before any of its
    code runs, in its order: the module object and the image (dlmodule_load), then for a
    program the argument vector, the main thread's stack and its control block
    (dlmodule_exec). `rtdl verify` takes them from the firmware's heap at boot."""
    align = image.placement.align
    blocks = [("module object", _MODULE_STRUCT_SIZE, 0),
              ("module image", image.size, align if align > 8 else 0)]
    if program:
        stack = image.stack_size if image.stack_size is not None else DEFAULT_STACK_SIZE
        size, align = stack_block(stack, page_size)
        blocks += [("argument vector", argv_bytes(argv), 0),
                   ("main thread stack", size, align),
                   ("thread control block", _TCB_SIZE, 0)]
    return blocks


def split_command(cmd):
    """RT-Thread's msh argv rule: space/tab separated, '"' quotes, at most 8 arguments."""
    argv = []
    i, n = 0, len(cmd)
    while i < n and len(argv) < ARGV_MAX:
        while i < n and cmd[i] in " \t":
            i += 1
        if i >= n:
            break
        if cmd[i] == '"':
            i += 1
            start = i
            while i < n and cmd[i] != '"':
                i += 1
            argv.append(cmd[start:i])
            i += 1
        else:
            start = i
            while i < n and cmd[i] not in " \t":
                i += 1
            argv.append(cmd[start:i])
    return argv


def quote_args(args):
    """The inverse of split_command for a host command line: quote arguments with blanks."""
    out = []
    for arg in args:
        if arg == "" or " " in arg or "\t" in arg:
            out.append('"%s"' % arg)
        else:
            out.append(arg)
    return " ".join(out)


class Thread:
    def __init__(self, kernel, name, module, entry, args, stack_size, priority,
                 tick=DEFAULT_TICK):
        self.name = name
        self.module = module
        self.priority = priority     # current: raised by priority inheritance
        self.base_priority = priority
        self.slice = tick            # time slice in ticks
        self.stack_size = stack_size
        self.state = THREAD_READY
        self.wait = None             # the ipc object a BLOCKED thread waits on (None: sleep)
        self.wake_tick = None        # tick at which a BLOCKED thread times out (None: never)
        self.wait_value = None       # what it waits with (value to send, event set/option)
        self.wait_ptr = 0            # where the value it receives goes (mailbox, event)
        self.held = []               # mutexes it owns
        self.blocks = []         # heap blocks that die with the thread (stack, argv, tcb)
        self.pending = []        # generator-driven services waiting for a target call to return
        self.stack = 0           # lowest usable stack address (the canary words)
        self.stack_block = 0
        self.aligned_stack = False
        self.guard = None        # (start, end) of the write-protected page below the stack
        self.stack_top = 0
        self.tcb = 0
        self.context = None
        self.entry = entry
        self.args = args


class Module:
    """A loaded module: RT-Thread's struct rt_dlmodule plus what the kernel tracks for it."""

    def __init__(self, name, path):
        self.name = name
        self.path = path
        self.state = STAT_INIT
        self.nref = 0
        self.ret_code = 0
        self.fault = None
        self.image = None
        self.handle = 0          # address of the struct rt_dlmodule in target memory
        self.threads = []
        self.objects = []        # ipc objects it created (destroyed with it)
        self.atexit = []         # (function, argument) from __cxa_atexit / __aeabi_atexit
        self.reclaimed = 0       # leaked heap blocks freed when the module was destroyed
        self.priority = DEFAULT_PRIORITY
        self.stack_size = DEFAULT_STACK_SIZE

    @property
    def mem_space(self):
        return self.image.base if self.image else 0

    @property
    def mem_size(self):
        return self.image.size if self.image else 0

    @property
    def entry(self):
        return self.image.entry if self.image else 0

    @property
    def symbols(self):
        return self.image.symbols if self.image else {}

    def contains(self, addr):
        return self.image is not None and self.image.base <= addr < self.image.base + self.image.size

    def __repr__(self):
        return "<module %s %s nref=%d at 0x%08x>" % (self.name, STATE_NAMES[self.state],
                                                      self.nref, self.mem_space)


class FileReader:
    """Files on the device's file system: plain open() on CPython and MicroPython alike."""

    def read(self, path):
        with open(path, "rb") as f:
            return f.read()


class Kernel:
    """`memory`, `cpu`, `console` come from the board; `heap` is an rtheap.SmallMemHeap over
    the free RAM; `symbols` a symtab.KernelSymbols; `addresses` the firmware's landmarks
    (rt_module_main_return, __rtdl_resume); `target` an arm_attributes.Target (None: no check
    of a module's CPU and float ABI)."""

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
        self.target = target             # arm_attributes.Target: the CPU and float ABI
        self.modules = []
        self.threads = []
        self.current = None
        self.tick = 0
        self.last_error = ""
        self.errno = 0
        self.owners = {}                 # heap block -> module that allocated it
        self.aligned = {}                # memalign blocks, released by free() via free_align
        self._dlerror_block = 0
        self.initializing = None         # the module whose constructors are running
        self.pending = []                # service generators redirected outside any thread
        self.objects = {}                # C handle -> ipc object
        self._finished = []              # threads deleted by a service, freed by run()
        self._resched = False            # a service made a thread ready: check preemption
        self._handlers = []
        for entry in services.SERVICES:
            self._handlers.append(getattr(self, "svc_" + entry[0].lstrip("_"), None))

    # ---------------------------------------------------------------- errors -------------
    def set_error(self, error):
        self.last_error = str(error)
        self.errno = getattr(error, "errno", EINVAL)

    # ------------------------------------------------------------- module objects ------
    def find(self, name):
        for module in self.modules:
            if module.name == name and module.state != STAT_CLOSED:
                return module
        return None

    def by_handle(self, handle):
        for module in self.modules:
            if module.handle == handle and module.state != STAT_CLOSED:
                return module
        return None

    def module_at(self, addr):
        for module in self.modules:
            if module.contains(addr):
                return module
        return None

    def self_module(self):
        return self.current.module if self.current else None

    def _write_module_struct(self, module):
        if not module.handle:
            return
        name = module.name.encode()[:loader.RT_NAME_MAX]
        raw = struct.pack("<12sBBHHHIiIIII", name, module.state, 0, module.nref & 0xFFFF,
                          module.priority, len(module.symbols) & 0xFFFF, module.stack_size,
                          module.ret_code, module.mem_space, module.mem_size, module.entry, 0)
        self.memory.write(module.handle, raw)

    def load_steps(self, path):
        """Generator: load a module and run its constructors; returns the Module.

        Order: every `.init_array` entry in array order (C++ global constructors register
        their destructors with __aeabi_atexit here), then `module_init(module)`, so RT-Thread's
        hook already sees constructed globals. A constructor that faults or a failed load
        frees everything: the heap is as before."""
        name = loader.module_name(path)
        try:
            data = self.files.read(path)
        except OSError as error:
            raise RtdlError("%s: cannot read file (%s)" % (path, error), ENOENT)
        module = Module(name, path)
        handle = self.heap.malloc(_MODULE_STRUCT_SIZE)
        if not handle:
            raise HeapError("%s: no memory for the module object" % path)
        try:
            module.image = loader.load_image(data, path, self.heap, self.memory,
                                             self.symbols.find, None, self.target)
        except Exception:
            self.heap.free(handle)
            raise
        module.handle = handle
        image = module.image
        error = config_error(image, path)
        if error is not None:
            self._free_module_memory(module)
            raise error
        if image.priority is not None:
            module.priority = image.priority
        if image.stack_size is not None:
            module.stack_size = image.stack_size   # RT-Thread's inverted test never did this
        module.nref = 1
        self.modules.append(module)
        self._write_module_struct(module)
        previous = self.initializing
        self.initializing = module
        try:
            for fn in image.init_array:
                yield (fn, ())
            if image.init_func:
                yield (image.init_func, (module.handle,))
        except Exception:
            self._free_module_memory(module)
            raise
        finally:
            self.initializing = previous
        return module

    def destroy_steps(self, module):
        """Generator: run the module's destructors, then free everything it owns.

        Order, the mirror of load_steps: `module_cleanup(module)` first, while the globals
        are alive; then the __aeabi_atexit/__cxa_atexit/atexit handlers in reverse order of
        registration (C++ global and function-local static destructors); then `.fini_array`
        in reverse, as a C library's exit() runs them after the atexit handlers."""
        module.state = STAT_CLOSING
        self._write_module_struct(module)
        try:
            if module.image is not None:
                if module.image.cleanup_func:
                    yield (module.image.cleanup_func, (module.handle,))
                while module.atexit:
                    fn, arg = module.atexit.pop()
                    yield (fn, (arg,))
                for fn in reversed(module.image.fini_array):
                    yield (fn, ())
        except Exception:
            # a faulting destructor still leaves nothing of the module behind
            self._free_module_memory(module)
            raise
        self._free_module_memory(module)

    def _free_module_memory(self, module):
        for thread in list(module.threads):
            self._release_thread(thread)
        for obj in list(module.objects):
            self._destroy_object(obj)
        for block in list(self.owners):
            if self.owners[block] is module:
                del self.owners[block]
                if block == self._dlerror_block:
                    self._dlerror_block = 0
                else:
                    module.reclaimed += 1
                self._release_block(block)
        if module.image is not None:
            if getattr(module.image, "aligned_block", False):
                self.heap.free_align(module.image.base)
            else:
                self.heap.free(module.image.base)
        if module.handle:
            self.heap.free(module.handle)
            module.handle = 0
        module.state = STAT_CLOSED
        if module in self.modules:
            self.modules.remove(module)

    def release(self, module):
        """Generator: drop one reference; at zero the module is destroyed (dlclose)."""
        if module.nref > 0:
            module.nref -= 1
        self._write_module_struct(module)
        if module.nref == 0 and not self._has_live_threads(module):
            yield from self.destroy_steps(module)

    def _has_live_threads(self, module):
        for thread in module.threads:
            if thread.state != THREAD_CLOSED:
                return True
        return False

    # ---------------------------------------------------------------- threads -----------
    def create_main_thread(self, module, cmd):
        """dlmodule_exec's thread: main(argc, argv) with RT-Thread's argv splitting."""
        if not module.entry:
            raise RtdlError("%s: has no entry point (expected a program linked with -e main)"
                            % module.path, EINVAL)
        argv = split_command(cmd)
        if not argv:
            argv = [module.name]
        thread = Thread(self, module.name, module, module.entry, (), module.stack_size,
                        module.priority)
        try:
            argv_block = self._alloc_argv(argv)
            thread.blocks.append(argv_block)
            self._init_thread(thread, (len(argv), argv_block),
                              self.addresses["rt_module_main_return"])
        except Exception:
            self._release_thread(thread)
            raise
        module.threads.append(thread)
        self.threads.append(thread)
        module.state = STAT_RUNNING
        self._write_module_struct(module)
        return thread

    def _alloc_argv(self, argv):
        strings = [a.encode() + b"\0" for a in argv]
        table = 4 * (len(argv) + 1)
        block = self.heap.malloc(argv_bytes(argv))
        if not block:
            raise HeapError("no memory for the argument vector")
        raw = bytearray(table)
        pos = block + table
        tail = b""
        for i in range(len(strings)):
            struct.pack_into("<I", raw, 4 * i, pos)
            pos += len(strings[i])
            tail += strings[i]
        self.memory.write(block, bytes(raw) + tail)
        return block

    def _init_thread(self, thread, args, lr):
        # Stack block: [guard page, write-protected where the board can][canary][stack].
        # The page stops an overflow before it reaches a heap header (an MPU stack guard on
        # a device); the canary, checked on every kernel entry, catches it where there is no
        # protection.
        size, page = stack_block(thread.stack_size, getattr(self.memory, "page_size", 0))
        stack = self.heap.malloc_align(size, page) if page else self.heap.malloc(size)
        if not stack:
            raise HeapError("%s: no memory for a %d-byte thread stack"
                            % (thread.name, thread.stack_size))
        thread.blocks.append(stack)
        thread.stack_block = stack
        thread.aligned_stack = bool(page)
        if page:
            self.memory.protect(stack, page, False)
            thread.guard = (stack, stack + page)
        thread.stack = stack + page
        self.memory.write(thread.stack, struct.pack("<I", _GUARD_WORD) * (STACK_GUARD // 4))
        thread.stack_top = (thread.stack + STACK_GUARD + thread.stack_size) & ~7
        tcb = self.heap.malloc(_TCB_SIZE)
        if not tcb:
            raise HeapError("%s: no memory for the thread control block" % thread.name)
        thread.blocks.append(tcb)
        thread.tcb = tcb
        self.memory.write(tcb, struct.pack("<12sI", thread.name.encode()[:loader.RT_NAME_MAX],
                                           thread.module.handle if thread.module else 0))
        # r0-r12, sp, lr, pc, xpsr (Thumb bit set), then a slot the cpu keeps for itself
        # (the rest of the register file: FPU registers of softfp code)
        regs = [0] * 17 + [None]
        for i in range(len(args)):
            regs[i] = args[i] & 0xFFFFFFFF
        regs[13] = thread.stack_top
        regs[14] = lr | 1
        regs[15] = thread.entry
        regs[16] = 0x01000000
        thread.context = regs

    def _release_thread(self, thread):
        thread.state = THREAD_CLOSED
        self._leave_wait(thread)
        while thread.held:      # a mutex whose owner ends passes to its next waiter
            mutex = thread.held.pop()
            self._apply(mutex.hand_over(), mutex)
        if thread.pending:
            self._abandon_pending(thread.pending, ModuleStateError(
                "thread '%s' ended while a service it called was running target code"
                % thread.name))
        if thread.guard is not None:
            self.memory.protect(thread.guard[0], thread.guard[1] - thread.guard[0], True)
            thread.guard = None
        for block in thread.blocks:
            if block == thread.stack_block and thread.aligned_stack:
                self.heap.free_align(block)
            else:
                self.heap.free(block)
        thread.blocks = []
        if thread in self.threads:
            self.threads.remove(thread)
        if thread.module is not None and thread in thread.module.threads:
            thread.module.threads.remove(thread)

    def check_stack(self, thread, sp=None):
        """Raise StackOverflow when the thread's guard words are damaged or SP is below them."""
        if not thread.stack:
            return
        guard = self.memory.read(thread.stack, STACK_GUARD)
        bottom = thread.stack + STACK_GUARD
        if guard != struct.pack("<I", _GUARD_WORD) * (STACK_GUARD // 4) or (
                sp is not None and sp < bottom):
            raise StackOverflow("%s: stack overflow in thread '%s' (stack of %d bytes at "
                                "0x%08x; raise dlmodule_thread_stacksize)"
                                % (thread.module.name if thread.module else "kernel",
                                   thread.name, thread.stack_size, bottom))

    def _pick(self):
        """The first READY thread of the highest priority (0 is the highest); the order of
        self.threads among equals is the round-robin order."""
        best = None
        for thread in self.threads:
            if thread.state == THREAD_READY and (best is None or thread.priority < best.priority):
                best = thread
        return best

    def _to_back(self, thread):
        """Behind every other thread of its priority (yield, an expired slice, a wake-up)."""
        if thread in self.threads:
            self.threads.remove(thread)
            self.threads.append(thread)

    def run(self, timeout_us=0):
        """Run threads until none is left: the highest-priority READY thread runs for its time
        slice (thread.slice * tick_us of host time); a slice that runs out advances the tick by
        the slice and puts the thread behind its equals (round robin); a thread a service
        blocks or preempts stops at that service. With nothing ready the tick jumps to the
        next wake-up; if every thread waits for ever, each module is ended with a deadlock
        report. `timeout_us` (0: none) is the budget for the whole run: whatever is still
        alive when it is spent ends with a timeout. A faulting module is killed and
        destroyed; the fault is kept on the module (module.fault) and the loop goes on."""
        started = ticks_us()
        while True:
            self._reap()
            left = 0
            if timeout_us:
                left = timeout_us - ticks_diff(ticks_us(), started)
                if left <= 0:
                    self._out_of_time(timeout_us)
                    timeout_us = 0       # everything left has ended
                    continue
            self._wake_due()
            thread = self._pick()
            if thread is None:
                if self._idle():
                    continue
                return
            run_us = thread.slice * self.tick_us
            last = False
            if timeout_us and left <= run_us:
                run_us, last = left, True
            self.current = thread
            thread.state = THREAD_RUNNING
            fault = None
            try:
                stopped = self.cpu.run(thread.context, run_us)
                if thread.state == THREAD_RUNNING:
                    thread.state = THREAD_READY
                    if not stopped and not last:
                        # the slice ran out: it took that much time; the next of its
                        # priority goes first
                        self.tick += thread.slice
                        self._to_back(thread)
                    # (cut short by the budget: the next round ends it with the others)
                if thread.state == THREAD_CLOSED:
                    self.check_stack(thread)
            except ModuleFault as error:
                fault = error
            self.current = None
            if fault is not None:
                self._kill(thread, fault)
            elif thread.state == THREAD_CLOSED:
                self._thread_finished(thread)

    def _reap(self):
        """Free the threads services deleted while another thread was running."""
        while self._finished:
            self._thread_finished(self._finished.pop(0))

    def _wake_due(self):
        """Threads whose delay or wait timeout has come: a delay returns RT_EOK, a wait on
        an object -RT_ETIMEOUT."""
        for thread in list(self.threads):
            if thread.state == THREAD_BLOCKED and thread.wake_tick is not None and \
                    thread.wake_tick <= self.tick:
                if thread.wait is None:
                    self._wake(thread, ipc.RT_EOK, None)
                else:
                    self._leave_wait(thread)
                    self._wake(thread, -ipc.RT_ETIMEOUT, None)

    def _idle(self):
        """Nothing is ready: jump the tick to the next wake-up (True), or end every module
        whose threads all wait for ever (True), or report that nothing is left (False)."""
        wake = None
        stuck = []
        for thread in self.threads:
            if thread.state == THREAD_BLOCKED:
                if thread.wake_tick is None:
                    stuck.append(thread)
                elif wake is None or thread.wake_tick < wake:
                    wake = thread.wake_tick
        if wake is not None:
            if wake > self.tick:
                self.tick = wake
            return True
        if not stuck:
            return False
        self._deadlock(stuck)
        return True

    def _deadlock(self, stuck):
        """Every thread waits for ever and none can wake another: each module with such
        threads ends with a fault naming every one of them and what it waits on."""
        modules = []
        for thread in stuck:
            if thread.module not in modules:
                modules.append(thread.module)
        for module in modules:
            threads = [t for t in stuck if t.module is module]
            what = "; ".join(["thread '%s' waits for ever on %s" % (t.name, self._waiting_on(t))
                              for t in threads])
            fault = ModuleFault("%s: deadlock: every thread is blocked and none can wake the "
                                "others: %s" % (module.name if module else "kernel", what))
            self._kill(threads[0], fault, EXIT_DEADLOCK)
            for thread in threads[1:]:
                if thread.state != THREAD_CLOSED:      # a thread of no module
                    self._release_thread(thread)

    def _waiting_on(self, thread):
        if thread.wait is None:
            return "a delay"
        obj = thread.wait
        if obj.module is thread.module:
            return obj.describe()
        return "%s of %s" % (obj.describe(), "module '%s'" % obj.module.name
                             if obj.module is not None else "the system")

    def _out_of_time(self, timeout_us):
        """The run's budget is spent: every module with a thread left ends with a timeout
        that says what each of its threads was doing."""
        groups = []
        for thread in self.threads:
            if thread.state == THREAD_CLOSED:
                continue
            for group in groups:
                if group[0].module is thread.module:
                    group.append(thread)
                    break
            else:
                groups.append([thread])
        for threads in groups:
            module = threads[0].module
            doing = "; ".join(["thread '%s' %s" % (t.name, self._doing(t)) for t in threads])
            self._kill(threads[0], ModuleFault("%s: timed out when the run's %d ms ran out: %s"
                                               % (module.name if module else "kernel",
                                                  timeout_us // 1000, doing)), EXIT_TIMEOUT)
            for thread in threads[1:]:
                if thread.state != THREAD_CLOSED:      # a thread of no module
                    self._release_thread(thread)

    def _doing(self, thread):
        if thread.state == THREAD_BLOCKED:
            if thread.wait is None:
                return "sleeping until tick %d" % thread.wake_tick
            return "blocked on %s" % thread.wait.describe()
        if thread.state == THREAD_INIT:
            return "created but never started"
        return "still running"

    def _who(self, thread):
        if thread.module is None:
            return "thread '%s'" % thread.name
        if thread.name == thread.module.name:
            return thread.name
        return "%s: thread '%s'" % (thread.module.name, thread.name)

    def _kill(self, thread, fault, code=None):
        module = thread.module
        if module is None:
            self._release_thread(thread)
            return
        address = getattr(fault, "address", None)
        if thread.guard is not None and address is not None and \
                thread.guard[0] <= address < thread.guard[1]:
            fault = StackOverflow("%s: stack overflow in thread '%s': write to 0x%08x below "
                                  "its %d-byte stack (raise dlmodule_thread_stacksize)"
                                  % (module.name, thread.name, address, thread.stack_size))
        else:
            try:
                self.check_stack(thread)
            except StackOverflow as overflow:
                fault = overflow
        module.fault = fault
        if code is not None and not isinstance(fault, StackOverflow):
            module.ret_code = code
        elif "timed out" in fault.message:
            module.ret_code = EXIT_TIMEOUT
        elif fault.message.find("abort") >= 0:
            module.ret_code = EXIT_ABORT
        else:
            module.ret_code = EXIT_FAULT
        # A module the thread was loading or closing when it faulted goes first.
        self._abandon_pending(thread.pending, fault)
        self.set_error(fault)
        # A faulted module's destructors are not trusted to run: free its memory directly.
        module.state = STAT_CLOSING
        self._free_module_memory(module)

    def _thread_finished(self, thread):
        module = thread.module
        self._release_thread(thread)
        if module is None or module.state == STAT_CLOSED:
            return
        if module.state == STAT_RUNNING and not module.threads:
            # every thread of the program ended (deleted) without main returning: it ends
            module.state = STAT_CLOSING
        if module.state == STAT_CLOSING and not self._has_live_threads(module):
            module.nref = 0
            self.drive(self.destroy_steps(module))

    # --------------------------------------------------------- blocking and waking -----
    def _block(self, obj, timeout, value=None, ptr=0, sender=False):
        """The calling thread waits on `obj` (None: a plain delay) for `timeout` ticks (< 0:
        for ever). The CPU stops after the service; r0 is written when the thread wakes.
        Outside any thread (a constructor the kernel runs) nothing can wait: that is a fault."""
        thread = self.current
        if thread is None or thread.state != THREAD_RUNNING:
            raise ModuleFault("kernel: a call made outside any thread would block on %s "
                              "(expected a non-blocking call or one from a module thread)"
                              % (obj.describe() if obj is not None else "a delay"))
        thread.state = THREAD_BLOCKED
        thread.wait = obj
        thread.wake_tick = None if timeout < 0 else self.tick + timeout
        thread.wait_value = value
        thread.wait_ptr = ptr
        if sender:
            obj.wait_send(thread)
        elif obj is not None:
            obj.wait(thread)
        self.cpu.stop()
        return None

    def _wake(self, thread, result, value):
        """Resume a BLOCKED thread: `result` becomes its service's r0, `value` goes through
        its out pointer; it goes behind the READY threads of its priority."""
        if value is not None and thread.wait_ptr:
            self.memory.write32(thread.wait_ptr, value)
        thread.context[0] = result & 0xFFFFFFFF
        thread.wait = None
        thread.wake_tick = None
        thread.wait_value = None
        thread.wait_ptr = 0
        thread.state = THREAD_READY
        self._to_back(thread)
        self._resched = True

    def _apply(self, wakeups, obj):
        for thread, result, value in wakeups:
            if thread.state != THREAD_BLOCKED:
                continue
            if isinstance(obj, ipc.Mutex) and result == ipc.RT_EOK:
                thread.held.append(obj)
                self._update_priority(thread)
            self._wake(thread, result, value)
        if isinstance(obj, ipc.Mutex) and obj.owner is not None:
            self._update_priority(obj.owner)

    def _leave_wait(self, thread):
        """A waiting thread stops waiting without being satisfied (timeout, deletion)."""
        obj = thread.wait
        if obj is None:
            return
        obj.remove(thread)
        thread.wait = None
        if isinstance(obj, ipc.Mutex) and obj.owner is not None:
            self._update_priority(obj.owner)

    def _update_priority(self, thread, depth=0):
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
        self._resched = True
        obj = thread.wait
        if thread.state == THREAD_BLOCKED and obj is not None:
            obj.requeue(thread)
            if isinstance(obj, ipc.Mutex) and obj.owner is not None and depth < 16:
                self._update_priority(obj.owner, depth + 1)

    def _preempt(self):
        """After a service made threads ready: a READY thread of a higher priority than the
        caller takes the CPU now (the caller stops once the service has returned its r0)."""
        thread = self.current
        if thread is None or thread.state != THREAD_RUNNING:
            return
        for other in self.threads:
            if other.state == THREAD_READY and other.priority < thread.priority:
                thread.state = THREAD_READY
                self.cpu.stop()
                return

    # ------------------------------------------------------- running target code -------
    def drive(self, steps):
        """Run a step generator at top level (no thread is running): calls go to cpu.call."""
        result = None
        try:
            while True:
                fn, args = steps.send(result)
                try:
                    result = self.cpu.call(fn, args, self.call_timeout_us)
                except Exception as error:
                    # innermost first: services the failed call had started, then this one
                    self._abandon_pending(self.pending, error)
                    self._abandon(steps, error)
                    raise
        except StopIteration as stop:
            return stop.value

    def _abandon(self, steps, error):
        """Throw `error` into a service generator waiting for a target call, so it undoes its
        work (a half-loaded module is freed); what it returns or raises then is dropped."""
        try:
            steps.throw(error)
        except Exception:
            return
        steps.close()

    def _abandon_pending(self, pending, error):
        while pending:
            self._abandon(pending.pop()[0], error)

    def call(self, fn, args):
        return self.cpu.call(fn, args)

    # ---------------------------------------------------------- SVC dispatching --------
    def service(self, number, args):
        """Entry from the board's SVC hook. Returns the value for r0, or None to leave it."""
        thread = self.current
        if thread is not None:
            self.check_stack(thread, self.cpu.sp())
        if number < 0 or number >= len(self._handlers) or self._handlers[number] is None:
            raise ModuleFault("%s: unknown kernel service SVC #%d"
                              % (thread.name if thread else "kernel", number))
        result = self._handlers[number](args)
        if hasattr(result, "send"):
            result = self._start_steps(result)
        if self._resched:
            self._resched = False
            self._preempt()
        return result

    def _start_steps(self, steps, value=None):
        """Advance a service generator; redirect the thread to its next target call."""
        thread = self.current
        try:
            fn, args = steps.send(value)
        except StopIteration as stop:
            return stop.value or 0
        # Outside any thread the caller is target code run by drive() (a constructor that
        # calls dlopen): the same redirection works on the kernel stack.
        pending = thread.pending if thread is not None else self.pending
        pending.append((steps, self.cpu.save_call_frame()))
        self.cpu.redirect(fn, args, self.addresses["__rtdl_resume"])
        return None

    def svc_rtdl_resume(self, args):
        thread = self.current
        steps, frame = (thread.pending if thread is not None else self.pending).pop()
        self.cpu.restore_call_frame(frame)
        try:
            return self._start_steps(steps, args[0])
        except RtdlError as error:
            self.set_error(error)
            return 0

    # ------------------------------------------------------------- the services --------
    def _owner_of_call(self):
        return self.module_at(self.cpu.lr())

    def _track(self, block):
        if block:
            module = self._owner_of_call()
            if module is not None:
                self.owners[block] = module
        return block

    def _untrack(self, block):
        if block in self.owners:
            del self.owners[block]

    def svc_rtdl_console_write(self, args):
        buf, size = args[0], args[1]
        if size:
            self.console.write(self.memory.read(buf, size))
        return size

    def svc_rt_malloc(self, args):
        return self._track(self.heap.malloc(args[0]))

    def svc_rt_free(self, args):
        if args[0]:
            self._untrack(args[0])
            self._heap_call(self._release_block, args[0])
        return 0

    def _release_block(self, block):
        if block in self.aligned:
            del self.aligned[block]
            self.heap.free_align(block)
        else:
            self.heap.free(block)

    def svc_rt_realloc(self, args):
        module = self.owners.get(args[0])
        block = self._heap_call(self.heap.realloc, args[0], args[1])
        if block != args[0]:
            if block or args[1] == 0:
                self._untrack(args[0])
            if block:
                if module is not None:
                    self.owners[block] = module
                else:
                    self._track(block)
        return block

    def svc_rt_calloc(self, args):
        return self._track(self.heap.calloc(args[0], args[1]))

    def svc_rt_malloc_align(self, args):
        return self.heap.malloc_align(args[0], args[1])

    def svc_rt_free_align(self, args):
        if args[0]:
            self._heap_call(self.heap.free_align, args[0])
        return 0

    def svc_rtdl_memalign(self, args):
        # newlib's memalign result is released with free(): remember which ones need free_align
        block = self.heap.malloc_align(args[1], args[0])
        if block:
            self.aligned[block] = True
        return self._track(block)

    def svc_rtdl_malloc_usable_size(self, args):
        return self.heap.usable_size(args[0]) if args[0] else 0

    def svc_rtdl_memory_info(self, args):
        total, used, max_used = self.heap.info()
        for ptr, value in ((args[0], total), (args[1], used), (args[2], max_used)):
            if ptr:
                self.memory.write32(ptr, value)
        return 0

    def _heap_call(self, fn, *args):
        try:
            return fn(*args)
        except HeapError as error:
            raise ModuleFault("%s: %s" % (self._caller_name(), error.message))

    def _caller_name(self):
        return self.current.name if self.current else "kernel"

    def svc_rtdl_exit(self, args):
        thread = self.current
        if thread is None or thread.module is None:
            raise ModuleFault("dlmodule_exit called outside a module thread")
        module = thread.module
        module.ret_code = args[0] - (1 << 32) if args[0] & 0x80000000 else args[0]
        # Every thread of the module stops; the module is destroyed once they are gone.
        module.state = STAT_CLOSING
        for other in module.threads:
            self._leave_wait(other)      # out of every wait queue: no wake-up reaches it
            other.state = THREAD_CLOSED
        self._write_module_struct(module)
        self.cpu.stop()
        return None

    def svc_rtdl_abort(self, args):
        reason = read_cstring(self.memory, args[0]) if args[0] else "abort"
        raise ModuleFault("%s: %s called (module aborted)" % (self._caller_name(),
                                                            reason if reason == "abort"
                                                            else reason + " -> abort"))

    def svc_rtdl_atexit(self, args):
        # The dso handle is the module's own __dso_handle (rtdl build gives each module one).
        module = (self.module_at(args[2]) or self._owner_of_call() or self.self_module()
                  or self.initializing)
        if module is None:
            return -1 & 0xFFFFFFFF
        if module.state == STAT_CLOSING:
            # A handler registering another one while the module is unloading would keep
            # destroy_steps running forever (found by the fuzzer): the module is going away.
            return -1 & 0xFFFFFFFF
        module.atexit.append((args[0], args[1]))
        return 0

    def svc_dlmodule_self(self, args):
        module = self.self_module()
        return module.handle if module else 0

    def svc_dlmodule_find(self, args):
        module = self.find(read_cstring(self.memory, args[0]))
        return module.handle if module else 0

    def svc_dlmodule_symbol_find(self, args):
        return self.symbols.find(read_cstring(self.memory, args[0]))

    def _load_from_service(self, path):
        module = yield from self.load_steps(path)
        return module.handle

    def svc_dlmodule_load(self, args):
        return self._guarded(self._load_from_service(read_cstring(self.memory, args[0])))

    def svc_dlmodule_exec(self, args):
        path = read_cstring(self.memory, args[0])
        cmd = str(self.memory.read(args[1], args[2]), "utf-8") if args[1] and args[2] else path
        return self._guarded(self._exec_from_service(path, cmd))

    def _exec_from_service(self, path, cmd):
        module = yield from self.load_steps(path)
        self.create_main_thread(module, cmd)
        return module.handle

    def _guarded(self, steps):
        """Service generators report errors through dlerror and return 0 instead of raising."""
        try:
            result = yield from steps
        except RtdlError as error:
            self.set_error(error)
            return 0
        return result

    # POSIX libdl -- see dlfcn.py for the Python-level API with the same rules.
    def open_steps(self, path):
        """Generator: dlopen's rule, fixed: an already loaded module is found by its name."""
        module = self.find(loader.module_name(path))
        if module is not None:
            module.nref += 1
            self._write_module_struct(module)
            return module
        module = yield from self.load_steps(self.resolve_library_path(path))
        return module

    def resolve_library_path(self, path):
        """dlopen.c's rule: a relative path is joined under /modules/ ("lib.so" ->
        "/modules/lib.so", "modules/lib.so" -> "/modules/modules/lib.so"). Files with a
        working directory (getcwd) are a device file system, where that rule is exact; the
        default FileReader reads host paths (`rtdl run`), where there is no /modules/, so a
        relative path that exists as given is taken as given first."""
        if path.startswith("/"):
            return path
        if not hasattr(self.files, "getcwd"):
            try:
                self.files.read(path)
                return path
            except OSError:
                pass
        return "/modules/" + path

    def _dlopen_service(self, path):
        module = yield from self.open_steps(path)
        return module.handle

    def svc_dlopen(self, args):
        if not args[0]:
            self.set_error(RtdlError("dlopen: NULL path"))
            return 0
        try:
            path = read_cstring(self.memory, args[0])
        except UnicodeError:
            # module names and messages are text: a path that is not is refused, not a crash
            self.set_error(RtdlError("dlopen: the path is not UTF-8 text (expected a UTF-8 "
                                     "path)"))
            return 0
        return self._guarded(self._dlopen_service(path))

    def svc_dlsym(self, args):
        module = self.by_handle(args[0])
        name = read_cstring(self.memory, args[1]) if args[1] else ""
        if module is None:
            self.set_error(ModuleStateError("dlsym: 0x%08x is not an open module handle" % args[0]))
            return 0
        addr = module.symbols.get(name, 0)
        if not addr:
            self.set_error(RtdlError("dlsym: %s: undefined symbol '%s'" % (module.name, name),
                                     ENOENT))
        return addr

    def _dlclose_service(self, module):
        yield from self.release(module)
        return 0

    def svc_dlclose(self, args):
        module = self.by_handle(args[0])
        if module is None:
            self.set_error(ModuleStateError("dlclose: 0x%08x is not an open module handle"
                                            % args[0]))
            return -1 & 0xFFFFFFFF
        return self._guarded(self._dlclose_service(module))

    def svc_dlerror(self, args):
        """The last error as a C string (NULL when none), cleared by reading, as POSIX says."""
        if self._dlerror_block:
            self._untrack(self._dlerror_block)
            self.heap.free(self._dlerror_block)
            self._dlerror_block = 0
        if not self.last_error:
            return 0
        text = self.last_error.encode()[:255] + b"\0"
        # The string belongs to the module that asked: it goes with the next dlerror() or
        # with that module, so a module's last dlerror() does not outlive it in the heap.
        block = self._track(self.heap.malloc(len(text)))
        if block:
            self.memory.write(block, text)
            self._dlerror_block = block
        self.last_error = ""
        return block

    # ------------------------------------------------------------ threads (C API) ------
    def _caller(self):
        return self._who(self.current) if self.current is not None else "kernel"

    def _creator(self):
        """The module that owns a kernel object created now: the current thread's (as in
        RT-Thread); outside any thread, the module whose code called or is being loaded."""
        if self.current is not None:
            return self.current.module
        return self._owner_of_call() or self.initializing

    def _thread_of(self, handle, service):
        for thread in self.threads:
            if thread.tcb == handle and thread.state != THREAD_CLOSED:
                return thread
        raise ModuleFault("%s: %s: 0x%08x is not a thread (expected an rt_thread_t from "
                          "rt_thread_create or rt_thread_self that has not ended)"
                          % (self._caller(), service, handle))

    def svc_rt_thread_self(self, args):
        return self.current.tcb if self.current else 0

    def svc_rt_tick_get(self, args):
        return self.tick & 0xFFFFFFFF

    def svc_rt_thread_mdelay(self, args):
        ms = _signed(args[0])
        return self._delay((ms * RT_TICK_PER_SECOND + 999) // 1000 if ms > 0 else 0)

    def svc_rt_thread_delay(self, args):
        return self._delay(args[0])

    def _delay(self, ticks):
        """The caller sleeps until the tick has advanced by `ticks` (0: it yields). Outside
        any thread (a constructor run by the kernel) there is nothing to switch to: time
        simply passes."""
        if self.current is None:
            self.tick += ticks
            return 0
        if ticks <= 0:
            return self.svc_rt_thread_yield(None)
        return self._block(None, ticks)

    def svc_rt_thread_yield(self, args):
        """Round robin: the caller goes behind every other ready thread of its priority."""
        thread = self.current
        if thread is not None and thread.state == THREAD_RUNNING:
            self._to_back(thread)
            self.cpu.stop()
        return 0

    def svc_rt_thread_create(self, args):
        """(name, entry, parameter, stack_size; priority and tick are the 5th and 6th
        arguments, on the caller's stack). The thread starts with rt_thread_startup; when
        its entry returns it ends (its LR is the firmware's rt_thread_exit)."""
        sp = self.cpu.sp()
        priority = self.memory.read32(sp) & 0xFF
        tick = self.memory.read32(sp + 4)
        name = read_cstring(self.memory, args[0])[:loader.RT_NAME_MAX] if args[0] else "thread"
        entry, parameter, stack_size = args[1], args[2], args[3]
        problem = None
        if not entry:
            problem = "a NULL entry function"
        elif priority >= RT_THREAD_PRIORITY_MAX:
            problem = "priority %d (expected 0..%d)" % (priority, RT_THREAD_PRIORITY_MAX - 1)
        elif stack_size < MIN_STACK_SIZE or stack_size > 0x100000:
            problem = "stack size %d (expected %d bytes or more)" % (stack_size, MIN_STACK_SIZE)
        if problem is not None:
            self.set_error(RtdlError("%s: rt_thread_create '%s': %s"
                                     % (self._caller(), name, problem)))
            return 0
        module = self._creator()
        thread = Thread(self, name, module, entry, (), stack_size, priority,
                        tick if 0 < tick < 0x10000 else DEFAULT_TICK)
        try:
            self._init_thread(thread, (parameter,), self.addresses["rt_thread_exit"])
        except HeapError as error:
            self._release_thread(thread)
            self.set_error(error)
            return 0
        thread.state = THREAD_INIT
        self.threads.append(thread)
        if module is not None:
            module.threads.append(thread)
        return thread.tcb

    def svc_rt_thread_startup(self, args):
        thread = self._thread_of(args[0], "rt_thread_startup")
        if thread.state != THREAD_INIT:
            return -ipc.RT_ERROR
        thread.state = THREAD_READY
        self._to_back(thread)
        self._resched = True         # a higher-priority thread runs at once
        return ipc.RT_EOK

    def svc_rt_thread_delete(self, args):
        """Ends a thread (the caller itself too); its stack and control block are freed once
        it is off the CPU, mutexes it holds pass to their next waiter."""
        thread = self._thread_of(args[0], "rt_thread_delete")
        if thread is self.current:
            thread.state = THREAD_CLOSED
            self.cpu.stop()
            return ipc.RT_EOK
        self._leave_wait(thread)
        thread.state = THREAD_CLOSED
        self._finished.append(thread)
        return ipc.RT_EOK

    def svc_rtdl_thread_exit(self, args):
        """A thread's entry function returned (the rt_thread_exit trampoline)."""
        thread = self.current
        if thread is None:
            raise ModuleFault("kernel: rt_thread_exit reached outside any thread")
        thread.state = THREAD_CLOSED
        self.cpu.stop()
        return None

    # ----------------------------------------------------------------- IPC (C API) ------
    def _object(self, handle, cls, service):
        obj = self.objects.get(handle)
        if obj is None or not isinstance(obj, cls):
            raise ModuleFault("%s: %s: 0x%08x is not a %s (%s)"
                              % (self._caller(), service, handle, cls.kind,
                                 "it is %s" % obj.describe() if obj is not None else
                                 "deleted, or never created"))
        return obj

    def _new_object(self, cls, name_ptr, flag, *extra):
        """The object's control block in target memory (struct rt_object: name, type, flag,
        plus the owning module's handle) is its C handle; 0 when the heap is full."""
        name = read_cstring(self.memory, name_ptr)[:loader.RT_NAME_MAX] if name_ptr else ""
        module = self._creator()
        handle = self.heap.malloc(_OBJECT_SIZE)
        if not handle:
            self.set_error(HeapError("%s: no memory for %s '%s'" % (self._caller(), cls.kind,
                                                                     name)))
            return 0
        self.memory.write(handle, struct.pack("<8sBBHI", name.encode(), cls.object_class,
                                              flag & 0xFF, 0, module.handle if module else 0))
        obj = cls(name, flag & 0xFF, handle, module, *extra)
        self.objects[handle] = obj
        if module is not None:
            module.objects.append(obj)
        return handle

    def _destroy_object(self, obj):
        """Delete an object: its waiters wake with -RT_ERROR, its control block is freed."""
        wakeups = obj.destroy()
        if isinstance(obj, ipc.Mutex) and obj.owner is not None:
            owner = obj.owner
            if obj in owner.held:
                owner.held.remove(obj)
            obj.owner = None
            self._update_priority(owner)
        self._apply(wakeups, obj)
        if obj.handle in self.objects:
            del self.objects[obj.handle]
            self.heap.free(obj.handle)
        if obj.module is not None and obj in obj.module.objects:
            obj.module.objects.remove(obj)

    def _delete(self, args, cls, service):
        self._destroy_object(self._object(args[0], cls, service))
        return ipc.RT_EOK

    def _wait(self, obj, timeout, value=None, ptr=0, sender=False):
        """The caller cannot have `obj` now: -RT_ETIMEOUT at once for a timeout of 0, else
        it blocks (timeout in ticks, negative: RT_WAITING_FOREVER)."""
        timeout = _signed(timeout)
        if timeout == 0:
            return -ipc.RT_ETIMEOUT
        return self._block(obj, timeout, value, ptr, sender)

    def svc_rt_sem_create(self, args):
        if args[1] > ipc.RT_SEM_VALUE_MAX:
            self.set_error(RtdlError("%s: rt_sem_create: value %d (expected 0..%d)"
                                     % (self._caller(), args[1], ipc.RT_SEM_VALUE_MAX)))
            return 0
        return self._new_object(ipc.Semaphore, args[0], args[2], args[1])

    def svc_rt_sem_delete(self, args):
        return self._delete(args, ipc.Semaphore, "rt_sem_delete")

    def svc_rt_sem_take(self, args):
        sem = self._object(args[0], ipc.Semaphore, "rt_sem_take")
        if sem.take():
            return ipc.RT_EOK
        return self._wait(sem, args[1])

    def svc_rt_sem_trytake(self, args):
        return self.svc_rt_sem_take([args[0], 0])

    def svc_rt_sem_release(self, args):
        sem = self._object(args[0], ipc.Semaphore, "rt_sem_release")
        result, wakeups = sem.release()
        self._apply(wakeups, sem)
        return result

    def svc_rt_mutex_create(self, args):
        return self._new_object(ipc.Mutex, args[0], args[1])

    def svc_rt_mutex_delete(self, args):
        return self._delete(args, ipc.Mutex, "rt_mutex_delete")

    def svc_rt_mutex_take(self, args):
        mutex = self._object(args[0], ipc.Mutex, "rt_mutex_take")
        thread = self.current
        if thread is None:
            raise ModuleFault("kernel: rt_mutex_take of %s outside any thread (a mutex is "
                              "owned by a thread)" % mutex.describe())
        result = mutex.take(thread)
        if result is not None:
            if result == ipc.RT_EOK and mutex.hold == 1:
                thread.held.append(mutex)
            return result
        result = self._wait(mutex, args[1])
        if result is None:
            self._update_priority(mutex.owner)     # the owner inherits the waiter's priority
        return result

    def svc_rt_mutex_trytake(self, args):
        return self.svc_rt_mutex_take([args[0], 0])

    def svc_rt_mutex_release(self, args):
        mutex = self._object(args[0], ipc.Mutex, "rt_mutex_release")
        thread = self.current
        result, wakeups = mutex.release(thread)
        if result == ipc.RT_EOK and mutex.owner is not thread:
            thread.held.remove(mutex)
            self._update_priority(thread)
        self._apply(wakeups, mutex)
        return result

    def svc_rt_event_create(self, args):
        return self._new_object(ipc.Event, args[0], args[1])

    def svc_rt_event_delete(self, args):
        return self._delete(args, ipc.Event, "rt_event_delete")

    def svc_rt_event_send(self, args):
        event = self._object(args[0], ipc.Event, "rt_event_send")
        if args[1] == 0:
            return -ipc.RT_ERROR
        result, wakeups = event.send(args[1])
        self._apply(wakeups, event)
        return result

    def svc_rt_event_recv(self, args):
        """(event, set, option, timeout; recved* is the 5th argument, on the stack)."""
        event = self._object(args[0], ipc.Event, "rt_event_recv")
        wanted, option = args[1], args[2]
        ptr = self.memory.read32(self.cpu.sp())
        if wanted == 0 or not option & (ipc.RT_EVENT_FLAG_AND | ipc.RT_EVENT_FLAG_OR):
            return -ipc.RT_ERROR
        got = event.recv(wanted, option)
        if got:
            if ptr:
                self.memory.write32(ptr, got)
            return ipc.RT_EOK
        return self._wait(event, args[3], (wanted, option), ptr)

    def svc_rt_mb_create(self, args):
        if args[1] == 0 or args[1] > 0x10000:
            self.set_error(RtdlError("%s: rt_mb_create: size %d (expected 1..65536 entries)"
                                     % (self._caller(), args[1])))
            return 0
        return self._new_object(ipc.Mailbox, args[0], args[2], args[1])

    def svc_rt_mb_delete(self, args):
        return self._delete(args, ipc.Mailbox, "rt_mb_delete")

    def svc_rt_mb_send(self, args):
        mailbox = self._object(args[0], ipc.Mailbox, "rt_mb_send")
        result, wakeups = mailbox.send(args[1])
        self._apply(wakeups, mailbox)
        return result

    def svc_rt_mb_send_wait(self, args):
        mailbox = self._object(args[0], ipc.Mailbox, "rt_mb_send_wait")
        result, wakeups = mailbox.send(args[1])
        self._apply(wakeups, mailbox)
        if result != -ipc.RT_EFULL:
            return result
        return self._wait(mailbox, args[2], args[1] & 0xFFFFFFFF, 0, True)

    def svc_rt_mb_recv(self, args):
        mailbox = self._object(args[0], ipc.Mailbox, "rt_mb_recv")
        ok, value, wakeups = mailbox.recv()
        if ok:
            if args[1]:
                self.memory.write32(args[1], value)
            self._apply(wakeups, mailbox)
            return ipc.RT_EOK
        return self._wait(mailbox, args[2], None, args[1])


def _signed(value):
    return value - 0x100000000 if value & 0x80000000 else value

