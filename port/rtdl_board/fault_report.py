"""Fault reports as RT-Thread's Cortex-M fault handler prints them (libcpu/arm/cortex-m*/
cpuport.c: rt_hw_hard_fault_exception and its *_fault_track helpers): the exception kind and
the fault status bits that say why, the thread, the module and the function, and on request
the registers and a backtrace.

Unicorn has no SCB: what a Cortex-M would record in CFSR/HFSR is derived from what unicorn
reports, as a board whose SHCSR enables the configurable faults (RT-Thread's BSPs do):

| unicorn                         | Cortex-M exception   | status bits              |
|---------------------------------|----------------------|--------------------------|
| UC_ERR_WRITE_PROT, READ_PROT    | mem manage fault     | DACCVIOL, MMAR = address |
| UC_ERR_FETCH_PROT               | mem manage fault     | IACCVIOL                 |
| EXCP_PREFETCH_ABORT (XN region) | mem manage fault     | IACCVIOL                 |
| UC_ERR_READ/WRITE_UNMAPPED      | bus fault            | PRECISERR, BFAR = address|
| UC_ERR_FETCH_UNMAPPED           | bus fault            | IBUSERR                  |
| UC_ERR_INSN_INVALID, EXCP_UDEF  | usage fault          | UNDEFINSTR               |
| EXCP_INVSTATE / NOCP / UNALIGNED / DIVBYZERO | usage fault | INVSTATE ... DIVBYZERO |
| EXCP_BKPT (no debugger)         | hard fault           | DEBUGEVT                 |
| anything else                   | hard fault           | FORCED                   |

Integer division by zero gives 0 (CCR.DIV_0_TRP is 0 at reset and unicorn emulates no CCR to
set), and unicorn does not raise UNALIGNED for LDRD/LDM, so those two rows are reached only if
a later unicorn reports them. The one-line message names the module first, as every rtdl
fault does; `lines()` gives RT-Thread's multi-line dump for `rtdl run -v`.
CPython only; imports unicorn's constants.
"""
from unicorn import (UC_ERR_READ_UNMAPPED, UC_ERR_WRITE_UNMAPPED, UC_ERR_FETCH_UNMAPPED,
                     UC_ERR_WRITE_PROT, UC_ERR_READ_PROT, UC_ERR_FETCH_PROT,
                     UC_ERR_INSN_INVALID)

HARD = "hard fault"
BUS = "bus fault"
MEM_MANAGE = "mem manage fault"
USAGE = "usage fault"

# (register name as cpuport.c prints it, {bit name: bit})
STATUS_REGISTERS = {
    MEM_MANAGE: ("SCB_CFSR_MFSR", {"IACCVIOL": 0, "DACCVIOL": 1, "MUNSTKERR": 3, "MSTKERR": 4,
                                   "MLSPERR": 5, "MMARVALID": 7}),
    BUS: ("SCB_CFSR_BFSR", {"IBUSERR": 0, "PRECISERR": 1, "IMPRECISERR": 2, "UNSTKERR": 3,
                            "STKERR": 4, "LSPERR": 5, "BFARVALID": 7}),
    USAGE: ("SCB_CFSR_UFSR", {"UNDEFINSTR": 0, "INVSTATE": 1, "INVPC": 2, "NOCP": 3,
                              "UNALIGNED": 8, "DIVBYZERO": 9}),
    HARD: ("SCB_HFSR", {"VECTTBL": 1, "FORCED": 30, "DEBUGEVT": 31}),
}
ADDRESS_REGISTERS = {MEM_MANAGE: ("MMARVALID", "SCB->MMAR"), BUS: ("BFARVALID", "SCB->BFAR")}

# what each cause means, for the one-line message
CAUSES = {"IACCVIOL": "instruction access violation", "DACCVIOL": "data access violation",
          "IBUSERR": "instruction bus error", "PRECISERR": "precise data bus error",
          "UNDEFINSTR": "undefined instruction", "INVSTATE": "invalid state (ARM, not Thumb)",
          "INVPC": "invalid exception return", "NOCP": "no coprocessor",
          "UNALIGNED": "unaligned access", "DIVBYZERO": "divide by zero",
          "DEBUGEVT": "breakpoint without a debugger", "FORCED": "escalated fault"}

_BY_ERRNO = {
    UC_ERR_WRITE_PROT: (MEM_MANAGE, "DACCVIOL"),
    UC_ERR_READ_PROT: (MEM_MANAGE, "DACCVIOL"),
    UC_ERR_FETCH_PROT: (MEM_MANAGE, "IACCVIOL"),
    UC_ERR_READ_UNMAPPED: (BUS, "PRECISERR"),
    UC_ERR_WRITE_UNMAPPED: (BUS, "PRECISERR"),
    UC_ERR_FETCH_UNMAPPED: (BUS, "IBUSERR"),
    UC_ERR_INSN_INVALID: (USAGE, "UNDEFINSTR"),
}
# QEMU's EXCP_* numbers, which unicorn's interrupt hook passes for CPU exceptions
# 3: QEMU's prefetch abort is a fetch from an execute-never region of the default memory map
_BY_EXCEPTION = {1: (USAGE, "UNDEFINSTR"), 3: (MEM_MANAGE, "IACCVIOL"), 4: (BUS, "PRECISERR"),
                 7: (HARD, "DEBUGEVT"), 17: (USAGE, "NOCP"), 18: (USAGE, "INVSTATE"),
                 22: (USAGE, "UNALIGNED"), 23: (USAGE, "DIVBYZERO")}

EXCEPTION_NAMES = {1: "EXCP_UDEF", 3: "EXCP_PREFETCH_ABORT", 4: "EXCP_DATA_ABORT",
                   7: "EXCP_BKPT", 17: "EXCP_NOCP", 18: "EXCP_INVSTATE", 22: "EXCP_UNALIGNED",
                   23: "EXCP_DIVBYZERO"}

REGISTER_NAMES = ("r00", "r01", "r02", "r03", "r04", "r05", "r06", "r07", "r08", "r09", "r10",
                  "r11", "r12", " sp", " lr", " pc")


def classify_error(errno):
    """(exception, cause) for a unicorn error number."""
    return _BY_ERRNO.get(errno, (HARD, "FORCED"))


def exception_detail(intno, pc=None):
    """What the one line says of a CPU exception: for a prefetch abort at `pc`, the fetch
    (QEMU raises it for code in an execute-never region of the Cortex-M memory map:
    peripherals, devices, the system area - a jump through a pointer of garbage), else its
    number and QEMU's name for it."""
    if intno == 3 and pc is not None:
        return ("instruction fetch at 0x%08x (an execute-never region of the Cortex-M memory "
                "map)" % (pc & ~1))
    return "CPU exception %d (%s)" % (intno, EXCEPTION_NAMES.get(intno, "unknown"))


def classify_exception(intno):
    """(exception, cause) for a CPU exception unicorn's interrupt hook reports."""
    return _BY_EXCEPTION.get(intno, (HARD, "FORCED"))


class FaultReport:
    """Everything a fault report says. `registers`: r0-r12, sp, lr, pc (16 values) and
    `psr`; `address`: the faulting data address (MMAR/BFAR) when the CPU would record one;
    `thread`: the running thread's name (None: the kernel stack); `context`: how to say where
    the code ran when not on a thread; `module`: the module's name or None; `function`:
    'name+0xNN' (pc), `caller`: the same for lr; `backtrace`: ['function+0xNN', ...]."""

    def __init__(self, exception, cause, detail, registers, psr, address=None):
        self.exception = exception
        self.cause = cause
        self.detail = detail
        self.registers = list(registers)
        self.psr = psr
        self.address = address
        self.thread = None
        self.context = None
        self.module = None
        self.function = None
        self.caller = None
        self.backtrace = []

    @property
    def pc(self):
        return self.registers[15]

    @property
    def lr(self):
        return self.registers[14]

    def status(self):
        """(register name, value, [bit names]) as the *_fault_track helpers print them."""
        register, bits = STATUS_REGISTERS[self.exception]
        names = [self.cause]
        valid = ADDRESS_REGISTERS.get(self.exception)
        if valid is not None and self.address is not None:
            names.append(valid[0])
        value = 0
        for name in names:
            value |= 1 << bits[name]
        return register, value, names

    def where(self):
        """'on thread 'x'' or the context the code ran in."""
        if self.thread is not None:
            return "on thread '%s'" % self.thread
        return self.context or "on the kernel stack"

    def parts(self):
        """(who, what, rest) of the one line: the module; kind and cause, thread, function,
        what happened; the registers. A ModuleFault composes it (its region note, what the
        access hit, goes between what happened and the registers)."""
        at = self.function or "0x%08x" % self.pc
        if self.function is None and self.caller is not None:
            at += " (called from %s)" % self.caller
        what = "%s (%s, %s) in %s %s: %s" % (self.exception, self.cause,
                                             CAUSES.get(self.cause, self.cause), at,
                                             self.where(), self.detail)
        return self.module or "kernel", what, "; pc=0x%08x lr=0x%08x" % (self.pc, self.lr)

    def lines(self):
        """RT-Thread's dump (cpuport.c's order: psr, r00-r12, lr, pc; here sp too), the
        fault status register with its bits and address register, the thread, then the
        backtrace."""
        out = ["psr: 0x%08x" % self.psr]
        for name, value in zip(REGISTER_NAMES, self.registers):
            out.append("%s: 0x%08x" % (name, value))
        register, value, names = self.status()
        out.append("%s:" % self.exception)
        track = "%s:0x%02X %s" % (register, value, " ".join(names))
        valid = ADDRESS_REGISTERS.get(self.exception)
        if valid is not None and self.address is not None:
            track += " %s:%08X" % (valid[1], self.address)
        out.append(track)
        if self.thread is not None:
            out.append("hard fault on thread: %s" % self.thread)
        else:
            out.append("hard fault on handler")
        frames = [self.function or "0x%08x" % self.pc] + self.backtrace
        out.append("backtrace: " + " <- ".join(frames))
        return out


BACKTRACE_DEPTH = 8
_SCAN_BYTES = 4096


def after_call(board, addr):
    """Whether the Thumb address `addr` (bit 0 set) follows a BL or BLX: a return address."""
    if not addr & 1 or not board.in_code(addr):
        return False
    return follows_call(board.memory, addr)


def follows_call(memory, addr):
    """Whether the instruction before the Thumb address `addr` is a BL or BLX (also
    heldmodes.py, which knows by itself where the code is)."""
    at = addr & ~1
    try:
        raw = memory.read(at - 4, 4)
    except Exception:
        return False
    first = raw[0] | raw[1] << 8
    second = raw[2] | raw[3] << 8
    if first & 0xF800 == 0xF000 and second & 0xC000 == 0xC000:
        return True                              # BL / BLX imm (32-bit)
    return second & 0xFF87 == 0x4780             # BLX Rm (16-bit)


def backtrace(board, report, stack_top):
    """The callers: lr when it is a return address, then the return addresses found on the
    stack from sp up to `stack_top` (the scan CmBacktrace does: a word that points just
    after a BL/BLX in code), at most BACKTRACE_DEPTH."""
    frames = []
    if report.caller is not None and after_call(board, report.lr):
        frames.append(report.caller)
    sp = report.registers[13]
    size = min(max(stack_top - sp, 0), _SCAN_BYTES) & ~3
    try:
        raw = board.memory.read(sp, size) if size else b""
    except Exception:
        raw = b""
    for i in range(0, len(raw), 4):
        if len(frames) >= BACKTRACE_DEPTH:
            break
        word = raw[i] | raw[i + 1] << 8 | raw[i + 2] << 16 | raw[i + 3] << 24
        if after_call(board, word):
            name = board.function_at(word)
            if not frames or frames[-1] != name:
                frames.append(name)
    return frames
