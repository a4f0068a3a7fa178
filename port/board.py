"""The board: a unicorn Cortex-M running the real firmware ELF, hosting the device side.

CPython only (unicorn, pyelftools). It maps flash and SRAM, writes the firmware's PT_LOAD
segments, finds RTMSymTab and the heap range from the firmware's own symbols, boots the
kernel (port/modules/kernel.py) and dispatches `SVC #n` into it. It gives the device side the
three interfaces of docs/ARCHITECTURE.md: memory (UnicornMemory), cpu (UnicornCpu) and console.
No per-instruction hook is ever installed: module code runs at full emulator speed.
"""
import os
import struct
import threading
import time

from elftools.elf.elffile import ELFFile
from unicorn import (Uc, UcError, UC_ARCH_ARM, UC_MODE_THUMB, UC_HOOK_INTR, UC_PROT_ALL,
                     UC_HOOK_MEM_INVALID, UC_MEM_WRITE_PROT, UC_MEM_WRITE_UNMAPPED,
                     UC_MEM_READ_UNMAPPED, UC_MEM_FETCH_UNMAPPED, UC_MEM_READ_PROT,
                     UC_MEM_FETCH_PROT, UC_PROT_WRITE,
                     UC_PROT_READ, UC_PROT_EXEC, UC_ERR_READ_UNMAPPED, UC_ERR_WRITE_UNMAPPED,
                     UC_ERR_FETCH_UNMAPPED, UC_ERR_WRITE_PROT, UC_ERR_INSN_INVALID,
                     UC_ERR_FETCH_PROT, UC_ERR_READ_PROT)
from unicorn import arm_const as A

import arm_attributes
import kernel as kernel_mod
import rtheap
import symtab
from rterror import ModuleFault, RtdlError

FLASH_BASE = 0x00000000
FLASH_SIZE = 512 * 1024
RAM_BASE = 0x20000000
RAM_SIZE = 512 * 1024

CPU_MODELS = {
    "cortex-m0": "UC_CPU_ARM_CORTEX_M0",
    "cortex-m0plus": "UC_CPU_ARM_CORTEX_M0",
    "cortex-m3": "UC_CPU_ARM_CORTEX_M3",
    "cortex-m4": "UC_CPU_ARM_CORTEX_M4",
    "cortex-m7": "UC_CPU_ARM_CORTEX_M7",
    "cortex-m33": "UC_CPU_ARM_CORTEX_M33",
}

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_FIRMWARE = os.path.join(REPO, "build", "firmware", "firmware.elf")

_REGS = (A.UC_ARM_REG_R0, A.UC_ARM_REG_R1, A.UC_ARM_REG_R2, A.UC_ARM_REG_R3, A.UC_ARM_REG_R4,
         A.UC_ARM_REG_R5, A.UC_ARM_REG_R6, A.UC_ARM_REG_R7, A.UC_ARM_REG_R8, A.UC_ARM_REG_R9,
         A.UC_ARM_REG_R10, A.UC_ARM_REG_R11, A.UC_ARM_REG_R12, A.UC_ARM_REG_SP,
         A.UC_ARM_REG_LR, A.UC_ARM_REG_PC)
_FRAME_REGS = (A.UC_ARM_REG_R0, A.UC_ARM_REG_R1, A.UC_ARM_REG_R2, A.UC_ARM_REG_R3,
               A.UC_ARM_REG_R12, A.UC_ARM_REG_SP, A.UC_ARM_REG_LR, A.UC_ARM_REG_PC)
_NEVER = 0xFFFFFFF0       # an even, unmapped `until` address that is never reached
_FAULTS = {   # errno -> (access, what was there)
    UC_ERR_READ_UNMAPPED: ("read", "unmapped memory"),
    UC_ERR_WRITE_UNMAPPED: ("write", "unmapped memory"),
    UC_ERR_FETCH_UNMAPPED: ("instruction fetch", "unmapped memory"),
    UC_ERR_WRITE_PROT: ("write", "read-only memory"),
    UC_ERR_READ_PROT: ("read", "protected memory"),
    UC_ERR_FETCH_PROT: ("instruction fetch", "non-executable memory"),
}


class FirmwareError(RtdlError):
    """The firmware ELF is missing or lacks what the board needs."""


class SliceTimer:
    """Ends time slices: one daemon thread per process calls `emu_stop` on an engine whose
    deadline has passed. It replaces emu_start's own `timeout=`, which starts, polls and joins
    a new host thread on every call (about 190 us per emu_start here, against 13 us without;
    `count=` costs 4x in speed): arming this one is a lock and a dictionary entry, and the
    translated code still runs with no hook at all. Resolution: POLL_S. A stop that lands
    before emu_start has begun is repeated at every poll until the run is disarmed, and a
    stop after emu_start returned is a no-op (unicorn ignores it once emulation is done);
    disarming takes the lock, so no stop can reach a later run."""

    POLL_S = 0.001
    LINGER_POLLS = 50        # keep polling this long after the last run before sleeping

    def __init__(self):
        self.lock = threading.Lock()
        self.wakeup = threading.Condition(self.lock)
        self.armed = {}          # token -> [uc, deadline, fired]
        self.thread = None
        self.next_token = 0

    def arm(self, uc, timeout_us):
        with self.lock:
            self.next_token += 1
            token = self.next_token
            self.armed[token] = [uc, time.monotonic() + timeout_us / 1e6, False]
            if self.thread is None:
                self.thread = threading.Thread(target=self._loop, name="rtdl-slice-timer",
                                               daemon=True)
                self.thread.start()
            else:
                self.wakeup.notify()
            return token

    def disarm(self, token):
        """True when the deadline stopped the run."""
        with self.lock:
            entry = self.armed.pop(token, None)
        return entry is not None and entry[2]

    def _loop(self):
        idle = 0
        with self.lock:
            while True:
                if not self.armed:
                    idle += 1
                    if idle > self.LINGER_POLLS:
                        self.wakeup.wait()       # until the next arm(); no polling
                        idle = 0
                        continue
                else:
                    idle = 0
                    now = time.monotonic()
                    for entry in self.armed.values():
                        if now >= entry[1]:
                            entry[2] = True
                            entry[0].emu_stop()
                self.wakeup.wait(self.POLL_S)


SLICE_TIMER = SliceTimer()


class UnicornMemory:
    """The `memory` interface over the emulator's address space."""

    def __init__(self, uc):
        self.uc = uc
        self.ram_start = RAM_BASE
        self.ram_end = RAM_BASE + RAM_SIZE
        self.page_size = uc.ctl_get_page_size()

    def protect(self, addr, size, writable):
        """Make whole pages read-only or writable again (the MPU of a real board)."""
        self.uc.mem_protect(addr, size, UC_PROT_ALL if writable else UC_PROT_ALL & ~UC_PROT_WRITE)

    def read(self, addr, size):
        return bytes(self.uc.mem_read(addr, size))

    def write(self, addr, data):
        self.uc.mem_write(addr, bytes(data))

    def read8(self, addr):
        return self.uc.mem_read(addr, 1)[0]

    def read16(self, addr):
        return struct.unpack("<H", self.uc.mem_read(addr, 2))[0]

    def read32(self, addr):
        return struct.unpack("<I", self.uc.mem_read(addr, 4))[0]

    def write8(self, addr, value):
        self.uc.mem_write(addr, bytes((value & 0xFF,)))

    def write16(self, addr, value):
        self.uc.mem_write(addr, struct.pack("<H", value & 0xFFFF))

    def write32(self, addr, value):
        self.uc.mem_write(addr, struct.pack("<I", value & 0xFFFFFFFF))

    def invalidate(self, addr, size):
        # Translated blocks of code that ran before are cached: drop them over new code.
        # One page at a time: unicorn turns the start address into a RAM-block offset and adds
        # `size` to it, which misses pages once mem_protect (stack guards) has split the RAM
        # mapping into several blocks - stale code then runs (tests/test_coverage_matrix.py).
        page = self.page_size
        start = addr - addr % page
        while start < addr + size:
            self.uc.ctl_remove_cache(max(start, addr), min(start + page, addr + size))
            start += page


class Console:
    """Collects what the firmware writes; `sink(bytes)` also streams it (e.g. to stdout)."""

    def __init__(self, sink=None):
        self.sink = sink
        self.buffer = bytearray()

    def write(self, data):
        self.buffer += data
        if self.sink is not None:
            self.sink(bytes(data))

    def take(self):
        """Everything written since the last take, as text."""
        text = self.buffer.decode("utf-8", "replace")
        self.buffer = bytearray()
        return text


class UnicornCpu:
    """The `cpu` interface: run thread contexts and call target functions."""

    def __init__(self, board):
        self.board = board
        self.uc = board.uc
        self._stop_requested = False
        self._hook_error = None
        self.running = False
        self.bad_access = None

    # registers
    def sp(self):
        return self.uc.reg_read(A.UC_ARM_REG_SP)

    def lr(self):
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
        for reg, value in zip(_FRAME_REGS, frame):
            self.uc.reg_write(reg, value if reg != A.UC_ARM_REG_PC else value | 1)

    def redirect(self, fn, args, return_to):
        """From inside a service: make the current thread call fn(*args), returning to
        `return_to` (the __rtdl_resume veneer)."""
        for i, value in enumerate(args[:4]):
            self.uc.reg_write(_REGS[i], value & 0xFFFFFFFF)
        self.uc.reg_write(A.UC_ARM_REG_LR, return_to | 1)
        self.uc.reg_write(A.UC_ARM_REG_PC, fn | 1)

    def _start(self, begin, until, timeout_us):
        self._stop_requested = False
        self._hook_error = None
        self.bad_access = None
        self.running = True
        try:
            self.uc.emu_start(begin | 1, until, timeout=timeout_us)
        except UcError as error:
            if self._hook_error is None:
                raise self._fault(error)
        finally:
            self.running = False
        if self._hook_error is not None:
            error, self._hook_error = self._hook_error, None
            raise error

    def _fault(self, error):
        pc = self.pc()
        where = self.board.describe_address(pc)
        address = None
        if error.errno == UC_ERR_INSN_INVALID:
            reason = "invalid or undefined instruction"
        elif error.errno in _FAULTS and self.bad_access is not None:
            address, size = self.bad_access
            guard = getattr(self.board, "kernel_stack_guard", (0, 0))
            what = ("guard page: kernel stack overflow" if guard[0] <= address < guard[1]
                    else _FAULTS[error.errno][1])
            reason = "%s of %d bytes at 0x%08x (%s)" % (_FAULTS[error.errno][0], size, address,
                                                       what)
        elif error.errno in _FAULTS:
            reason = "%s in %s" % _FAULTS[error.errno]
        else:
            reason = str(error)
        return ModuleFault("%s: %s at pc=0x%08x (%s), lr=0x%08x"
                           % (self.board.describe_context(), reason, pc, where, self.lr()),
                           address)

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
        for reg, value in zip(_REGS, context):
            uc.reg_write(reg, value)
        uc.reg_write(A.UC_ARM_REG_XPSR, context[16])
        uc.reg_write(A.UC_ARM_REG_XPSR_NZCVQG, context[16])
        token = SLICE_TIMER.arm(uc, timeout_us) if timeout_us else None
        try:
            self._start(context[15], _NEVER, 0)
        finally:
            if token is not None:
                SLICE_TIMER.disarm(token)
            for i, reg in enumerate(_REGS):
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
            self.uc.reg_write(_REGS[i], 0)
        for i, value in enumerate(args[:4]):
            self.uc.reg_write(_REGS[i], value & 0xFFFFFFFF)
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
            raise ModuleFault("%s: call of 0x%08x timed out" % (board.describe_context(), fn))
        return self.uc.reg_read(A.UC_ARM_REG_R0)


class Board:
    """An emulated Cortex-M board running `firmware` (default build/firmware/firmware.elf)."""

    def __init__(self, firmware=None, cpu="cortex-m4", console=None, files=None):
        self.firmware_path = firmware or DEFAULT_FIRMWARE
        if cpu not in CPU_MODELS:
            raise RtdlError("unknown CPU '%s' (expected one of %s)"
                            % (cpu, ", ".join(sorted(CPU_MODELS))))
        self.cpu_name = cpu
        self.uc = Uc(UC_ARCH_ARM, UC_MODE_THUMB)
        # The model must be chosen before anything else touches the engine.
        import unicorn
        self.uc.ctl_set_cpu_model(getattr(unicorn.arm_const, CPU_MODELS[cpu]))
        self.uc.mem_map(FLASH_BASE, FLASH_SIZE, UC_PROT_READ | UC_PROT_EXEC)
        self.uc.mem_map(RAM_BASE, RAM_SIZE, UC_PROT_ALL)
        self.memory = UnicornMemory(self.uc)
        self.console = console if console is not None else Console()
        self.cpu = UnicornCpu(self)
        self.firmware_symbols = {}
        self._load_firmware()
        self.uc.hook_add(UC_HOOK_INTR, self._on_interrupt)
        # Fires only on a bad access (never on the hot path): remembers the data address.
        self.uc.hook_add(UC_HOOK_MEM_INVALID, self._on_bad_access)
        self.heap = rtheap.SmallMemHeap(self.memory, self._sym("__heap_start"),
                                        self._sym("__heap_end"))
        # The kernel stack (constructors, board.call) sits right above the heap: a write-
        # protected page at its bottom makes an overflow fault instead of overwriting the
        # heap's last blocks.
        self.kernel_stack_guard = (self._sym("__heap_end"),
                                   self._sym("__heap_end") + self.memory.page_size)
        self.memory.protect(self.kernel_stack_guard[0], self.memory.page_size, False)
        # Refuse modules built for a bigger CPU or the other float ABI (RT-Thread does not).
        self.target = arm_attributes.Target(
            cpu, arm_attributes.float_abi(self.firmware_flags, None))
        self.exports = symtab.KernelSymbols(self.memory, self._sym("__rtmsymtab_start"),
                                            self._sym("__rtmsymtab_end"))
        self.kernel = kernel_mod.Kernel(self.memory, self.cpu, self.console, self.heap,
                                        self.exports,
                                        {"rt_module_main_return": self._sym("rt_module_main_return"),
                                         "rt_thread_exit": self._sym("rt_thread_exit"),
                                         "__rtdl_resume": self._sym("__rtdl_resume")},
                                        files, self.target)
        self.cpu.call(self._sym("rtdl_firmware_init"))

    # ---------------------------------------------------------------- firmware --------
    def _load_firmware(self):
        try:
            stream = open(self.firmware_path, "rb")
        except OSError as error:
            raise FirmwareError("%s: cannot open firmware (%s); run `make firmware`"
                                % (self.firmware_path, error.strerror))
        with stream:
            elf = ELFFile(stream)
            if elf["e_machine"] != "EM_ARM":
                raise FirmwareError("%s: not an ARM firmware (machine %s)"
                                    % (self.firmware_path, elf["e_machine"]))
            self.firmware_flags = elf["e_flags"]
            for seg in elf.iter_segments():
                if seg["p_type"] != "PT_LOAD" or seg["p_memsz"] == 0:
                    continue
                data = seg.data()
                self.uc.mem_write(seg["p_vaddr"], data)
                if seg["p_memsz"] > len(data):
                    self.uc.mem_write(seg["p_vaddr"] + len(data),
                                      b"\0" * (seg["p_memsz"] - len(data)))
            symtab_sec = elf.get_section_by_name(".symtab")
            if symtab_sec is None:
                raise FirmwareError("%s: has no .symtab (built stripped?)" % self.firmware_path)
            functions = []
            for sym in symtab_sec.iter_symbols():
                if sym.name and sym["st_shndx"] != "SHN_UNDEF":
                    self.firmware_symbols.setdefault(sym.name, sym["st_value"])
                    if sym["st_info"]["type"] == "STT_FUNC" and sym["st_size"]:
                        functions.append((sym["st_value"] & ~1, sym["st_size"], sym.name))
            functions.sort()
            self._functions = functions
        self.kernel_stack_top = self._sym("__kernel_stack_top")
        self.return_address = self._sym("__rtdl_return")

    def _sym(self, name):
        if name not in self.firmware_symbols:
            raise FirmwareError("%s: firmware lacks the symbol '%s'" % (self.firmware_path, name))
        return self.firmware_symbols[name]

    def describe_address(self, addr):
        """'function+0xNN in firmware', 'hello+0xNN' (module) or 'heap' for a fault report."""
        addr &= ~1
        for module in self.kernel.modules if hasattr(self, "kernel") else ():
            if module.contains(addr):
                return "%s+0x%x" % (module.name, addr - module.mem_space)
        lo, hi = 0, len(self._functions)
        while lo < hi:
            mid = (lo + hi) // 2
            if self._functions[mid][0] <= addr:
                lo = mid + 1
            else:
                hi = mid
        if lo:
            start, size, name = self._functions[lo - 1]
            if addr < start + size:
                return "firmware %s+0x%x" % (name, addr - start)
        return "outside any module or firmware function"

    def describe_context(self):
        kernel = getattr(self, "kernel", None)
        if kernel is not None and kernel.current is not None:
            return kernel.current.name
        return "kernel"

    # -------------------------------------------------------------- interrupts -------
    def _on_bad_access(self, uc, access, address, size, value, user_data):
        self.cpu.bad_access = (address, size)
        return False

    def _on_interrupt(self, uc, intno, user_data):
        try:
            if intno != 2:
                raise ModuleFault("%s: CPU exception %d at pc=0x%08x (%s)"
                                  % (self.describe_context(), intno, self.cpu.pc(),
                                     self.describe_address(self.cpu.pc())))
            pc = uc.reg_read(A.UC_ARM_REG_PC)
            number = uc.mem_read(pc - 2, 1)[0]
            args = [uc.reg_read(r) for r in _REGS[:4]]
            result = self.kernel.service(number, args)
            if result is not None:
                uc.reg_write(A.UC_ARM_REG_R0, result & 0xFFFFFFFF)
        except Exception as error:       # re-raised by UnicornCpu after emu_start returns
            self.cpu._hook_error = error
            uc.emu_stop()
