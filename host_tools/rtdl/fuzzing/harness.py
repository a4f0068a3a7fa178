"""The fuzzer's harness: one booted board reused across cases, every write of the loader, the
kernel and module code checked, and the board compared with itself before and after a case."""
import traceback

from rtdl.api import Board
from unicorn import UC_HOOK_MEM_WRITE
from unicorn import arm_const

from rtdl_device.rterror import HeapCorruption, ModuleFault, RtdlError

# Constructors of a mutated module may spin: they get this long on the CPU per call.
CALL_TIMEOUT_US = 100000


class MemoryFiles:
    """The kernel's file reader over a dict of in-memory files (no disk I/O per case)."""

    def __init__(self):
        self.files = {}

    def read(self, path):
        if path not in self.files:
            raise OSError(2, "no such file", path)
        return self.files[path]


class CheckedMemory:
    """The kernel's `memory`, with every write checked by the harness (fuzz mode only)."""

    def __init__(self, memory, harness):
        self._memory = memory
        self._harness = harness

    def __getattr__(self, name):
        return getattr(self._memory, name)

    def write(self, addr, data):
        self._harness.kernel_write(addr, len(data))
        self._memory.write(addr, data)

    def write8(self, addr, value):
        self._harness.kernel_write(addr, 1)
        self._memory.write8(addr, value)

    def write16(self, addr, value):
        self._harness.kernel_write(addr, 2)
        self._memory.write16(addr, value)

    def write32(self, addr, value):
        self._harness.kernel_write(addr, 4)
        self._memory.write32(addr, value)


class CaseHung(BaseException):
    """A case ran past its wall-clock deadline (not an Exception: no handler in the kernel
    eats it)."""


class Outcome:
    """What one case did: `status` is 'loaded', 'rejected' or 'finding'."""

    def __init__(self, status, error=None, finding=None, detail=""):
        self.status = status
        self.error = error
        self.finding = finding
        self.detail = detail
        self.guarded = []       # target-code writes the memory guard stopped

    def __repr__(self):
        if self.finding:
            return "finding: %s" % self.finding
        if self.error is not None:
            return "%s: %s: %s" % (self.status, type(self.error).__name__, self.error)
        return self.status


class Harness:
    """One booted board, reused across cases while every case leaves it as it found it."""

    def __init__(self, firmware=None, call_timeout_us=CALL_TIMEOUT_US):
        self.firmware = firmware
        self.call_timeout_us = call_timeout_us
        self.boots = 0
        self.board = None
        self.boot()

    # -- set-up --------------------------------------------------------------------------
    def boot(self):
        self.files = MemoryFiles()
        board = Board(self.firmware, files=self.files)
        self.board = board
        self.boots += 1
        sym = board.firmware_symbols
        # code may always write here: libc's .data/.bss and the kernel stack
        self.static_ranges = ((sym["__data_start"], sym["__bss_end"]),
                              (sym["__heap_end"], sym["__kernel_stack_top"]))
        self.in_use = []      # (start, end) payloads of heap blocks in use when the case began
        self.fresh = []       # (start, end) payloads of blocks allocated during the case
        self.stray_code = []      # writes the guard stopped during the case
        self.blocked = []         # (address, original bytes) to put back after the stop
        self.stray_kernel = []
        self.expired = False      # the case ran past its wall-clock deadline
        board.kernel.call_timeout_us = self.call_timeout_us
        board.kernel.memory = CheckedMemory(board.memory, self)
        self._wrap_heap(board.heap)
        self._wrap_cpu(board.cpu)
        board.uc.hook_add(UC_HOOK_MEM_WRITE, self._on_write, None, sym["__data_start"],
                          sym["__kernel_stack_top"] - 1)

    def _wrap_heap(self, heap):
        def record(ptr, size):
            if ptr:
                self.fresh.append((ptr, ptr + size))
            return ptr

        malloc, malloc_align = heap.malloc, heap.malloc_align
        realloc, calloc = heap.realloc, heap.calloc
        heap.malloc = lambda size, owner=None: record(malloc(size, owner), size)
        heap.malloc_align = lambda size, align, owner=None: record(
            malloc_align(size, align, owner), size)
        heap.realloc = lambda ptr, size, owner=None: record(realloc(ptr, size, owner), size)
        heap.calloc = lambda count, size, owner=None: record(calloc(count, size, owner),
                                                             count * size)

    def _wrap_cpu(self, cpu):
        """Undo the writes the guard stopped as soon as the CPU is back, before the kernel
        frees the module through heap headers such a write may have hit."""
        call, run = cpu.call, cpu.run

        def guarded_call(fn, args=(), timeout_us=0):
            try:
                return call(fn, args, timeout_us)
            finally:
                self._undo_blocked()
                self._check_deadline()

        def guarded_run(context, timeout_us=0):
            try:
                return run(context, timeout_us)
            finally:
                self._undo_blocked()
                self._check_deadline()

        cpu.call = guarded_call
        cpu.run = guarded_run

    def expire(self):
        """The case's wall-clock deadline passed: called from the SIGALRM handler, again at
        every repeat of the alarm. While the CPU runs, the handler runs inside an emulator
        hook, where an exception would be lost to ctypes (and logged as unraisable): there
        it only stops the CPU - again at each repeat, as a stop just before emu_start began
        is lost - and the call or run raises CaseHung once it is back. Between target calls
        the first alarm raises CaseHung at once (a hang in Python code)."""
        first = not self.expired
        self.expired = True
        if self.board.cpu.running:
            self.board.uc.emu_stop()
        elif first:
            raise CaseHung()

    def _check_deadline(self):
        if self.expired:
            raise CaseHung()

    def _undo_blocked(self):
        while self.blocked:
            addr, original = self.blocked.pop()
            self.board.memory.write(addr, original)

    # -- write checks ----------------------------------------------------------------------
    def _allowed(self, addr, size, ranges):
        end = addr + size
        for lo, hi in ranges:
            if lo <= addr and end <= hi:
                return True
        return False

    def _on_write(self, uc, access, address, size, value, user_data):
        """The fuzzer's memory guard (an MPU region set of a real board): a write by target
        code outside the kernel stack, libc's data and heap blocks in use is stopped - it is
        undone and the call faults - so a mutated constructor that scribbles cannot damage
        the board for the cases after it. The hook runs before the store: the bytes read
        here are the ones to put back."""
        if self._allowed(address, size, self.static_ranges) or \
                self._allowed(address, size, self.fresh) or \
                self._allowed(address, size, self.in_use):
            return
        self.blocked.append((address, bytes(uc.mem_read(address, size))))
        pc = uc.reg_read(arm_const.UC_ARM_REG_PC)
        where = "%d bytes at 0x%08x by code at pc=0x%08x (%s)" % (
            size, address, pc, self.board.describe_address(pc))
        if len(self.stray_code) < 8:
            self.stray_code.append(where)
        self.board.cpu.fail(ModuleFault("%s: write of %s outside the module's memory "
                                        "(stopped by the fuzzer's memory guard)"
                                        % (self.board.describe_context(), where), address))

    def kernel_write(self, addr, size):
        """Loader and kernel writes land in blocks allocated for this case; a service run
        for target code may also write where that code may (rt_memory_info's results)."""
        if self._allowed(addr, size, self.fresh):
            return
        if self.board.cpu.running and (self._allowed(addr, size, self.static_ranges) or
                                       self._allowed(addr, size, self.in_use)):
            return
        kernel = self.board.kernel
        if not kernel.modules and (
                self._allowed(addr, size, self.static_ranges[:1]) or
                self._allowed(addr, size, [(a, a + n) for a, n, _ in kernel.firmware_blocks])):
            return      # the last module has gone: the firmware's data is put back as at boot
        if len(self.stray_kernel) < 8:
            self.stray_kernel.append("%d bytes at 0x%08x\n%s" % (
                size, addr, "".join(traceback.format_stack(limit=6)[:-2])))

    # -- one case --------------------------------------------------------------------------
    def run(self, name, data):
        """Load `data` as the file /fuzz/`name`, close it again, and check the board."""
        board = self.board
        path = "/fuzz/" + name
        self.files.files = {path: bytes(data)}
        try:
            before = board.heap.snapshot()
        except HeapCorruption:
            self.boot()
            board = self.board
            before = board.heap.snapshot()
        self.in_use = [(addr, addr + size) for addr, size, used, owner in before[0] if used]
        del self.fresh[:]
        del self.stray_code[:]
        del self.blocked[:]
        del self.stray_kernel[:]
        self.expired = False
        outcome = self._load_and_close(path)
        try:
            self._check_after(before, outcome)
        except CaseHung:
            raise
        except Exception as error:      # a check that cannot even run is a finding too
            outcome = Outcome("finding", finding="checking the board failed: %s: %s"
                              % (type(error).__name__, error), detail=traceback.format_exc())
        board.console.take()
        if outcome.status == "finding":
            self.boot()       # the board may be damaged: later cases start clean
        return outcome

    def _load_and_close(self, path):
        board = self.board
        try:
            module = board.load(path)
        except RtdlError as error:
            return Outcome("rejected", error)
        except CaseHung:
            raise
        except Exception as error:
            return Outcome("finding", error, "unexpected %s while loading: %s"
                           % (type(error).__name__, error), traceback.format_exc())
        try:
            board.dlclose(module)
        except RtdlError as error:
            return Outcome("loaded", error)     # a destructor faulted: documented
        except CaseHung:
            raise
        except Exception as error:
            return Outcome("finding", error, "unexpected %s while closing: %s"
                           % (type(error).__name__, error), traceback.format_exc())
        return Outcome("loaded")

    def _check_after(self, before, outcome):
        board = self.board
        kernel = board.kernel
        problems = []
        if self.stray_kernel:
            problems.append("the loader/kernel wrote outside the blocks allocated for the "
                            "module: " + "; ".join(self.stray_kernel))
        outcome.guarded = list(self.stray_code)
        try:
            after = board.heap.snapshot()
            if after != before:
                problems.append("heap not as before the case:\n  before %r\n  after  %r"
                                % (before, after))
        except HeapCorruption as error:
            problems.append("heap damaged: %s" % error)
        if kernel.modules:
            problems.append("modules left in the kernel: %r" % (kernel.modules,))
        if kernel.threads:
            problems.append("threads left in the kernel: %d" % len(kernel.threads))
        if kernel.pending:
            problems.append("service generators left pending: %d" % len(kernel.pending))
        if problems:
            detail = outcome.detail
            if outcome.error is not None:
                detail += "\nload ended %s: %s: %s" % (outcome.status,
                                                         type(outcome.error).__name__,
                                                         outcome.error)
            first = outcome.finding + "; " if outcome.finding else ""
            outcome.status = "finding"
            outcome.finding = first + "; ".join(problems)
            outcome.detail = detail

