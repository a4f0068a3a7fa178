"""The coverage matrix: one set of sources (hello.c, matrix_calls.c) built for every Cortex-M
core, with and without long calls, at -O0/-O2/-Os, with default and hidden visibility, as ET_DYN
and as ET_REL. Every cell builds, loads and prints its expected output on an emulated core, or
the test asserts the toolchain's own reason why that cell cannot exist.

Two limits are measured here, not assumed:
- the ARM linker cannot make a Thumb-1 PLT, so an ET_DYN for ARMv6-M without -mlong-calls does
  not link (the test checks ld's message);
- the firmware is Cortex-M4 code (Thumb-2 and DSP instructions) and unicorn's Cortex-M0 and
  Cortex-M3 models reject those instructions, so M0/M0+/M3 modules run on the M4 model. The M0
  cells then prove statically that their code is ARMv6-M only, which the M4 model cannot check.

Builds run two at a time and once per session; one board per CPU model runs all its cells.
"""
import concurrent.futures
import os
import struct

import pytest

from rtdl_device import elf32
from rtdl_device import loader
from rtdl_device.rterror import ModuleFault

CPUS = ("cortex-m0", "cortex-m0plus", "cortex-m3", "cortex-m4", "cortex-m7", "cortex-m33")
ARMV6M = ("cortex-m0", "cortex-m0plus")
LONG_CALLS = (True, False)
OPTS = ("0", "2", "s")
VISIBILITIES = (None, "hidden")
KINDS = ("dyn", "rel")
SOURCES = ("hello.c", "matrix_calls.c")
# The CPU model whose unicorn emulation can run the Cortex-M4 firmware these modules call into.
RUN_ON = {"cortex-m0": "cortex-m4", "cortex-m0plus": "cortex-m4", "cortex-m3": "cortex-m4"}
NO_THUMB1_PLT = "thumb-1 mode PLT generation not currently supported"

MODULES = os.path.join(os.path.dirname(__file__), "modules")


def _expected(source):
    if source == "hello.c":
        return "Hello, world\n"
    with open(os.path.join(MODULES, "expected", "matrix_calls.txt")) as f:
        return f.read()


CELLS = [(cpu, long_calls, opt, visibility, kind) for cpu in CPUS for long_calls in LONG_CALLS
         for opt in OPTS for visibility in VISIBILITIES for kind in KINDS]


def cell_id(cell):
    cpu, long_calls, opt, visibility, kind = cell
    return "%s-%s-O%s-%s-%s" % (cpu.replace("cortex-", ""), "long" if long_calls else "short",
                                opt, visibility or "default", kind)


class Builds:
    """Every (cell, source) built once, two compilers at a time: path, or the BuildError."""

    def __init__(self, directory):
        self.directory = directory
        self.results = {}

    def _build(self, cell, source):
        from rtdl.build import BuildError, build_module
        cpu, long_calls, opt, visibility, kind = cell
        out = os.path.join(self.directory, "%s-%s.%s" % (os.path.splitext(source)[0],
                                                         cell_id(cell),
                                                         "o" if kind == "rel" else "mo"))
        try:
            return build_module([os.path.join(MODULES, source)], out, cpu=cpu, opt=opt,
                                long_calls=long_calls, visibility=visibility,
                                relocatable=kind == "rel")
        except BuildError as error:
            return error

    def build_all(self):
        jobs = [(cell, source) for cell in CELLS for source in SOURCES]
        with concurrent.futures.ThreadPoolExecutor(2) as pool:
            for job, result in zip(jobs, pool.map(lambda job: self._build(*job), jobs)):
                self.results[job] = result


@pytest.fixture(scope="session")
def builds(tmp_path_factory):
    result = Builds(str(tmp_path_factory.mktemp("matrix")))
    result.build_all()
    return result


@pytest.fixture(scope="session")
def boards(firmware):
    """One booted board per CPU model, made on first use and reused by every cell."""
    from rtdl import Board
    made = {}

    def get(cpu):
        if cpu not in made:
            made[cpu] = Board(firmware, cpu=cpu)
        return made[cpu]
    return get


def non_armv6m_instructions(path):
    """32-bit instructions ARMv6-M lacks, in the code of an ET_REL (its $t/$d mapping symbols
    tell code from literal pools): [(section, offset, 'hw1 hw2')]."""
    with open(path, "rb") as f:
        elf = elf32.ElfFile(f.read(), path)
    symtab = [s for s in elf.sections if s.type == elf32.SHT_SYMTAB][0]
    marks = {}
    for sym in elf.symbols(symtab):
        if sym.name[:2] in ("$t", "$d", "$a") and sym.shndx < elf32.SHN_LORESERVE:
            marks.setdefault(sym.shndx, []).append((sym.value, sym.name[1]))
    found = []
    for sec in elf.sections:
        if not sec.flags & elf32.SHF_EXECINSTR or not sec.size:
            continue
        regions = sorted(marks.get(sec.index, [(0, "t")])) + [(sec.size, "end")]
        code = elf.data[sec.offset:sec.offset + sec.size]
        for (start, kind), (end, _) in zip(regions, regions[1:]):
            pos = start
            while kind == "t" and pos + 2 <= end:
                hw1 = struct.unpack_from("<H", code, pos)[0]
                if hw1 >> 11 not in (0x1D, 0x1E, 0x1F):
                    pos += 2
                    continue
                hw2 = struct.unpack_from("<H", code, pos + 2)[0]
                bl = hw1 >> 11 == 0x1E and hw2 & 0xD000 == 0xD000
                msr_mrs = (hw1 & 0xFFF0 == 0xF380 or hw1 == 0xF3EF) and hw2 & 0xD000 == 0x8000
                barrier = hw1 == 0xF3BF and hw2 & 0xFF00 == 0x8F00
                if not (bl or msr_mrs or barrier):
                    found.append((sec.name, pos, "%04x %04x" % (hw1, hw2)))
                pos += 4
    return found


@pytest.mark.parametrize("cpu", sorted(RUN_ON))
def test_why_some_cores_run_on_the_m4_model(firmware, build_module, cpu):
    """The reason for RUN_ON, checked: that core's unicorn model cannot run the firmware."""
    from rtdl import Board
    try:
        board = Board(firmware, cpu=cpu)
        fault = board.exec(build_module("hello.c", cpu=cpu)).fault
    except ModuleFault as error:           # the M0 models fail already in rtdl_firmware_init
        fault = error
    assert fault is not None, "%s runs the firmware now: drop it from RUN_ON" % cpu
    assert "usage fault (UNDEFINSTR, undefined instruction)" in str(fault) and "firmware" in str(fault), fault


@pytest.mark.parametrize("cell", CELLS, ids=[cell_id(c) for c in CELLS])
def test_cell(builds, boards, cell):
    cpu, long_calls, opt, visibility, kind = cell
    results = [builds.results[(cell, source)] for source in SOURCES]
    if cpu in ARMV6M and not long_calls and kind == "dyn":
        for result in results:
            assert isinstance(result, Exception), "links now: %s" % result
            assert "link failed" in str(result) and NO_THUMB1_PLT in result.details, result
        pytest.xfail("ld: %s (ARMv6-M ET_DYN needs -mlong-calls)" % NO_THUMB1_PLT)
    for result in results:
        assert not isinstance(result, Exception), "%s\n%s" % (result, result.details)
    if cpu in ARMV6M:
        twin = (cpu, long_calls, opt, visibility, "rel")     # same compile, symbols kept
        for source in SOURCES:
            assert non_armv6m_instructions(builds.results[(twin, source)]) == []
    board = boards(RUN_ON.get(cpu, cpu))
    before = board.heap.snapshot()
    for source, path in zip(SOURCES, results):
        result = board.exec(path)
        assert result.fault is None and result.exit_code == 0, (source, result)
        assert result.output == _expected(source), source
    assert board.heap.snapshot() == before


def test_relocation_types_seen_across_the_matrix(builds, boards, capsys):
    """Which relocation types the loader applied, per ELF type and call model (cells seen in)."""
    resolve = boards("cortex-m4").exports.find
    seen = {}
    builds_in = {}
    columns = [(kind, long_calls) for kind in KINDS for long_calls in LONG_CALLS]
    for (cell, source), path in sorted(builds.results.items(), key=lambda item: str(item[0])):
        if isinstance(path, Exception):
            continue
        cpu, long_calls, opt, visibility, kind = cell
        builds_in[(kind, long_calls)] = builds_in.get((kind, long_calls), 0) + 1
        with open(path, "rb") as f:
            elf = loader.parse(f.read(), path)
        image = loader.prepare(elf, loader.place(elf), 0x20010000, resolve, plan=True)
        for name in set(entry[2] for entry in image.plan):
            counts = seen.setdefault(name, dict((c, 0) for c in columns))
            counts[(kind, long_calls)] += 1
    header = "| type | " + " | ".join("%s %s" % ("ET_DYN" if k == "dyn" else "ET_REL",
                                                 "long" if lc else "short")
                                        for k, lc in columns) + " |"
    rows = [header, "|---" * (len(columns) + 1) + "|"]
    for name in sorted(seen):
        rows.append("| %s | " % name + " | ".join(str(seen[name][c]) for c in columns) + " |")
    with capsys.disabled():
        print("\nrelocation types applied (number of module builds):\n" + "\n".join(rows))
    # Where each type comes from (measured with gcc 12 / binutils 2.40); a toolchain or loader
    # change that moves one shows up here. An ET_DYN is bound through its GOT and PLT by the
    # static linker; an ET_REL leaves the GOT to the loader and every call to it as a BL.
    dyn, rel = [("dyn", True), ("dyn", False)], [("rel", True), ("rel", False)]
    where = {"R_ARM_GLOB_DAT": dyn, "R_ARM_RELATIVE": dyn, "R_ARM_JUMP_SLOT": [("dyn", False)],
             "R_ARM_GOT_BREL": rel, "R_ARM_BASE_PREL": rel, "R_ARM_REL32": rel,
             "R_ARM_THM_CALL": [("rel", False)], "R_ARM_THM_JUMP24": [("rel", False)],
             "R_ARM_ABS32": dyn + rel}
    assert sorted(seen) == sorted(where)
    for name, expected_columns in where.items():
        assert [c for c in columns if seen[name][c]] == [c for c in columns
                                                         if c in expected_columns], name
    assert seen["R_ARM_THM_CALL"][("rel", False)] == builds_in[("rel", False)]


def test_new_code_replaces_translated_code_across_split_ram(board):
    """Found by the matrix: a module loaded where an earlier one ran executed the earlier
    module's translated code. unicorn's remove_cache adds the length to the start page's offset
    in its RAM block, and mem_protect (stack guard pages) splits RAM into several blocks."""
    memory, page = board.memory, board.memory.page_size
    block = board.heap.malloc(4 * page)
    first = (block + page - 1) // page * page          # two whole pages inside the block
    function = first + page + 8                         # in the second page
    memory.protect(first + page, page, False)           # split RAM between the two pages
    memory.protect(first + page, page, True)
    memory.write(function, struct.pack("<HH", 0x2001, 0x4770))      # movs r0, #1; bx lr
    assert board.cpu.call(function | 1) == 1
    memory.write(function, struct.pack("<HH", 0x2002, 0x4770))      # movs r0, #2; bx lr
    memory.invalidate(first, 2 * page)
    assert board.cpu.call(function | 1) == 2
    board.heap.free(block)
