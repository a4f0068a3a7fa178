"""elf_fields agrees with elf32: the same formats, and every field of every table entry of the
real test modules reads here as elf32 parses it; a field written through the table is what
elf32 reads back. Portable: plain asserts, CPython and MicroPython alike."""
from rtdl_device import elf32
from rtdl_device.elf_fields import DYN, EHDR, PHDR, REL, RELA, SHDR, SYM
import testdata

# field name -> attribute of elf32's record, where the two names differ beyond the prefix
_ATTRIBUTE = {"sh_name": "name_offset", "r_info.type": "type", "r_info.sym": "sym"}


def _attribute(field):
    if field.name in _ATTRIBUTE:
        return _ATTRIBUTE[field.name]
    return field.name.split("_", 1)[1]


def _same(layout, data, base, record, skip=()):
    for field in layout.fields + layout.mutable:
        if field.name in skip:
            continue
        got = field.get(data, base)
        want = getattr(record, _attribute(field))
        assert got == want & ((1 << (8 * field.size)) - 1), (field.name, got, want)


def _modules():
    for facts in testdata.modules():
        data = testdata.read(facts["file"])
        yield facts["file"], data, elf32.ElfFile(data, facts["file"])


def test_layouts_have_elf32s_formats_and_sizes():
    assert EHDR.format == elf32._EHDR and EHDR.size == 52
    assert PHDR.format == elf32._PHDR and PHDR.size == 32
    assert SHDR.format == elf32._SHDR and SHDR.size == 40
    assert SYM.format == elf32._SYM and SYM.size == 16
    assert (REL.size, RELA.size, DYN.size) == (8, 12, 8)


def test_header_segments_and_sections_read_as_elf32_parses_them():
    for name, data, elf in _modules():
        _same(EHDR, data, 0, elf.header, ("e_ident", "EI_CLASS", "EI_DATA", "EI_VERSION"))
        for part in ("EI_CLASS", "EI_DATA", "EI_VERSION"):
            assert EHDR[part].get(data) == elf.header.ident[EHDR[part].offset], (name, part)
        for seg in elf.segments:
            _same(PHDR, data, elf.header.phoff + PHDR.size * seg.index, seg)
        for sec in elf.sections:
            _same(SHDR, data, elf.header.shoff + SHDR.size * sec.index, sec)


def test_symbols_relocations_and_dynamic_tags_read_as_elf32_parses_them():
    checked = [0, 0, 0]
    for name, data, elf in _modules():
        for sec in elf.sections:
            if sec.type in (elf32.SHT_SYMTAB, elf32.SHT_DYNSYM):
                strtab = elf.sections[sec.link]
                for sym in elf.symbols(sec):
                    base = sec.offset + SYM.size * sym.index
                    _same(SYM, data, base, sym, ("st_name",))
                    offset = SYM["st_name"].get(data, base)
                    assert (elf.string(strtab, offset) if offset else "") == sym.name
                    checked[0] += 1
            elif sec.type in (elf32.SHT_REL, elf32.SHT_RELA):
                layout = REL if sec.type == elf32.SHT_REL else RELA
                for rel in elf.relocations(sec):
                    _same(layout, data, sec.offset + layout.size * rel.index, rel)
                    checked[1] += 1
        for seg in elf.segments:
            if seg.type == elf32.PT_DYNAMIC:
                for i, (tag, value) in enumerate(elf.dynamic_tags()):
                    base = seg.offset + DYN.size * i
                    assert (DYN["d_tag"].get(data, base), DYN["d_val"].get(data, base)) == \
                        (tag, value), (name, i)
                    checked[2] += 1
    assert checked[0] and checked[1] and checked[2], checked


def test_a_field_written_through_the_table_is_what_elf32_reads():
    data = bytearray(testdata.read("hello.mo"))
    elf = elf32.ElfFile(bytes(data), "hello.mo")
    text = elf.section_by_name(".text")
    dynsym = elf.section_by_name(".dynsym")
    reldyn = elf.section_by_name(".rel.dyn")
    EHDR["e_flags"].put(data, 0, 0x05000200)
    PHDR["p_paddr"].put(data, elf.header.phoff, 0x1234)
    SHDR["sh_addr"].put(data, elf.header.shoff + SHDR.size * text.index, 0x5678)
    SYM["st_size"].put(data, dynsym.offset + SYM.size, 0x9ABC)
    REL["r_info.sym"].put(data, reldyn.offset, 0x12)
    REL["r_info.type"].put(data, reldyn.offset, 0x34)
    again = elf32.ElfFile(bytes(data), "hello.mo")
    assert again.header.flags == 0x05000200
    assert again.segments[0].paddr == 0x1234
    assert again.sections[text.index].addr == 0x5678
    rel = again.relocations(again.sections[reldyn.index])[0]
    assert (rel.sym, rel.type) == (0x12, 0x34)
    assert again.symbols(again.sections[dynsym.index])[1].size == 0x9ABC
