"""Every check of the ELF reader and the loader, one malformed file each.

Each file is a real module built by `rtdl build` with one field edited at its offset from the
ELF specification. Loading it on a booted board must raise the documented error class, with a
message that names the file, the offending item and what was expected; dlerror() must report
the same message, and the heap must be exactly as before (walked and compared).
Longer than 400 lines on purpose: it is the catalogue of the reader's checks, one short case
each, read side by side with the code it checks.
"""
import struct
import tracemalloc

import pytest

from rtdl_device import dlfcn
from rtdl_device import elf32
from rtdl_device.elf_fields import DYN, EHDR, PHDR, REL, SHDR, SYM
from rtdl_device import loader
from rtdl_device.rterror import ElfError, HeapError, RelocationError, RtdlError, UnresolvedSymbolError

# the fields the tests edit, from the one ELF field table
EI_CLASS = EHDR["EI_CLASS"]
EI_DATA = EHDR["EI_DATA"]
EI_VERSION = EHDR["EI_VERSION"]
E_TYPE = EHDR["e_type"]
E_MACHINE = EHDR["e_machine"]
E_VERSION = EHDR["e_version"]
E_ENTRY = EHDR["e_entry"]
E_PHOFF = EHDR["e_phoff"]
E_SHOFF = EHDR["e_shoff"]
E_EHSIZE = EHDR["e_ehsize"]
E_PHENTSIZE = EHDR["e_phentsize"]
E_PHNUM = EHDR["e_phnum"]
E_SHENTSIZE = EHDR["e_shentsize"]
E_SHNUM = EHDR["e_shnum"]
E_SHSTRNDX = EHDR["e_shstrndx"]
P_TYPE = PHDR["p_type"]
P_VADDR = PHDR["p_vaddr"]
P_FILESZ = PHDR["p_filesz"]
P_MEMSZ = PHDR["p_memsz"]
P_ALIGN = PHDR["p_align"]
SH_NAME = SHDR["sh_name"]
SH_TYPE = SHDR["sh_type"]
SH_SIZE = SHDR["sh_size"]
SH_LINK = SHDR["sh_link"]
SH_INFO = SHDR["sh_info"]
SH_ADDRALIGN = SHDR["sh_addralign"]
SH_ENTSIZE = SHDR["sh_entsize"]
ST_NAME = SYM["st_name"]
ST_VALUE = SYM["st_value"]
ST_SHNDX = SYM["st_shndx"]
R_OFFSET = REL["r_offset"]
R_TYPE = REL["r_info.type"]
R_INFO = REL["r_info"]
D_TAG = DYN["d_tag"]
D_VAL = DYN["d_val"]

class Module:
    """The bytes of a built module with its tables located by the device's own reader."""

    def __init__(self, path):
        with open(path, "rb") as f:
            self.data = bytearray(f.read())
        self.elf = elf32.ElfFile(bytes(self.data), path)

    def get(self, offset, field):
        return field.get(self.data, offset)

    def put(self, offset, field, value):
        field.put(self.data, offset, value)
        return self

    def header(self, field, value):
        return self.put(0, field, value)

    def phdr(self, index):
        return self.elf.header.phoff + PHDR.size * index

    def shdr(self, name):
        return self.elf.header.shoff + SHDR.size * self.section(name).index

    def section(self, name):
        sec = self.elf.section_by_name(name)
        assert sec is not None, name
        return sec

    def symbol(self, name):
        """(file offset, index) of a .dynsym entry."""
        dynsym = self.section(".dynsym")
        for sym in self.elf.symbols(dynsym):
            if sym.name == name:
                return dynsym.offset + SYM.size * sym.index, sym.index
        raise AssertionError("no dynamic symbol %s" % name)

    def relocation(self, type_name, symbol=None):
        """(file offset, index, Relocation) of the first .rel.dyn entry of that type."""
        reldyn = self.section(".rel.dyn")
        symbols = self.elf.symbols(self.section(".dynsym"))
        for rel in self.elf.relocations(reldyn):
            if loader.arm_reloc.type_name(rel.type) != type_name:
                continue
            if symbol is None or symbols[rel.sym].name == symbol:
                return reldyn.offset + REL.size * rel.index, rel.index, rel
        raise AssertionError("no %s relocation" % type_name)

    def dynamic(self, tag):
        """File offset of the PT_DYNAMIC entry with this tag."""
        for seg in self.elf.segments:
            if seg.type == elf32.PT_DYNAMIC:
                for off in range(seg.offset, seg.offset + seg.filesz, DYN.size):
                    if D_TAG.get(self.data, off) == tag:
                        return off
        raise AssertionError("no dynamic tag %d" % tag)


@pytest.fixture(scope="module")
def shared_board(firmware):
    """One board for every test here: each test proves the heap is as before, so reuse is
    sound (and a leak in one check shows up as a failure of that check)."""
    from rtdl import Board
    return Board(firmware)


@pytest.fixture
def built(build_module):
    def make(source="hello.c", **options):
        return Module(build_module(source, **options))
    return make


def refused(board, tmp_path, data, error_class, *needles, name="bad.mo"):
    """Load `data` as tmp_path/name: it must fail with exactly `error_class`, naming the file
    and every needle, report the message through dlerror() and leave the heap untouched."""
    path = tmp_path / name
    path.write_bytes(bytes(data))
    board.activate()
    before = board.heap.snapshot()
    with pytest.raises(error_class) as info:
        board.load(str(path))
    error = info.value
    message = str(error)
    assert type(error) is error_class, message
    assert message.startswith("%s: " % path), message
    for needle in needles:
        assert needle in message, message
    assert dlfcn.dlerror() == message
    board.heap.check()
    assert board.heap.snapshot() == before
    assert board.kernel.modules == []
    return error


def test_the_unedited_modules_load(shared_board, build_module):
    # the baseline every other test edits: all of them load and close cleanly
    before = shared_board.heap.snapshot()
    for source, options in (("hello.c", {}), ("lib.c", {"lib": True}),
                            ("qsort_cb.c", {}), ("cxx_hello.cpp", {})):
        module = shared_board.load(build_module(source, **options))
        shared_board.dlclose(module)
    assert shared_board.heap.snapshot() == before


# ---------------------------------------------------------------------- ELF header --------

def test_bad_magic(shared_board, built, tmp_path):
    m = built()
    m.data[0:4] = b"\x7fELG"
    refused(shared_board, tmp_path, m.data, ElfError, "bad magic", "expected b'\\x7fELF'")


def test_file_shorter_than_the_header(shared_board, built, tmp_path):
    refused(shared_board, tmp_path, built().data[:40], ElfError, "40 bytes",
            "too short for an ELF header", "at least 52")


def test_elf_class_64(shared_board, built, tmp_path):
    refused(shared_board, tmp_path, built().header(EI_CLASS, 2).data, ElfError,
            "ELF class 2", "expected 1, ELFCLASS32")


def test_big_endian(shared_board, built, tmp_path):
    refused(shared_board, tmp_path, built().header(EI_DATA, 2).data, ElfError,
            "data encoding 2", "little-endian")


def test_ident_version(shared_board, built, tmp_path):
    refused(shared_board, tmp_path, built().header(EI_VERSION, 0).data, ElfError,
            "ident version 0", "EV_CURRENT")


def test_executable_instead_of_shared_object(shared_board, built, tmp_path):
    refused(shared_board, tmp_path, built().header(E_TYPE, elf32.ET_EXEC).data, ElfError,
            "ELF type 2", "ET_DYN")


def test_machine_not_arm(shared_board, built, tmp_path):
    refused(shared_board, tmp_path, built().header(E_MACHINE, 62).data, ElfError,
            "machine 62", "EM_ARM")


def test_header_version(shared_board, built, tmp_path):
    refused(shared_board, tmp_path, built().header(E_VERSION, 2).data, ElfError,
            "e_version 2", "EV_CURRENT")


def test_header_size(shared_board, built, tmp_path):
    refused(shared_board, tmp_path, built().header(E_EHSIZE, 64).data, ElfError,
            "e_ehsize 64", "expected 52")


def test_program_header_entry_size(shared_board, built, tmp_path):
    refused(shared_board, tmp_path, built().header(E_PHENTSIZE, 56).data, ElfError,
            "e_phentsize 56", "expected 32")


def test_section_header_entry_size(shared_board, built, tmp_path):
    refused(shared_board, tmp_path, built().header(E_SHENTSIZE, 64).data, ElfError,
            "e_shentsize 64", "expected 40")


def test_program_headers_past_the_end(shared_board, built, tmp_path):
    m = built()
    refused(shared_board, tmp_path, m.header(E_PHOFF, len(m.data) - 40).data, ElfError,
            "program headers", "extend past the end of the file")


def test_program_header_count_past_the_end(shared_board, built, tmp_path):
    refused(shared_board, tmp_path, built().header(E_PHNUM, 0xFFFF).data, ElfError,
            "program headers (65535 entries", "extend past the end")


def test_section_headers_past_the_end(shared_board, built, tmp_path):
    m = built()
    refused(shared_board, tmp_path, m.header(E_SHOFF, len(m.data) - 100).data, ElfError,
            "section headers", "extend past the end of the file")


def test_section_name_table_index_out_of_range(shared_board, built, tmp_path):
    m = built()
    count = m.elf.header.shnum
    refused(shared_board, tmp_path, m.header(E_SHSTRNDX, count).data, ElfError,
            "e_shstrndx %d" % count, "%d sections" % count)


def test_section_name_table_of_the_wrong_type(shared_board, built, tmp_path):
    m = built()
    index = m.section(".text").index
    refused(shared_board, tmp_path, m.header(E_SHSTRNDX, index).data, ElfError,
            "e_shstrndx %d" % index, "expected SHT_STRTAB")


def test_extended_section_numbering(shared_board, built, tmp_path):
    refused(shared_board, tmp_path, built().header(E_SHNUM, 0).data, ElfError,
            "e_shnum 0", "extended numbering is not supported")


# ------------------------------------------------------------------------ segments -------

def test_segment_bytes_outside_the_file(shared_board, built, tmp_path):
    m = built()
    refused(shared_board, tmp_path, m.put(m.phdr(1), P_FILESZ, len(m.data)).data, ElfError,
            "segment 1: file bytes", "outside the file")


def test_segment_memsz_below_filesz(shared_board, built, tmp_path):
    m = built()
    refused(shared_board, tmp_path, m.put(m.phdr(1), P_MEMSZ, 4).data, ElfError,
            "segment 1", "p_memsz 0x4 is smaller than p_filesz")


def test_segment_end_overflows_32_bits(shared_board, built, tmp_path):
    m = built()
    refused(shared_board, tmp_path, m.put(m.phdr(1), P_MEMSZ, 0xFFFFFFF0).data, ElfError,
            "segment 1", "p_memsz 0xfffffff0 overflows 32 bits")


def test_huge_segment_is_refused_before_any_allocation(shared_board, built, tmp_path):
    m = built()
    m.put(m.phdr(1), P_MEMSZ, 0x7FFFFFF0)
    tracemalloc.start()
    try:
        refused(shared_board, tmp_path, m.data, HeapError, "segment 1",
                "p_memsz 0x7ffffff0", "expected at most")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 16 * 1024 * 1024, "the refused load allocated %d bytes on the host" % peak


def test_huge_segment_is_refused_by_a_dry_run_too(built):
    # `place` without a heap (verifier, dry-run plans) has its own ceiling
    m = built()
    m.put(m.phdr(1), P_MEMSZ, 0x7FFFFFF0)
    with pytest.raises(HeapError) as info:
        loader.place(elf32.ElfFile(bytes(m.data), "dry.mo"))
    assert str(info.value).startswith("dry.mo: segment 1 (p_vaddr")
    assert "expected at most %d" % loader.MAX_IMAGE_SIZE in str(info.value)


def test_module_bigger_than_the_free_heap(shared_board, built, tmp_path):
    m = built()
    total, used, _ = shared_board.heap.info()
    memsz = total - used + 0x1000
    vaddr = m.elf.segments[1].vaddr
    refused(shared_board, tmp_path, m.put(m.phdr(1), P_MEMSZ, memsz).data, HeapError,
            "segment 1 (p_vaddr 0x%x, p_memsz 0x%x)" % (vaddr, memsz),
            "needs a block of %d bytes" % (vaddr + memsz), "the memory available")


def test_segment_alignment_not_a_power_of_two(shared_board, built, tmp_path):
    m = built()
    refused(shared_board, tmp_path, m.put(m.phdr(0), P_ALIGN, 12).data, ElfError,
            "segment 0", "p_align 0xc", "power of two")


def test_segments_out_of_order(shared_board, built, tmp_path):
    m = built()
    refused(shared_board, tmp_path, m.put(m.phdr(1), P_VADDR, 0).put(m.phdr(0), P_VADDR,
                                                                    0x1000).data,
            ElfError, "segment 1", "expected PT_LOAD segments sorted by address")


def test_segments_overlap(shared_board, built, tmp_path):
    m = built()
    first = m.elf.segments[0]
    refused(shared_board, tmp_path, m.put(m.phdr(1), P_VADDR, first.memsz - 4).data, ElfError,
            "segment 1", "overlaps segment 0")


def test_no_loadable_segment(shared_board, built, tmp_path):
    m = built()
    m.put(m.phdr(0), P_TYPE, 0).put(m.phdr(1), P_TYPE, 0)
    refused(shared_board, tmp_path, m.data, ElfError, "no PT_LOAD segment")


def test_entry_outside_the_code(shared_board, built, tmp_path):
    m = built()
    data_vaddr = m.elf.segments[1].vaddr
    refused(shared_board, tmp_path, m.header(E_ENTRY, data_vaddr | 1).data, ElfError,
            "entry point 0x%x" % (data_vaddr | 1), "executable loaded segment")


def test_entry_without_the_thumb_bit(shared_board, built, tmp_path):
    m = built()
    entry = m.elf.header.entry & ~1
    refused(shared_board, tmp_path, m.header(E_ENTRY, entry).data, ElfError,
            "entry point 0x%x" % entry, "Thumb")


# ------------------------------------------------------------------------ sections -------

def test_section_bytes_outside_the_file(shared_board, built, tmp_path):
    m = built()
    index = m.section(".text").index
    refused(shared_board, tmp_path, m.put(m.shdr(".text"), SH_SIZE, len(m.data)).data,
            ElfError, "section %d: bytes" % index, "outside the file")


def test_section_link_out_of_range(shared_board, built, tmp_path):
    m = built()
    index = m.section(".dynamic").index
    refused(shared_board, tmp_path, m.put(m.shdr(".dynamic"), SH_LINK, 99).data, ElfError,
            "section [%d] .dynamic" % index, "sh_link 99 out of range")


def test_relocation_section_info_out_of_range(shared_board, built, tmp_path):
    m = built()
    index = m.section(".rel.dyn").index
    refused(shared_board, tmp_path, m.put(m.shdr(".rel.dyn"), SH_INFO, 99).data, ElfError,
            "section [%d] .rel.dyn" % index, "sh_info 99 out of range")


def test_symbol_table_info_past_the_last_symbol(shared_board, built, tmp_path):
    m = built()
    refused(shared_board, tmp_path, m.put(m.shdr(".dynsym"), SH_INFO, 99).data, ElfError,
            ".dynsym", "sh_info 99 is past the last symbol")


def test_section_alignment_not_a_power_of_two(shared_board, built, tmp_path):
    m = built()
    refused(shared_board, tmp_path, m.put(m.shdr(".text"), SH_ADDRALIGN, 6).data, ElfError,
            ".text", "sh_addralign 0x6", "power of two")


def test_section_name_outside_the_name_table(shared_board, built, tmp_path):
    m = built()
    index = m.section(".text").index
    size = m.section(".shstrtab").size
    refused(shared_board, tmp_path, m.put(m.shdr(".text"), SH_NAME, size + 5).data, ElfError,
            "section %d name" % index, "outside string table", ".shstrtab")


def test_section_name_not_nul_terminated(shared_board, built, tmp_path):
    m = built()
    shstrtab = m.section(".shstrtab")
    last = shstrtab.offset + shstrtab.size - 1
    assert m.data[last] == 0
    m.data[last] = ord("x")            # the last name now runs off the end of its table
    refused(shared_board, tmp_path, m.data, ElfError, "not NUL-terminated", ".shstrtab")


def test_section_name_not_utf8(shared_board, built, tmp_path):
    m = built()
    name = m.section(".shstrtab").offset + m.get(m.shdr(".text"), SH_NAME)
    m.data[name + 1] = 0xFF
    refused(shared_board, tmp_path, m.data, ElfError, "not valid UTF-8", ".shstrtab")


def test_symbol_table_entry_size(shared_board, built, tmp_path):
    m = built()
    refused(shared_board, tmp_path, m.put(m.shdr(".dynsym"), SH_ENTSIZE, 24).data, ElfError,
            ".dynsym", "sh_entsize 24", "expected 16")


def test_symbol_table_size_not_whole_entries(shared_board, built, tmp_path):
    m = built()
    size = m.section(".dynsym").size
    refused(shared_board, tmp_path, m.put(m.shdr(".dynsym"), SH_SIZE, size - 4).data,
            ElfError, ".dynsym", "size %d is not a multiple of 16" % (size - 4))


def test_symbol_table_linked_to_a_non_string_table(shared_board, built, tmp_path):
    m = built()
    text = m.section(".text").index
    refused(shared_board, tmp_path, m.put(m.shdr(".dynsym"), SH_LINK, text).data, ElfError,
            ".dynsym", "sh_link %d names a section of type 1" % text, "expected 3")


def test_relocation_entry_size(shared_board, built, tmp_path):
    m = built()
    refused(shared_board, tmp_path, m.put(m.shdr(".rel.dyn"), SH_ENTSIZE, 12).data, ElfError,
            ".rel.dyn", "sh_entsize 12", "expected 8")


def test_relocation_table_size_not_whole_entries(shared_board, built, tmp_path):
    m = built()
    refused(shared_board, tmp_path, m.put(m.shdr(".rel.dyn"), SH_SIZE, 4).data, ElfError,
            ".rel.dyn", "size 4 is not a multiple of 8")


def test_relocations_linked_to_a_non_symbol_table(shared_board, built, tmp_path):
    m = built()
    text = m.section(".text").index
    refused(shared_board, tmp_path, m.put(m.shdr(".rel.dyn"), SH_LINK, text).data, ElfError,
            ".rel.dyn", "sh_link %d names a section of type 1" % text)


# ------------------------------------------------------------------------- symbols -------

def test_symbol_name_outside_the_string_table(shared_board, built, tmp_path):
    m = built()
    offset, index = m.symbol("puts")
    refused(shared_board, tmp_path, m.put(offset, ST_NAME, 0x7000).data, ElfError,
            "symbol %d name" % index, "outside string table", ".dynstr")


def test_symbol_section_index_out_of_range(shared_board, built, tmp_path):
    m = built()
    offset, index = m.symbol("main")
    refused(shared_board, tmp_path, m.put(offset, ST_SHNDX, 0x1234).data, ElfError,
            "symbol %d 'main'" % index, "st_shndx 0x1234", "SHN_ABS")


def test_relocated_symbol_outside_the_module(shared_board, built, tmp_path):
    m = built("qsort_cb.c")
    dynsym = m.elf.symbols(m.section(".dynsym"))
    rel_offset, rel_index, rel = m.relocation("R_ARM_GLOB_DAT", "printf")
    # make the imported printf a definition far outside the module's segments
    sym_offset = m.section(".dynsym").offset + SYM.size * rel.sym
    m.put(sym_offset, ST_SHNDX, m.section(".text").index).put(sym_offset, ST_VALUE, 0x40000)
    assert dynsym[rel.sym].name == "printf"
    refused(shared_board, tmp_path, m.data, RelocationError,
            "relocation #%d (R_ARM_GLOB_DAT)" % rel_index, "against 'printf'",
            "symbol %d 'printf' has st_value 0x40000" % rel.sym, "outside the module's loaded")


def test_exported_symbol_outside_the_module(shared_board, built, tmp_path):
    m = built("lib.c", lib=True)
    offset, index = m.symbol("add_func")
    refused(shared_board, tmp_path, m.put(offset, ST_VALUE, 0x40001).data, ElfError,
            ".dynsym", "symbol %d 'add_func' has st_value 0x40001" % index,
            "outside the module's loaded segments", name="bad.so")


def test_symbol_running_past_the_end_of_the_module(shared_board, built, tmp_path):
    # cxx_hello's global_greeter is the last 4 bytes of .bss: one byte less of p_memsz and
    # the object (bound through R_ARM_GLOB_DAT, written by the constructor) sticks out
    m = built("cxx_hello.cpp")
    seg = m.elf.segments[1]
    offset, index = m.symbol("global_greeter")
    assert m.get(offset, ST_VALUE) + 4 == seg.vaddr + seg.memsz
    m.put(m.phdr(1), P_MEMSZ, seg.memsz - 1)
    refused(shared_board, tmp_path, m.data, RelocationError, "against 'global_greeter'",
            "symbol %d 'global_greeter' has st_value 0x%x, st_size 4" % (index, seg.vaddr
                                                                        + seg.memsz - 4),
            "outside the module's loaded segments")


# --------------------------------------------------------------------- relocations -------

def test_relocation_symbol_index_out_of_range(shared_board, built, tmp_path):
    m = built()
    offset, index, rel = m.relocation("R_ARM_GLOB_DAT")
    m.put(offset, R_INFO, (0x123 << 8) | rel.type)
    refused(shared_board, tmp_path, m.data, RelocationError,
            "relocation #%d" % index, "symbol index 291 out of range")


def test_unsupported_relocation_type(shared_board, built, tmp_path):
    m = built()
    offset, index, rel = m.relocation("R_ARM_GLOB_DAT")
    refused(shared_board, tmp_path, m.put(offset, R_TYPE, 200).data, RelocationError,
            "relocation #%d (type 200)" % index, "unsupported relocation type 200")


def test_relocation_target_outside_the_module(shared_board, built, tmp_path):
    m = built("qsort_cb.c")
    offset, index, rel = m.relocation("R_ARM_RELATIVE")
    refused(shared_board, tmp_path, m.put(offset, R_OFFSET, 0x10000).data, RelocationError,
            "relocation #%d (R_ARM_RELATIVE)" % index, "at offset 0x10000",
            "outside the module image")


def test_relocation_target_straddling_the_end(shared_board, built, tmp_path):
    m = built("qsort_cb.c")
    offset, index, rel = m.relocation("R_ARM_RELATIVE")
    end = m.elf.segments[1].vaddr + m.elf.segments[1].memsz
    refused(shared_board, tmp_path, m.put(offset, R_OFFSET, end - 2).data, RelocationError,
            "relocation #%d" % index, "outside the module image")


def test_every_unresolved_import_is_reported_together(shared_board, built, tmp_path):
    m = built("qsort_cb.c")
    dynstr = m.section(".dynstr")
    names = []
    for name in ("printf", "bsearch", "strcmp"):
        start = m.data.index(name.encode() + b"\0", dynstr.offset)
        m.data[start] = ord("X")
        names.append("X" + name[1:])
    error = refused(shared_board, tmp_path, m.data, UnresolvedSymbolError,
                    "undefined symbols not exported by the firmware", *names)
    assert sorted(error.names) == sorted(names)


# ------------------------------------------------------------------ dynamic section -------

def test_init_array_outside_the_module(shared_board, built, tmp_path):
    m = built("cxx_hello.cpp")
    offset = m.dynamic(elf32.DT_INIT_ARRAY)
    refused(shared_board, tmp_path, m.put(offset, D_VAL, 0x90000).data, ElfError,
            ".init_array at 0x90000", "not a word array inside the module")


def test_init_array_size_not_whole_words(shared_board, built, tmp_path):
    m = built("cxx_hello.cpp")
    offset = m.dynamic(elf32.DT_INIT_ARRAYSZ)
    refused(shared_board, tmp_path, m.put(offset, D_VAL, 6).data, ElfError,
            ".init_array", "(6 bytes)", "not a word array")


def test_constructor_outside_the_module_code(shared_board, built, tmp_path):
    m = built("cxx_hello.cpp")
    init_array = m.section(".init_array")
    data_vaddr = m.elf.segments[1].vaddr
    # the slot's stored value is the addend of its R_ARM_RELATIVE: point it at data
    struct.pack_into("<I", m.data, init_array.offset, data_vaddr | 1)
    refused(shared_board, tmp_path, m.data, ElfError, ".init_array entry 0",
            "expected a Thumb function inside the module's code")


def test_constructor_without_the_thumb_bit(shared_board, built, tmp_path):
    m = built("cxx_hello.cpp")
    init_array = m.section(".init_array")
    fn = struct.unpack_from("<I", m.data, init_array.offset)[0]
    struct.pack_into("<I", m.data, init_array.offset, fn & ~1)
    refused(shared_board, tmp_path, m.data, ElfError, ".init_array entry 0", "Thumb function")


def test_module_priority_symbol_out_of_range(shared_board, build_module, tmp_path):
    src = tmp_path / "prio.c"
    src.write_text("int dlmodule_thread_priority = 40;\nint main(void) { return 0; }\n")
    from rtdl.build import build_module as build
    path = build([str(src)], str(tmp_path / "prio.mo"))
    with open(path, "rb") as f:
        data = f.read()
    error = refused(shared_board, tmp_path, data, RtdlError, "dlmodule_thread_priority 40",
                    "expected 0..31", name="prio2.mo")
    assert error.errno == 22


def test_module_init_that_is_not_code(shared_board, tmp_path):
    src = tmp_path / "init_data.c"
    src.write_text("int module_init = 1;\nint main(void) { return module_init; }\n")
    from rtdl.build import build_module as build
    path = build([str(src)], str(tmp_path / "init_data.mo"))
    with open(path, "rb") as f:
        data = f.read()
    refused(shared_board, tmp_path, data, ElfError, "symbol 'module_init'",
            "expected a Thumb function inside the module's code")


# ------------------------------------------------- ET_REL (rtdl build --relocatable) -------

def test_relocatable_got_relocation_without_a_symbol(shared_board, built, tmp_path):
    m = built("hello.c", relocatable=True)
    relsec = [s for s in m.elf.sections if s.type == elf32.SHT_REL][0]
    got = [r for r in m.elf.relocations(relsec)
           if loader.arm_reloc.type_name(r.type) == "R_ARM_GOT_BREL"][0]
    m.put(relsec.offset + REL.size * got.index, R_INFO, got.type)   # symbol 0
    refused(shared_board, tmp_path, m.data, RelocationError,
            "relocation #%d (R_ARM_GOT_BREL)" % got.index, "needs a GOT entry but names no "
            "symbol", name="bad.o")


def test_relocatable_relocations_of_a_null_section(shared_board, built, tmp_path):
    m = built("hello.c", relocatable=True)
    relsec = [s for s in m.elf.sections if s.type == elf32.SHT_REL][0]
    target = m.elf.sections[relsec.info]
    m.put(m.elf.header.shoff + SHDR.size * target.index, SH_TYPE, elf32.SHT_NULL)
    refused(shared_board, tmp_path, m.data, ElfError,
            "relocation section [%d] %s relocates [%d] %s, which is SHT_NULL"
            % (relsec.index, relsec.name, target.index, target.name),
            "expected a section with contents", name="bad.o")


def test_relocatable_symbol_outside_its_section(shared_board, built, tmp_path):
    m = built("hello.c", relocatable=True)
    symtab = m.section(".symtab")
    main = [s for s in m.elf.symbols(symtab) if s.name == "main"][0]
    m.put(symtab.offset + SYM.size * main.index, ST_VALUE, 0x10001)
    refused(shared_board, tmp_path, m.data, RelocationError, "symbol %d 'main'" % main.index,
            "st_value 0x10001 outside its section", name="bad.o")
