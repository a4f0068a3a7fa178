"""ET_REL modules (`rtdl build --relocatable`, an `ld -r` partial link) load and run exactly like
their ET_DYN builds: every SHF_ALLOC section placed at its alignment in one heap block, COMMON
symbols, merge-string sections, a GOT built by the loader, init/fini arrays in priority order,
veneers for calls into the firmware, and precise errors that leave the heap as it was."""
import os
import struct

import pytest

from rtdl_device import arm_reloc
from rtdl_device import elf32
from rtdl_device import loader
from rtdl_device.rterror import ElfError, RelocationError, UnresolvedSymbolError

EXPECTED = os.path.join(os.path.dirname(__file__), "modules", "expected")
PURE_CODE = ("-mpure-code", "-fno-pic")     # -mpure-code refuses PIC on M-profile


def expected(name):
    with open(os.path.join(EXPECTED, name + ".txt")) as f:
        return f.read()


def read_elf(path):
    with open(path, "rb") as f:
        return elf32.ElfFile(f.read(), path)


def relocation_types(path):
    elf = read_elf(path)
    types = set()
    for sec in elf.sections:
        if sec.type == elf32.SHT_REL or sec.type == elf32.SHT_RELA:
            types.update(rel.type for rel in elf.relocations(sec))
    return set(arm_reloc.type_name(t) for t in types)


def placed(path, board):
    """(elf, placement, image) of an ET_REL linked at the heap's first address, on the host."""
    elf = loader.parse(read_elf(path).data, path)
    placement = loader.place(elf)
    image = loader.prepare(elf, placement, 0x20010000, board.exports.find, plan=True)
    return elf, placement, image


PROGRAMS = [
    ("hello.c", ()),
    ("fptr_table.c", ()),
    ("globals.c", ()),
    ("div64.c", ()),
    ("printf_float.c", ()),
    ("qsort_cb.c", ()),
    ("argv.c", ("one", "two words", "")),
    ("cxx_hello.cpp", ()),
    ("exit_code.c", ()),
]


@pytest.mark.parametrize("source, args", PROGRAMS, ids=[p[0] for p in PROGRAMS])
def test_relocatable_build_runs_like_the_shared_one(board, build_module, source, args):
    name = os.path.splitext(source)[0]
    rel_path = build_module(source, relocatable=True)
    assert read_elf(rel_path).header.type == elf32.ET_REL
    rel = board.exec(rel_path, *args, argv0=name)
    dyn = board.exec(build_module(source), *args, argv0=name)
    assert rel.fault is None and dyn.fault is None, (rel, dyn)
    assert rel.output and (rel.output, rel.exit_code) == (dyn.output, dyn.exit_code)
    if os.path.exists(os.path.join(EXPECTED, name + ".txt")):
        assert rel.output == expected(name)
    assert board.kernel.modules == []


@pytest.mark.parametrize("cpu", ["cortex-m4", "cortex-m0"])
@pytest.mark.parametrize("source", ["hello.c", "div64.c", "qsort_cb.c", "cxx_hello.cpp"])
def test_short_calls_reach_the_firmware_through_veneers(board, build_module, source, cpu):
    # Without -mlong-calls every import is a BL (R_ARM_THM_CALL) from RAM at 0x2000xxxx to the
    # firmware in flash at 0x0000xxxx, 512 MiB away: only a veneer in the block reaches it.
    path = build_module(source, relocatable=True, long_calls=False, cpu=cpu)
    assert "R_ARM_THM_CALL" in relocation_types(path)
    _, placement, image = placed(path, board)
    symbols = placement.symbols
    assert placement.veneers and all(symbols[i].shndx == elf32.SHN_UNDEF
                                     for i in placement.veneers)
    for index, offset in placement.veneers.items():
        target = struct.unpack_from("<I", image.data, offset + loader.VENEER_SIZE - 4)[0]
        assert target == board.exports.find(symbols[index].name) | 1
    result = board.exec(path)
    name = os.path.splitext(source)[0]
    reference = "Hello, world\n" if name == "hello" else expected(name)
    assert result.fault is None and result.exit_code == 0 and result.output == reference


def test_common_symbols_and_merge_strings(board, build_module):
    path = build_module("common_merge.c", relocatable=True, extra_cflags=("-fcommon",))
    elf = read_elf(path)
    symtab = [s for s in elf.sections if s.type == elf32.SHT_SYMTAB][0]
    symbols = elf.symbols(symtab)
    common = dict((s.name, s) for s in symbols if s.shndx == elf32.SHN_COMMON)
    assert set(common) == {"counter", "total", "line"}
    merge = [s for s in elf.sections if s.flags & elf32.SHF_ALLOC
             and s.flags & elf32.SHF_MERGE and s.flags & elf32.SHF_STRINGS]
    assert merge
    # `words` points into a merge-string section through its section symbol plus an addend.
    into_merge = [rel for sec in elf.sections if sec.type == elf32.SHT_REL
                  for rel in elf.relocations(sec)
                  if symbols[rel.sym].type == elf32.STT_SECTION
                  and symbols[rel.sym].shndx in [m.index for m in merge]]
    assert len(into_merge) >= 3

    module = board.load(path)
    block = (module.mem_space, module.mem_space + module.mem_size)
    ranges = []
    for name, sym in common.items():
        address = module.symbols[name]
        assert address % sym.value == 0, (name, hex(address), sym.value)
        assert block[0] <= address and address + sym.size <= block[1]
        ranges.append((address, address + sym.size))
    ranges.sort()
    assert all(a[1] <= b[0] for a, b in zip(ranges, ranges[1:])), ranges
    assert module.symbols["aligned_table"] % 64 == 0
    board.dlclose(module)

    # main dirties .bss, .data and the COMMON block: the second run sees them fresh only if
    # every section is copied and zeroed again (heap memory keeps the first run's bytes).
    first = board.exec(path)
    second = board.exec(path)
    shared = board.exec(build_module("common_merge.c", extra_cflags=("-fcommon",)))
    assert first.output == second.output == shared.output == expected("common_merge")


def test_sections_sit_at_their_alignment_without_overlap(board, build_module):
    path = build_module("common_merge.c", relocatable=True, extra_cflags=("-fcommon",))
    elf, placement, image = placed(path, board)
    allocated = [s for s in elf.sections if s.flags & elf32.SHF_ALLOC]
    assert [s.index for s, _ in placement.sections] == [s.index for s in allocated]
    end = 0
    for sec, offset in placement.sections:
        assert offset % max(sec.addralign, 1) == 0 and offset >= end, (sec.name, offset)
        end = offset + sec.size
        if sec.type == elf32.SHT_NOBITS:
            assert image.data[offset:end] == bytes(sec.size)
    assert placement.align == 64 and end <= placement.got <= placement.size


def test_init_and_fini_arrays_run_in_priority_order(board, build_module):
    rel = board.exec(build_module("ctor_order.c", relocatable=True))
    dyn = board.exec(build_module("ctor_order.c"))
    assert rel.output == dyn.output == expected("ctor_order")


@pytest.mark.parametrize("cpu, wanted", [
    ("cortex-m0", {"R_ARM_THM_ALU_ABS_G0_NC", "R_ARM_THM_ALU_ABS_G1_NC",
                   "R_ARM_THM_ALU_ABS_G2_NC", "R_ARM_THM_ALU_ABS_G3"}),
    ("cortex-m4", {"R_ARM_THM_MOVW_ABS_NC", "R_ARM_THM_MOVT_ABS"}),
])
@pytest.mark.parametrize("long_calls", [True, False])
def test_pure_code_builds_load_their_addresses_with_instructions(board, build_module, cpu,
                                                                wanted, long_calls):
    # -mpure-code: no literal pools; an ARMv6-M builds each address a byte at a time with
    # MOVS/ADDS/LSLS (THM_ALU_ABS_G0..G3), an ARMv7-M with MOVW/MOVT.
    path = build_module("div64.c", relocatable=True, cpu=cpu, long_calls=long_calls,
                        extra_cflags=PURE_CODE)
    assert wanted <= relocation_types(path)
    result = board.exec(path)
    assert result.fault is None and result.output == expected("div64")


def test_library_symbols_and_visibility(board, build_module):
    lib = board.load(build_module("lib.c", lib=True, relocatable=True))
    assert lib.entry == 0 and {"lib_func", "add_func"} <= set(lib.symbols)
    assert board.call(lib, "add_func", 2, 3) == 5 and board.call(lib, "add_func", -7, 3) == -4
    hidden = board.load(build_module("lib.c", lib=True, relocatable=True, visibility="hidden"))
    # like an ET_DYN's .dynsym: hidden symbols are not the module's to give out
    assert "add_func" not in hidden.symbols and "lib_func" not in hidden.symbols
    result = board.exec(build_module("hello.c", relocatable=True, visibility="hidden"))
    assert result.output == "Hello, world\n"       # main is the entry whatever its visibility


def test_thread_stack_size_is_read_from_a_relocatable_module(board, build_module):
    path = build_module("stack_hog.c", relocatable=True)
    module = board.load(path)
    configured = board.memory.read32(module.symbols["dlmodule_thread_stacksize"])
    assert configured == 1024 and module.stack_size == configured
    board.dlclose(module)
    before = board.heap.snapshot()
    result = board.exec(path)
    assert result.fault is not None and "stack overflow" in str(result.fault)
    assert board.heap.snapshot() == before


def test_branch_out_of_range_is_named_and_the_heap_is_unchanged(board, build_module):
    path = build_module("far_call.S", relocatable=True)
    before = board.heap.snapshot()
    with pytest.raises(RelocationError) as info:
        board.load(path)
    message = str(info.value)
    for part in ("far_call", "R_ARM_THM_CALL", "0x08000001", "out of range", "-mlong-calls"):
        assert part in message, message
    assert board.heap.snapshot() == before


def test_unresolved_imports_are_listed_and_the_heap_is_unchanged(board, tmp_path):
    src = tmp_path / "missing_rel.c"
    src.write_text("extern int no_such_function(void);\nextern int no_such_data;\n"
                   "int main(void) { return no_such_function() + no_such_data; }\n")
    from rtdl.build import build_module as build
    path = build([str(src)], str(tmp_path / "missing_rel.o"), relocatable=True)
    before = board.heap.snapshot()
    with pytest.raises(UnresolvedSymbolError) as info:
        board.load(path)
    assert set(info.value.names) == {"no_such_function", "no_such_data"}
    assert "missing_rel.o" in str(info.value)
    assert board.heap.snapshot() == before


def _section_header(elf, index):
    return elf.header.shoff + 40 * index


def _corrupt(path, patch):
    data = bytearray(open(path, "rb").read())
    elf = elf32.ElfFile(bytes(data), path)
    patch(elf, data)
    return bytes(data)


def _first_rel(elf):
    return [s for s in elf.sections if s.type == elf32.SHT_REL
            and elf.sections[s.info].flags & elf32.SHF_ALLOC][0]


def _set_sh_info(elf, data):
    struct.pack_into("<I", data, _section_header(elf, _first_rel(elf).index) + 28, 99)


def _set_sh_link_to_strtab(elf, data):
    strtab = [s for s in elf.sections if s.type == elf32.SHT_STRTAB][0]
    struct.pack_into("<I", data, _section_header(elf, _first_rel(elf).index) + 24, strtab.index)


def _set_r_offset(elf, data):
    rel = _first_rel(elf)
    struct.pack_into("<I", data, rel.offset, elf.sections[rel.info].size - 2)


def _set_r_sym(elf, data):
    rel = _first_rel(elf)
    info = struct.unpack_from("<I", data, rel.offset + 4)[0]
    struct.pack_into("<I", data, rel.offset + 4, (999 << 8) | (info & 0xFF))


def _set_common_alignment(elf, data):
    symtab = [s for s in elf.sections if s.type == elf32.SHT_SYMTAB][0]
    for sym in elf.symbols(symtab):
        if sym.shndx == elf32.SHN_COMMON:
            struct.pack_into("<I", data, symtab.offset + 16 * sym.index + 4, 3)
            return


def _set_section_alignment(elf, data):
    text = [s for s in elf.sections if s.flags & elf32.SHF_EXECINSTR and s.size][0]
    struct.pack_into("<I", data, _section_header(elf, text.index) + 32, 0x10000)


@pytest.mark.parametrize("patch, error, words", [
    (_set_sh_info, ElfError, ["sh_info 99", ".rel"]),
    (_set_sh_link_to_strtab, ElfError, ["sh_link", "symbol table"]),
    (_set_r_offset, RelocationError, ["r_offset", "outside the section"]),
    (_set_r_sym, RelocationError, ["symbol index 999 out of range"]),
    (_set_common_alignment, ElfError, ["COMMON symbol", "alignment 3"]),
    (_set_section_alignment, ElfError, ["alignment 65536", "power of two"]),
], ids=["sh_info", "sh_link", "r_offset", "r_sym", "common_align", "section_align"])
def test_malformed_relocatable_files_are_refused_precisely(board, build_module, tmp_path,
                                                           patch, error, words):
    path = build_module("common_merge.c", relocatable=True, extra_cflags=("-fcommon",))
    bad = tmp_path / "bad_rel.o"
    bad.write_bytes(_corrupt(path, patch))
    board.exec(build_module("hello.c"))      # libc's buffers exist before the snapshot
    before = board.heap.snapshot()
    with pytest.raises(error) as info:
        board.load(str(bad))
    message = str(info.value)
    assert "bad_rel.o" in message and all(w in message for w in words), message
    assert board.heap.snapshot() == before


def test_plan_shows_the_got_and_errors_are_collected(board, build_module):
    path = build_module("div64.c", relocatable=True)
    _, placement, image = placed(path, board)
    kinds = set(entry[2] for entry in image.plan)
    assert {"R_ARM_GOT_BREL", "R_ARM_BASE_PREL", "R_ARM_REL32"} <= kinds
    # one slot per symbol, holding its address; the GOT origin is where the slots begin
    assert len(image.got) >= len(placement.got_slots) > 0
    imports = 0
    for name, slot, value in image.got:
        if board.exports.find(name):
            assert value == board.exports.find(name)
            imports += 1
        else:       # the module's own globals, preemptible in an ET_DYN, are in the block
            assert image.base <= value < image.base + image.size, name
        assert image.read32(slot - image.base) == value
    assert imports and imports < len(image.got)
    base_prel = [e for e in image.plan if e[2] == "R_ARM_BASE_PREL"]
    assert all(e[5] == image.base + placement.got for e in base_prel)

    far = build_module("far_call.S", relocatable=True)
    elf = loader.parse(read_elf(far).data, far)
    errors = []
    loader.prepare(elf, loader.place(elf), 0x20010000, board.exports.find, errors=errors)
    assert len(errors) == 1 and "R_ARM_THM_CALL" in str(errors[0])


def test_unwind_tables_are_placed_and_point_at_their_functions(board, build_module):
    # -funwind-tables adds .ARM.exidx: PREL31 words to each function, and an R_ARM_NONE on
    # __aeabi_unwind_cpp_pr0 that only records a dependency (the firmware need not export it).
    path = build_module("qsort_cb.c", relocatable=True, extra_cflags=("-funwind-tables",))
    assert {"R_ARM_PREL31", "R_ARM_NONE"} <= relocation_types(path)
    elf, placement, image = placed(path, board)
    functions = set(a & ~1 for a in image.symbols.values())
    functions.update(image.address(offset) for sec, offset in placement.sections
                     if sec.flags & elf32.SHF_EXECINSTR)
    exidx = [(sec, offset) for sec, offset in placement.sections if sec.type == 0x70000001]
    assert exidx
    for sec, offset in exidx:
        word = image.read32(offset)
        target = (image.address(offset) + ((word & 0x7FFFFFFF) ^ 0x40000000) - 0x40000000)
        assert target & 0xFFFFFFFF in functions, (sec.name, hex(target))
    result = board.exec(path)
    assert result.fault is None and result.output == expected("qsort_cb")
