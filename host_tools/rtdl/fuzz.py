"""`python -m rtdl.fuzz`: load mutated real modules on one emulated board and prove that the
loader only ever accepts them or refuses them with a documented error.

Seeds are real modules built by `rtdl build` (hello.mo, lib.so, cxx_hello.mo, qsort_cb.mo and,
when the loader takes ET_REL files, hello.o and lib.o). Each case mutates one seed with a
seeded `random.Random` (bit flips, interesting byte/half/word values, truncation, and edits of
named fields of the ELF header, program headers, section headers, symbols, relocations and
dynamic tags) and loads it with `dlmodule.load` on a board that is booted once and reused.
A case passes when the load succeeds (then `dlclose` must succeed or fail with an RtdlError)
or fails with an rterror.RtdlError, and afterwards:

  - the heap walks clean and is exactly as before the case (`heap.snapshot()`);
  - no module, thread or pending service is left in the kernel;
  - the loader and kernel wrote only into heap blocks allocated during the case (checked by
    wrapping the kernel's `memory`), and code run during the case (constructors, destructors,
    the firmware's libc they call) wrote only into the kernel stack, the firmware's
    .data/.bss and heap blocks that were in use (a UC_HOOK_MEM_WRITE hook over RAM, installed
    by this fuzzer only: regular boards never pay for a per-access hook).

Anything else is a finding: the input is saved as FILE (.mo/.so/.o) with FILE.txt describing the
mutation and the failure, and the board is booted again. `--replay FILE` runs one saved input
on a fresh board. tests/test_fuzz.py runs the same engine for a fixed number of cases.
"""
import argparse
import hashlib
import os
import random
import signal
import struct
import sys
import tempfile
import threading
import time
import traceback

from rtdl import devtree
from rtdl.api import Board
from unicorn import UC_HOOK_MEM_WRITE
from unicorn import arm_const

from rtdl_device import elf32
from rtdl_device import loader
from rtdl_device.rterror import ElfError, HeapCorruption, ModuleFault, RtdlError

# (source, build options, file name inside the board)
SEEDS = (
    ("hello.c", {}, "hello.mo"),
    ("lib.c", {"lib": True}, "lib.so"),
    ("cxx_hello.cpp", {}, "cxx_hello.mo"),
    ("qsort_cb.c", {}, "qsort_cb.mo"),
)
RELOCATABLE_SEEDS = (
    ("hello.c", {"relocatable": True}, "hello.o"),
    ("lib.c", {"relocatable": True}, "lib.o"),
)

# Constructors of a mutated module may spin: they get this long on the CPU per call.
CALL_TIMEOUT_US = 100000
# Wall-clock bound of one case in the time-bounded CLI (catches a hang in Python code).
CASE_DEADLINE_S = 20

INTERESTING = {
    1: (0, 1, 0x7F, 0x80, 0xFF),
    2: (0, 1, 0x7F, 0x80, 0xFF, 0x7FFF, 0x8000, 0xFFFF, 0xFF00, 0xFFF1, 0xFFF2),
    4: (0, 1, 2, 4, 0x7F, 0x80, 0xFF, 0xFFFF, 0x10000, 0x7FFFFFFF, 0x80000000, 0x80000001,
        0xFFFFFFFF, 0xFFFFFFF0, 0xFFFFFFFC, 0x20000000, 0x1000000),
}
_STRUCT = {1: "<B", 2: "<H", 4: "<I"}

# (name, offset, size) of the fields of each ELF32 table entry (ELF specification)
EHDR_FIELDS = (("EI_CLASS", 4, 1), ("EI_DATA", 5, 1), ("EI_VERSION", 6, 1),
               ("e_type", 16, 2), ("e_machine", 18, 2), ("e_version", 20, 4),
               ("e_entry", 24, 4), ("e_phoff", 28, 4), ("e_shoff", 32, 4), ("e_flags", 36, 4),
               ("e_ehsize", 40, 2), ("e_phentsize", 42, 2), ("e_phnum", 44, 2),
               ("e_shentsize", 46, 2), ("e_shnum", 48, 2), ("e_shstrndx", 50, 2))
PHDR_FIELDS = (("p_type", 0, 4), ("p_offset", 4, 4), ("p_vaddr", 8, 4), ("p_paddr", 12, 4),
               ("p_filesz", 16, 4), ("p_memsz", 20, 4), ("p_flags", 24, 4), ("p_align", 28, 4))
SHDR_FIELDS = (("sh_name", 0, 4), ("sh_type", 4, 4), ("sh_flags", 8, 4), ("sh_addr", 12, 4),
               ("sh_offset", 16, 4), ("sh_size", 20, 4), ("sh_link", 24, 4),
               ("sh_info", 28, 4), ("sh_addralign", 32, 4), ("sh_entsize", 36, 4))
SYM_FIELDS = (("st_name", 0, 4), ("st_value", 4, 4), ("st_size", 8, 4), ("st_info", 12, 1),
              ("st_other", 13, 1), ("st_shndx", 14, 2))
# r_info is split: its low byte is the type, the upper 24 bits the symbol index
REL_FIELDS = (("r_offset", 0, 4), ("r_info.type", 4, 1), ("r_info.sym", 5, 3))
RELA_FIELDS = REL_FIELDS + (("r_addend", 8, 4),)
DYN_FIELDS = (("d_tag", 0, 4), ("d_val", 4, 4))


# ----------------------------------------------------------------------------- mutation ----

class Table:
    """Entries of one ELF table in a seed: where they are and which fields they have."""

    def __init__(self, kind, label, offset, count, entsize, fields):
        self.kind = kind
        self.label = label
        self.offset = offset
        self.count = count
        self.entsize = entsize
        self.fields = fields


class Seed:
    """A valid module and the layout of its tables, read with the device's own elf32."""

    def __init__(self, name, data):
        self.name = name
        self.data = bytes(data)
        elf = elf32.ElfFile(self.data, name)
        h = elf.header
        tables = [Table("header", "ELF header", 0, 1, 52, EHDR_FIELDS)]
        if h.phnum:
            tables.append(Table("phdr", "program header", h.phoff, h.phnum, 32, PHDR_FIELDS))
        if h.shnum:
            tables.append(Table("shdr", "section header", h.shoff, h.shnum, 40, SHDR_FIELDS))
        for sec in elf.sections:
            if sec.type in (elf32.SHT_SYMTAB, elf32.SHT_DYNSYM) and sec.size >= 16:
                tables.append(Table("sym", "symbol of [%d] %s" % (sec.index, sec.name),
                                    sec.offset, sec.size // 16, 16, SYM_FIELDS))
            elif sec.type == elf32.SHT_REL and sec.size >= 8:
                tables.append(Table("rel", "relocation of [%d] %s" % (sec.index, sec.name),
                                    sec.offset, sec.size // 8, 8, REL_FIELDS))
            elif sec.type == elf32.SHT_RELA and sec.size >= 12:
                tables.append(Table("rel", "relocation of [%d] %s" % (sec.index, sec.name),
                                    sec.offset, sec.size // 12, 12, RELA_FIELDS))
        for seg in elf.segments:
            if seg.type == elf32.PT_DYNAMIC and seg.filesz >= 8:
                tables.append(Table("dyn", "dynamic entry", seg.offset, seg.filesz // 8, 8,
                                    DYN_FIELDS))
        self.tables = tables
        self.kinds = sorted(set([t.kind for t in tables]))
        self.extension = os.path.splitext(name)[1]


def _get(data, offset, size):
    if size == 3:
        return int.from_bytes(bytes(data[offset:offset + 3]), "little")
    return struct.unpack_from(_STRUCT[size], data, offset)[0]


def _put(data, offset, size, value):
    value &= (1 << (8 * size)) - 1
    if size == 3:
        data[offset:offset + 3] = value.to_bytes(3, "little")
    else:
        struct.pack_into(_STRUCT[size], data, offset, value)


class Mutator:
    """Mutations of a seed's bytes; every one is described in words for the crash report."""

    def __init__(self, rng):
        self.rng = rng

    def mutate(self, seed):
        """(mutated bytes, [descriptions]): one to three stacked mutations."""
        data = bytearray(seed.data)
        notes = []
        count = self.rng.choice((1, 1, 1, 2, 2, 3))
        for _ in range(count):
            op = self.rng.random()
            if op < 0.15:
                notes.append(self.bit_flips(data))
            elif op < 0.30:
                notes.append(self.overwrite(data))
            elif op < 0.36:
                notes.append(self.truncate(data))
            else:
                notes.append(self.field(seed, data))
            if not data:
                break
        return bytes(data), notes

    def bit_flips(self, data):
        if not data:
            return "bit flip: empty file"
        flips = []
        for _ in range(self.rng.choice((1, 1, 2, 4, 8))):
            pos = self.rng.randrange(len(data))
            bit = self.rng.randrange(8)
            data[pos] ^= 1 << bit
            flips.append("0x%x.%d" % (pos, bit))
        return "bit flip at " + ", ".join(flips)

    def overwrite(self, data):
        size = self.rng.choice((1, 2, 4))
        if len(data) < size:
            return "overwrite: file too short"
        pos = self.rng.randrange(len(data) - size + 1)
        if self.rng.random() < 0.5:
            pos &= ~(size - 1)
        value = self.rng.choice(INTERESTING[size])
        _put(data, pos, size, value)
        return "overwrite %d byte(s) at 0x%x with 0x%x" % (size, pos, value)

    def truncate(self, data):
        choices = (0, 3, 4, 16, 51, 52, len(data) // 2, len(data) - 1,
                   self.rng.randrange(len(data) + 1))
        length = self.rng.choice(choices)
        del data[length:]
        return "truncate to %d bytes" % length

    def field(self, seed, data):
        kind = self.rng.choice(seed.kinds)
        table = self.rng.choice([t for t in seed.tables if t.kind == kind])
        index = self.rng.randrange(table.count)
        name, off, size = self.rng.choice(table.fields)
        pos = table.offset + index * table.entsize + off
        if pos + size > len(data):
            return "%s %d %s: outside the (truncated) file" % (table.label, index, name)
        old = _get(data, pos, size)
        new = self.value(old, size, len(data), table.count)
        _put(data, pos, size, new)
        return "%s %d %s = 0x%x (was 0x%x)" % (table.label, index, name,
                                               new & ((1 << (8 * size)) - 1), old)

    def value(self, old, size, file_size, count):
        r = self.rng.random()
        if r < 0.30:
            if size == 3:
                return self.rng.choice((0, 1, 0x7FFFFF, 0x800000, 0xFFFFFF))
            return self.rng.choice(INTERESTING[size])
        if r < 0.50:
            return old + self.rng.choice((-16, -8, -4, -2, -1, 1, 2, 4, 8, 16, 0x100, -0x100))
        if r < 0.65:
            return self.rng.randrange(count + 4)          # another (or a just invalid) index
        if r < 0.80:
            return self.rng.choice((file_size - 1, file_size, file_size + 1, file_size + 8,
                                    self.rng.randrange(file_size + 64)))
        return self.rng.getrandbits(8 * size)


# ------------------------------------------------------------------------------ harness ----

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
    """A case ran past CASE_DEADLINE_S (not an Exception: no handler in the kernel eats it)."""


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
        self._boot()

    # -- set-up --------------------------------------------------------------------------
    def _boot(self):
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

    def _check_deadline(self):
        # The alarm's CaseHung is lost when it lands inside an emulator hook (ctypes drops
        # exceptions of callbacks): raise it again from here, between two target calls.
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
            self._boot()
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
            self._boot()       # the board may be damaged: later cases start clean
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
        if getattr(kernel, "pending", None):
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


# -------------------------------------------------------------------------------- seeds ----

def relocatable_supported(data, name):
    """Whether the loader takes ET_REL files (it refuses them by type until it does)."""
    try:
        loader.parse(data, name)
    except ElfError as error:
        if error.field == "e_type":
            return False
        raise
    return True


def build_seeds(directory, relocatable=True):
    """Build the seed modules with `rtdl build` into `directory`: [Seed]."""
    from rtdl.build import build_module
    sources = devtree.TEST_MODULES
    seeds = []
    for source, options, name in SEEDS + (RELOCATABLE_SEEDS if relocatable else ()):
        out = os.path.join(directory, name)
        build_module([os.path.join(sources, source)], out, **options)
        with open(out, "rb") as f:
            data = f.read()
        if options.get("relocatable") and not relocatable_supported(data, name):
            continue
        seeds.append(Seed(name, data))
    return seeds


# -------------------------------------------------------------------------------- engine ---

class Stats:
    def __init__(self):
        self.cases = 0
        self.loaded = 0
        self.rejected = 0
        self.findings = []
        self.errors = {}          # error class name -> count
        self.per_seed = {}
        self.guarded = 0          # cases in which the memory guard stopped a module's write
        self.guarded_cases = []   # the first few of them: (case, seed module, mutations, write)

    def add(self, seed, outcome, case=None, notes=()):
        self.cases += 1
        self.per_seed[seed.name] = self.per_seed.get(seed.name, 0) + 1
        if outcome.guarded:
            self.guarded += 1
            if len(self.guarded_cases) < 10:
                self.guarded_cases.append((case, seed.name, list(notes), outcome.guarded[0]))
        if outcome.status == "loaded":
            self.loaded += 1
        elif outcome.status == "rejected":
            self.rejected += 1
        if outcome.error is not None:
            kind = type(outcome.error).__name__
            self.errors[kind] = self.errors.get(kind, 0) + 1

    def summary(self):
        errors = ", ".join("%s %d" % (k, self.errors[k]) for k in sorted(self.errors))
        return ("%d cases: %d loaded, %d rejected (%s; the memory guard stopped a write of "
                "module code in %d), %d findings"
                % (self.cases, self.loaded, self.rejected, errors, self.guarded,
                   len(self.findings)))


def case_rng(seed, case):
    """Each case has its own generator, so case N can be regenerated without the others."""
    return random.Random("%d:%d" % (seed, case))


def make_case(seeds, seed, case):
    rng = case_rng(seed, case)
    base = seeds[case % len(seeds)]
    data, notes = Mutator(rng).mutate(base)
    return base, data, notes


def fuzz(harness, seeds, seed, cases=None, deadline=None, out=None, on_finding=None,
         case_deadline_s=None, progress=None):
    """Check that every unmutated seed loads cleanly, then run cases 0.. until `cases` are
    done or time.time() passes `deadline`."""
    stats = Stats()
    for base in seeds:
        outcome = harness.run(base.name, base.data)
        if outcome.status != "loaded" or outcome.error is not None or outcome.guarded:
            outcome.status = "finding"
            outcome.finding = "the unmutated seed did not load and close cleanly: %r %s" % (
                outcome, "; ".join(outcome.guarded))
            record = Finding(base, base.data, ["none (the seed as built)"], outcome, seed, -1)
            stats.findings.append(record)
            if out:
                record.save(out)
            if on_finding:
                on_finding(record)
    case = 0
    while (cases is None or case < cases) and (deadline is None or time.time() < deadline):
        base, data, notes = make_case(seeds, seed, case)
        outcome = _run_bounded(harness, base.name, data, case_deadline_s)
        stats.add(base, outcome, case, notes)
        if outcome.status == "finding":
            record = Finding(base, data, notes, outcome, seed, case)
            record.reproduces = _reproduces(harness.firmware, base.name, data,
                                            harness.call_timeout_us)
            stats.findings.append(record)
            if out:
                record.save(out)
            if on_finding:
                on_finding(record)
        if progress:
            progress(case, stats)
        case += 1
    return stats


def _run_bounded(harness, name, data, deadline_s):
    if not deadline_s or threading.current_thread() is not threading.main_thread() or \
            not hasattr(signal, "setitimer"):
        return harness.run(name, data)

    def expire(signum, frame):
        harness.expired = True
        harness.board.uc.emu_stop()     # target code looping through services stops too
        raise CaseHung()

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, deadline_s)
    try:
        return harness.run(name, data)
    except CaseHung:
        harness._boot()
        return Outcome("finding", finding="case still running after %d s (hang)" % deadline_s,
                       detail=traceback.format_exc())
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _reproduces(firmware, name, data, call_timeout_us):
    try:
        return Harness(firmware, call_timeout_us).run(name, data).status == "finding"
    except Exception:
        return True


class Finding:
    def __init__(self, base, data, notes, outcome, seed, case):
        self.base = base
        self.data = data
        self.notes = notes
        self.outcome = outcome
        self.seed = seed
        self.case = case
        self.reproduces = None
        self.path = None

    def describe(self):
        return ("seed module: %s\nrandom seed %d, case %d\nmutations:\n  %s\nfinding: %s\n"
                "reproduces on a freshly booted board: %s\nreplay: python -m rtdl.fuzz "
                "--replay %s\n\n%s\n"
                % (self.base.name, self.seed, self.case, "\n  ".join(self.notes),
                   self.outcome.finding, self.reproduces, self.path or "FILE",
                   self.outcome.detail))

    def save(self, out):
        os.makedirs(out, exist_ok=True)
        digest = hashlib.sha1(self.data).hexdigest()[:12]
        stem = "%s-%s" % (os.path.splitext(self.base.name)[0], digest)
        self.path = os.path.join(out, stem + self.base.extension)
        with open(self.path, "wb") as f:
            f.write(self.data)
        with open(self.path + ".txt", "w") as f:
            f.write(self.describe())


def replay(path, firmware=None):
    """Run one saved input on a fresh board; returns its Outcome."""
    with open(path, "rb") as f:
        data = f.read()
    return Harness(firmware).run(os.path.basename(path), data)


# ------------------------------------------------------------------------------------ CLI --

def main(argv=None):
    p = argparse.ArgumentParser(prog="python -m rtdl.fuzz", description=__doc__.split("\n")[0])
    p.add_argument("--minutes", type=float, default=10.0, help="run time (default 10)")
    p.add_argument("--cases", type=int, help="stop after this many cases instead")
    p.add_argument("--seed", type=int, help="random seed (default: from the clock, printed)")
    p.add_argument("--out", default=os.path.join(devtree.CHECKOUT, "tests", "fuzz-crashes"),
                   help="directory for failing inputs (default tests/fuzz-crashes)")
    p.add_argument("--firmware", help="firmware ELF (default build/firmware/firmware.elf)")
    p.add_argument("--replay", nargs="+", metavar="FILE", help="run saved inputs and report")
    args = p.parse_args(argv)
    if args.replay:
        failed = 0
        for path in args.replay:
            outcome = replay(path, args.firmware)
            print("%s: %r" % (path, outcome))
            if outcome.status == "finding":
                failed += 1
                print(outcome.detail)
        return 1 if failed else 0
    seed = args.seed if args.seed is not None else int(time.time())
    with tempfile.TemporaryDirectory(prefix="rtdl-fuzz-") as tmp:
        seeds = build_seeds(tmp)
    names = ", ".join(s.name for s in seeds)
    print("rtdl fuzz: seed %d, seeds %s, %s" % (
        seed, names, "%d cases" % args.cases if args.cases else "%.1f minutes" % args.minutes))
    sys.stdout.flush()
    harness = Harness(args.firmware)
    started = time.time()

    def report(finding):
        print("FINDING case %d (%s): %s -> %s" % (finding.case, finding.base.name,
                                                    finding.outcome.finding.split("\n")[0][:300],
                                                    finding.path))
        sys.stdout.flush()

    shown = [started]

    def progress(case, stats):
        now = time.time()
        if now - shown[0] >= 30:
            shown[0] = now
            print("  %.0f s: %s" % (now - started, stats.summary()))
            sys.stdout.flush()

    stats = fuzz(harness, seeds, seed, cases=args.cases,
                 deadline=None if args.cases else started + 60 * args.minutes,
                 out=args.out, on_finding=report, case_deadline_s=CASE_DEADLINE_S,
                 progress=progress)
    elapsed = time.time() - started
    print("rtdl fuzz: %s in %.0f s (%.0f cases/s, %d boots)"
          % (stats.summary(), elapsed, stats.cases / max(elapsed, 1e-6), harness.boots))
    print("per seed: " + ", ".join("%s %d" % (k, v) for k, v in sorted(stats.per_seed.items())))
    for case, name, notes, write in stats.guarded_cases:
        # not findings (mutated module code may write anywhere), but worth a look: a loader
        # check could have refused the file before its code ran
        print("guard stopped case %d (%s: %s): %s" % (case, name, "; ".join(notes), write))
    return 1 if stats.findings else 0


if __name__ == "__main__":
    sys.exit(main())
