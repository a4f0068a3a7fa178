"""The floor a board run is measured against: a module on a bare unicorn with SVC stubs.

    .venv/bin/python benchmarks/bare_run.py MODULE [ARGS...]

No firmware, no kernel, no heap allocator, no checks: the module's PT_LOAD segments are copied
to RAM, its R_ARM_RELATIVE/ABS32/GLOB_DAT/JUMP_SLOT relocations applied with each import bound
to a 4-byte stub (`svc #n; bx lr`), and main(argc, argv) run to its return. The one SVC hook
serves the few imports the benchmark modules use in Python (console output, a bump allocator,
a tick counter, the soft-float helpers a report line needs); anything else returns 0. What the
board does beyond this is what the benchmarks measure. Imports only unicorn, struct and the
device side's struct-based ELF reader, so its start-up is the least a unicorn process pays.
"""
import struct
import sys

from unicorn import Uc, UC_ARCH_ARM, UC_MODE_THUMB, UC_HOOK_INTR, UC_PROT_ALL
from unicorn import arm_const as A

from rtdl_device import elf32

RAM_BASE = 0x20000000
RAM_SIZE = 512 * 1024
STUBS = RAM_BASE                       # 4 bytes per import
IMAGE = RAM_BASE + 0x1000
STACK_TOP = RAM_BASE + RAM_SIZE - 0x100
RETURN = STACK_TOP                     # never executed: emu_start stops there
ARGS = (A.UC_ARM_REG_R0, A.UC_ARM_REG_R1, A.UC_ARM_REG_R2, A.UC_ARM_REG_R3)
_RELATIVE, _ABS32, _GLOB_DAT, _JUMP_SLOT = 23, 2, 21, 22


class BareMachine:
    """One unicorn Cortex-M4 with RAM only, and a module linked into it."""

    def __init__(self, out=None):
        self.uc = Uc(UC_ARCH_ARM, UC_MODE_THUMB)
        self.uc.ctl_set_cpu_model(A.UC_CPU_ARM_CORTEX_M4)
        self.uc.mem_map(RAM_BASE, RAM_SIZE, UC_PROT_ALL)
        self.out = out if out is not None else sys.stdout.buffer
        self.handlers = []
        self.symbols = {}
        self.ticks = 0
        self.uc.hook_add(UC_HOOK_INTR, self._on_svc)

    # ------------------------------------------------------------------ loading ----------
    def load(self, path):
        """Copy the module's segments to IMAGE and bind its imports to stubs; returns the
        image's bias (run-time address minus link-time address)."""
        with open(path, "rb") as stream:
            data = stream.read()
        elf = elf32.ElfFile(data, path)
        segments = elf.load_segments()
        bias = IMAGE - segments[0].vaddr
        for seg in segments:
            self.uc.mem_write(seg.vaddr + bias, data[seg.offset:seg.offset + seg.filesz])
        end = max(seg.vaddr + seg.memsz for seg in segments) + bias
        self.heap = (end + 4096) & ~7
        stubs = {}
        for sec in elf.sections:
            if sec.type != elf32.SHT_REL:
                continue
            symbols = elf.symbols(elf.section(sec.link, "symbols"))
            for rel in elf.relocations(sec):
                place = rel.offset + bias
                sym = symbols[rel.sym] if rel.sym else None
                if rel.type == _RELATIVE:
                    value = struct.unpack("<I", self.uc.mem_read(place, 4))[0] + bias
                elif sym is not None and sym.defined:
                    value = sym.value + bias
                elif sym is not None:
                    if sym.name not in stubs:
                        stubs[sym.name] = self._stub(sym.name)
                    value = stubs[sym.name] | 1
                else:
                    raise SystemExit("%s: relocation type %d without a symbol" % (path, rel.type))
                if rel.type == _ABS32 and sym is not None and sym.defined:
                    value += struct.unpack("<I", self.uc.mem_read(place, 4))[0]
                self.uc.mem_write(place, struct.pack("<I", value & 0xFFFFFFFF))
        symtab = elf.section_by_name(".dynsym")
        for sym in elf.symbols(symtab) if symtab else ():
            if sym.name and sym.defined:
                self.symbols[sym.name] = sym.value + bias
        self.entry = elf.header.entry + bias
        return bias

    def _stub(self, name):
        number = len(self.handlers)
        self.handlers.append(getattr(self, "svc_" + name, self.svc_default))
        addr = STUBS + 4 * number
        self.uc.mem_write(addr, struct.pack("<HH", 0xDF00 | number, 0x4770))  # svc #n; bx lr
        return addr

    # ------------------------------------------------------------------ running ----------
    def call(self, fn, args=()):
        for reg, value in zip(ARGS, args):
            self.uc.reg_write(reg, value & 0xFFFFFFFF)
        self.uc.reg_write(A.UC_ARM_REG_SP, STACK_TOP - 0x400)
        self.uc.reg_write(A.UC_ARM_REG_LR, RETURN | 1)
        self.uc.emu_start(fn | 1, RETURN)
        return self.uc.reg_read(A.UC_ARM_REG_R0)

    def run_main(self, argv):
        """main(argc, argv) with argv's strings below the stack; returns main's result."""
        strings = STACK_TOP - 0x300
        pointers = []
        for arg in argv:
            raw = arg.encode() + b"\0"
            self.uc.mem_write(strings, raw)
            pointers.append(strings)
            strings += len(raw)
        table = (strings + 3) & ~3
        self.uc.mem_write(table, struct.pack("<%dI" % (len(pointers) + 1), *(pointers + [0])))
        return self.call(self.entry, (len(argv), table))

    def _on_svc(self, uc, intno, user_data):
        number = uc.mem_read(uc.reg_read(A.UC_ARM_REG_PC) - 2, 1)[0]
        args = [uc.reg_read(r) for r in ARGS]
        result = self.handlers[number](args)
        if result is not None:
            uc.reg_write(A.UC_ARM_REG_R0, result & 0xFFFFFFFF)

    # ------------------------------------------------------------- the stubs -------------
    def cstring(self, addr):
        out = b""
        while True:
            chunk = bytes(self.uc.mem_read(addr + len(out), 64))
            nul = chunk.find(b"\0")
            if nul >= 0:
                return out + chunk[:nul]
            out += chunk

    def svc_default(self, args):
        return 0

    def svc_puts(self, args):
        self.out.write(self.cstring(args[0]) + b"\n")
        return 0

    def svc_putchar(self, args):
        self.out.write(bytes((args[0] & 0xFF,)))
        return args[0]

    def svc_printf(self, args):
        text = _format(self, self.cstring(args[0]), args[1:])
        self.out.write(text)
        return len(text)

    svc_rt_kprintf = svc_printf

    def svc_malloc(self, args):
        addr, self.heap = self.heap, (self.heap + args[0] + 7) & ~7
        return addr

    svc_rt_malloc = svc_malloc

    def svc_rt_tick_get(self, args):
        self.ticks += 1
        return self.ticks

    def svc_memset(self, args):
        self.uc.mem_write(args[0], bytes((args[1] & 0xFF,)) * args[2])
        return args[0]

    def svc_memcpy(self, args):
        self.uc.mem_write(args[0], bytes(self.uc.mem_read(args[1], args[2])))
        return args[0]

    def svc___aeabi_ui2d(self, args):
        return _double_result(self, float(args[0]))

    def svc___aeabi_ddiv(self, args):
        b = _double(args[2], args[3])
        return _double_result(self, _double(args[0], args[1]) / b if b else float("inf"))

    def svc___aeabi_d2uiz(self, args):
        value = _double(args[0], args[1])
        return int(value) if 0 <= value < 2 ** 32 else 0

    def svc___aeabi_dcmpgt(self, args):
        return int(_double(args[0], args[1]) > _double(args[2], args[3]))

    def svc___aeabi_dcmplt(self, args):
        return int(_double(args[0], args[1]) < _double(args[2], args[3]))


def _double(lo, hi):
    return struct.unpack("<d", struct.pack("<II", lo, hi))[0]


def _double_result(machine, value):
    lo, hi = struct.unpack("<II", struct.pack("<d", value))
    machine.uc.reg_write(A.UC_ARM_REG_R1, hi)
    return lo


def _format(machine, fmt, regs):
    """printf's conversions the benchmark modules use (%d %u %x %s %c %f, l and width)."""
    sp = machine.uc.reg_read(A.UC_ARM_REG_SP)
    words = list(regs)
    state = {"next": 0}

    def word():
        index = state["next"]
        state["next"] += 1
        if index < len(words):
            return words[index]
        return struct.unpack("<I", machine.uc.mem_read(sp + 4 * (index - len(words)), 4))[0]

    out, i = b"", 0
    while i < len(fmt):
        ch = fmt[i:i + 1]
        if ch != b"%":
            out += ch
            i += 1
            continue
        j = i + 1
        while fmt[j:j + 1] in b"0123456789.-l":
            j += 1
        conv, spec = fmt[j:j + 1], fmt[i:j].replace(b"l", b"").decode()
        if conv in (b"d", b"i"):
            value = word()
            out += ((spec + "d") % (value - (1 << 32) if value & 0x80000000 else value)).encode()
        elif conv in (b"u", b"x", b"X"):
            out += ((spec + conv.decode().replace("u", "d")) % word()).encode()
        elif conv == b"c":
            out += bytes((word() & 0xFF,))
        elif conv == b"s":
            out += machine.cstring(word())
        elif conv == b"f":
            if state["next"] % 2:
                word()                      # doubles start at an even register or word
            out += ((spec + "f") % _double(word(), word())).encode()
        else:
            out += fmt[i:j + 1]
        i = j + 1
    return out


def main(argv):
    machine = BareMachine()
    machine.load(argv[0])
    return machine.run_main(argv)


if __name__ == "__main__":
    if len(sys.argv) < 2:
        raise SystemExit("usage: bare_run.py MODULE [ARGS...]")
    sys.exit(main(sys.argv[1:]) & 0xFF)
