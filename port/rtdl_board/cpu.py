"""UnicornCpu: the `cpu` interface - run saved thread contexts and call target functions.

CPython only. No per-instruction hook: module code runs at full emulator speed, and time
slices end through the shared SliceTimer. May import: unicorn, rtdl_device (errors), the
board's own modules, the standard library.
"""
import ctypes
import struct
import time

from unicorn import (UcError, UC_ERR_READ_UNMAPPED, UC_ERR_WRITE_UNMAPPED,
                     UC_ERR_FETCH_UNMAPPED, UC_ERR_WRITE_PROT, UC_ERR_INSN_INVALID,
                     UC_ERR_FETCH_PROT, UC_ERR_READ_PROT)
from unicorn import arm_const as A

from rtdl_device.rterror import ModuleFault, RtdlError

from . import fault_report
from .slice_timer import SLICE_TIMER

REGS = (A.UC_ARM_REG_R0, A.UC_ARM_REG_R1, A.UC_ARM_REG_R2, A.UC_ARM_REG_R3, A.UC_ARM_REG_R4,
        A.UC_ARM_REG_R5, A.UC_ARM_REG_R6, A.UC_ARM_REG_R7, A.UC_ARM_REG_R8, A.UC_ARM_REG_R9,
        A.UC_ARM_REG_R10, A.UC_ARM_REG_R11, A.UC_ARM_REG_R12, A.UC_ARM_REG_SP,
        A.UC_ARM_REG_LR, A.UC_ARM_REG_PC)
_FRAME_REGS = (A.UC_ARM_REG_R0, A.UC_ARM_REG_R1, A.UC_ARM_REG_R2, A.UC_ARM_REG_R3,
               A.UC_ARM_REG_R12, A.UC_ARM_REG_SP, A.UC_ARM_REG_LR, A.UC_ARM_REG_PC)
_EPSR_T = 1 << 24         # xPSR's Thumb bit
# What the SVC hook reads, in one call into unicorn: the arguments, sp and lr (stack
# arguments, the stack check, ownership) and pc (the SVC's number).
SVC_REGS = (A.UC_ARM_REG_R0, A.UC_ARM_REG_R1, A.UC_ARM_REG_R2, A.UC_ARM_REG_R3,
            A.UC_ARM_REG_SP, A.UC_ARM_REG_LR, A.UC_ARM_REG_PC)
SVC_SP = 4
SVC_LR = 5
SVC_PC = 6
_NEVER = 0xFFFFFFF0       # an even, unmapped `until` address that is never reached
_FAULTS = {   # errno -> (access, what was there)
    UC_ERR_READ_UNMAPPED: ("read", "unmapped memory"),
    UC_ERR_WRITE_UNMAPPED: ("write", "unmapped memory"),
    UC_ERR_FETCH_UNMAPPED: ("instruction fetch", "unmapped memory"),
    UC_ERR_WRITE_PROT: ("write", "read-only memory"),
    UC_ERR_READ_PROT: ("read", "protected memory"),
    UC_ERR_FETCH_PROT: ("instruction fetch", "non-executable memory"),
}


def _uclib():
    """unicorn's C library as its binding loaded it, or None (another binding: the slow,
    public calls are used instead)."""
    try:
        from unicorn.unicorn_py3.unicorn import uclib
    except ImportError:
        return None
    if not hasattr(uclib, "uc_reg_read_batch") or not hasattr(uclib, "uc_reg_write"):
        return None
    return uclib


class RegisterBatch:
    """A fixed list of 32-bit registers read with one uc_reg_read_batch into buffers made
    once, and r0 written from a buffer made once: the binding's reg_read builds ctypes
    objects and looks up the register class on every call, which cost more than the
    kernel's whole service."""

    def __init__(self, uc, regs):
        self.uc = uc
        self.regs = regs
        self._lib = _uclib()
        count = len(regs)
        if self._lib is not None:
            self._handle = uc._uch
            self._ids = (ctypes.c_int * count)(*regs)
            self._values = (ctypes.c_uint32 * count)()
            base = ctypes.addressof(self._values)
            self._pointers = (ctypes.c_void_p * count)(*[base + 4 * i for i in range(count)])
            self._count = count
            self._r0 = ctypes.c_uint32()
            self._r0_ref = ctypes.byref(self._r0)

    def read(self):
        """[value of each register] in the order given."""
        if self._lib is None:
            return [self.uc.reg_read(r) for r in self.regs]
        status = self._lib.uc_reg_read_batch(self._handle, self._ids, self._pointers, self._count)
        if status:
            raise UcError(status)
        return self._values[:]

    def write_r0(self, value):
        if self._lib is None:
            self.uc.reg_write(A.UC_ARM_REG_R0, value)
            return
        self._r0.value = value
        status = self._lib.uc_reg_write(self._handle, A.UC_ARM_REG_R0, self._r0_ref)
        if status:
            raise UcError(status)


class UnicornCpu:
    """The `cpu` interface: run thread contexts and call target functions."""

    def __init__(self, board):
        self.board = board
        self.uc = board.uc
        self._stop_requested = False
        self._hook_error = None
        self.running = False
        self.slice_token = None      # the running time slice (board: services extend it)
        # what is left of the run's budget (the scheduler sets it before each slice; 0: no
        # budget): a wall-clock limit of the slice that the services' time does not extend
        self.budget_left_us = 0
        self.slice_clock = None      # the clock its deadline is measured on
        self.bad_access = None
        self.svc_batch = RegisterBatch(self.uc, SVC_REGS)
        # SVC_REGS as the SVC hook read them, while a service runs and has not moved them
        # (redirect and restore_call_frame drop it): sp() and lr() need no call into unicorn
        self.at_svc = None
        # emulation runs so far: while it stays the same no target code has run, so nothing
        # in target memory changed but what the kernel wrote, and no code was translated
        # (the kernel skips its end-of-module checks, memory its cache invalidation)
        self.runs = 0
        # The one answer the kernel, the heap and memory go by: `runs` while no target code
        # runs, None while it does (code running on may change memory before the count
        # moves). An attribute, not a method: the heap reads it in every malloc and free.
        self.quiet_runs = 0

    # registers
    def sp(self):
        at_svc = self.at_svc
        if at_svc is not None:
            return at_svc[SVC_SP]
        return self.uc.reg_read(A.UC_ARM_REG_SP)

    def lr(self):
        at_svc = self.at_svc
        if at_svc is not None:
            return at_svc[SVC_LR]
        return self.uc.reg_read(A.UC_ARM_REG_LR)

    def pc(self):
        return self.uc.reg_read(A.UC_ARM_REG_PC)

    def stop(self):
        self._stop_requested = True
        self.uc.emu_stop()

    def fail(self, error):
        """From an emulator hook (which cannot raise): stop the CPU so that the running
        call() or run() raises `error`; the first error of a run wins."""
        if self._hook_error is None:
            self._hook_error = error
        self.uc.emu_stop()

    def save_call_frame(self):
        return [self.uc.reg_read(r) for r in _FRAME_REGS]

    def restore_call_frame(self, frame):
        self.at_svc = None
        for reg, value in zip(_FRAME_REGS, frame):
            self.uc.reg_write(reg, value if reg != A.UC_ARM_REG_PC else value | 1)

    def redirect(self, fn, args, return_to):
        """From inside a service: make the current thread call fn(*args), returning to
        `return_to` (the __rtdl_resume veneer)."""
        self.at_svc = None
        for i, value in enumerate(args[:4]):
            self.uc.reg_write(REGS[i], value & 0xFFFFFFFF)
        self.uc.reg_write(A.UC_ARM_REG_LR, return_to | 1)
        self.uc.reg_write(A.UC_ARM_REG_PC, fn | 1)

    def _start(self, begin, until, timeout_us):
        self.at_svc = None
        self._stop_requested = False
        self._hook_error = None
        self.bad_access = None
        self.running = True
        self.quiet_runs = None
        self.board.libc_guard.close()    # another thread or callback: libc's pages read-only
        # a restart after a mode switch gets what is left of the timeout, not a new one
        deadline = time.perf_counter() + timeout_us / 1e6 if timeout_us else None
        try:
            while True:
                self.runs += 1
                try:
                    self.uc.emu_start(begin | 1, until, timeout=timeout_us)
                except UcError as error:
                    if self._hook_error is not None:
                        break
                    if (error.errno == UC_ERR_FETCH_PROT and self._refetch()) or \
                            (error.errno == UC_ERR_WRITE_PROT and
                             self.board.libc_guard.recheck()):
                        # the fetch switched modes, or libc's store was libc's: go on there
                        begin = self.pc()
                        if deadline is not None:
                            timeout_us = int((deadline - time.perf_counter()) * 1e6)
                            if timeout_us <= 0:
                                break            # timed out at the switch (cpu.call says so)
                        continue
                    raise self._fault(error)
                break
        finally:
            self.running = False
            self.quiet_runs = self.runs
        if self._hook_error is not None:
            error, self._hook_error = self._hook_error, None
            raise error

    def _refetch(self):
        """A fetch from code made non-executable by a mode switch (heldmodes.py): switch
        to that code's mode, True when the run may go on at the same pc."""
        held = getattr(self.board.memory, "held", None)
        if held is None or self.bad_access is None:
            return False
        address = self.bad_access[0]
        self.bad_access = None
        return held.on_fetch(address)

    def _fault(self, error):
        """The ModuleFault for a unicorn error, in the words of a Cortex-M fault report
        (fault_report.py): what was accessed and why it faulted."""
        address = region = note = fetched = None
        if error.errno == UC_ERR_INSN_INVALID:
            detail = "undefined instruction 0x%s" % self._instruction_text()
        elif error.errno in _FAULTS and self.bad_access is not None:
            address, size = self.bad_access
            guard = getattr(self.board, "kernel_stack_guard", (0, 0))
            what = ("guard page: kernel stack overflow" if guard[0] <= address < guard[1]
                    else _FAULTS[error.errno][1])
            if error.errno == UC_ERR_WRITE_PROT:
                what = self.board.firmware_variable_at(address) or what
            detail = "%s of %d bytes at 0x%08x" % (_FAULTS[error.errno][0], size, address)
            region = what
            held = getattr(self.board.memory, "held", None)
            # a store into a held library (heldmodes.py)
            note = held.note(address) if held is not None else None
        elif error.errno == UC_ERR_FETCH_PROT:
            # code made not executable: a held library's mode (heldmodes.py) or freed
            # module code (memory.retire), which the device side names (imageprot.explain)
            fetched = self.pc() & ~1
            detail = "instruction fetch at 0x%08x" % fetched
            region = _FAULTS[error.errno][1]
        elif error.errno in _FAULTS:
            detail = "%s in %s" % _FAULTS[error.errno]
        else:
            detail = str(error)
        kind = fault_report.classify_error(error.errno)
        if error.errno == UC_ERR_INSN_INVALID and not self.uc.reg_read(A.UC_ARM_REG_XPSR) & _EPSR_T:
            # a branch to an even address cleared EPSR.T: a Cortex-M cannot leave Thumb state
            kind = (fault_report.USAGE, "INVSTATE")
            detail = "branch to 0x%08x with bit 0 clear (no ARM state)" % self.pc()
        if error.errno == UC_ERR_FETCH_UNMAPPED:
            address = None               # an instruction fetch sets no BFAR
        fault = self.board.fault(kind, detail, address, region, note)
        if fetched is not None:
            fault.address = fetched      # not MMFAR (IACCVIOL sets none): for the note
        return fault

    def _instruction_text(self):
        try:
            raw = self.uc.mem_read(self.pc() & ~1, 2)
        except UcError:
            return "????"
        return "%04x" % (raw[0] | raw[1] << 8)

    def run(self, context, timeout_us=0):
        """Resume a thread context until a service stops it (True) or `timeout_us` of host
        time has passed (False: the time slice ran out; 0: no limit). The context - r0-r12,
        sp, lr, pc, xpsr, then one slot this cpu keeps for itself - is updated in place.

        A slice can end at any instruction, so the whole state goes with the thread: xPSR
        (condition flags N Z C V Q, the IT state of a Thumb IT block; GE through
        XPSR_NZCVQG) in context[16], and in context[17] unicorn's saved CPU context, which
        holds the rest of the register file (s0-s31 and FPSCR of softfp code)."""
        if self.running:
            raise RtdlError("cpu.run called while the CPU is already running")
        uc = self.uc
        if len(context) > 17 and context[17] is not None:
            uc.context_restore(context[17])
        for reg, value in zip(REGS, context):
            uc.reg_write(reg, value)
        uc.reg_write(A.UC_ARM_REG_XPSR, context[16])
        uc.reg_write(A.UC_ARM_REG_XPSR_NZCVQG, context[16])
        token = SLICE_TIMER.arm(uc, timeout_us, self.budget_left_us) if timeout_us else None
        self.slice_token = token
        self.slice_clock = SLICE_TIMER.clock_of(token) if token is not None else None
        try:
            self._start(context[15], _NEVER, 0)
        finally:
            self.slice_token = self.slice_clock = None
            if token is not None:
                SLICE_TIMER.disarm(token)
            for i, reg in enumerate(REGS):
                context[i] = uc.reg_read(reg)
            context[16] = uc.reg_read(A.UC_ARM_REG_XPSR)
            if len(context) > 17:
                if context[17] is None:
                    context[17] = uc.context_save()
                else:
                    uc.context_update(context[17])
        return self._stop_requested

    def call(self, fn, args=(), timeout_us=0):
        """Call a target function on the kernel stack and return r0."""
        if self.running:
            raise RtdlError("cpu.call cannot run while the CPU is running (use a service "
                            "generator)")
        board = self.board
        for i in range(13):
            self.uc.reg_write(REGS[i], 0)
        for i, value in enumerate(args[:4]):
            self.uc.reg_write(REGS[i], value & 0xFFFFFFFF)
        sp = board.kernel_stack_top
        extra = list(args[4:])
        if extra:
            sp -= 4 * len(extra)
            sp &= ~7
            board.memory.write(sp, struct.pack("<%dI" % len(extra),
                                               *[v & 0xFFFFFFFF for v in extra]))
        self.uc.reg_write(A.UC_ARM_REG_SP, sp)
        self.uc.reg_write(A.UC_ARM_REG_LR, board.return_address | 1)
        self._start(fn, board.return_address & ~1, timeout_us)
        if self._stop_requested:
            raise ModuleFault("%s: the function at 0x%08x tried to end its module while being "
                              "called by the kernel" % (board.describe_context(), fn))
        if (self.pc() & ~1) != (board.return_address & ~1):
            raise ModuleFault("%s: call of 0x%08x timed out" % (board.describe_context(), fn),
                              None, "timeout")
        return self.uc.reg_read(A.UC_ARM_REG_R0)
