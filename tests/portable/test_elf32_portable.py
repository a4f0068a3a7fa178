"""elf32 on real built modules, compared with what pyelftools read on the host (index.json),
and on copies corrupted here with bytearray edits. Portable: plain asserts, CPython and
MicroPython alike."""
from rtdl_device import elf32
from rtdl_device.elf_fields import EHDR, PHDR, SHDR, SYM
from rtdl_device import rterror
import testdata
from testdata import raises

E_IDENT_CLASS = EHDR["EI_CLASS"]
E_IDENT_DATA = EHDR["EI_DATA"]
E_MACHINE = EHDR["e_machine"]
E_PHOFF = EHDR["e_phoff"]
E_SHOFF = EHDR["e_shoff"]
E_PHENTSIZE = EHDR["e_phentsize"]
E_PHNUM = EHDR["e_phnum"]
E_SHENTSIZE = EHDR["e_shentsize"]
E_SHSTRNDX = EHDR["e_shstrndx"]
P_OFFSET = PHDR["p_offset"]
P_FILESZ = PHDR["p_filesz"]
P_MEMSZ = PHDR["p_memsz"]
SH_OFFSET = SHDR["sh_offset"]
SH_SIZE = SHDR["sh_size"]
SH_LINK = SHDR["sh_link"]
SH_ENTSIZE = SHDR["sh_entsize"]
ST_NAME = SYM["st_name"]

def _parse(name):
    return elf32.ElfFile(testdata.read(name), name)


def _hello():
    return bytearray(testdata.read("hello.mo"))


def _section_header(data, index):
    return E_SHOFF.get(data) + SHDR.size * index


def _program_header(data, index):
    return E_PHOFF.get(data) + PHDR.size * index


def _section_index(facts, name):
    for i in range(len(facts["sections"])):
        if facts["sections"][i][0] == name:
            return i
    raise AssertionError("%s has no section %s" % (facts["file"], name))


def _first_pt_load(facts, data):
    phnum = E_PHNUM.get(data)
    for i in range(phnum):
        if PHDR["p_type"].get(data, _program_header(data, i)) == elf32.PT_LOAD:
            return i
    raise AssertionError("%s has no PT_LOAD" % facts["file"])


def _rejects(data, *keywords):
    """ElfFile(data) fails with an ElfError naming the file and the offending item."""
    e = raises(rterror.ElfError, elf32.ElfFile, bytes(data), "bad.mo")
    return _names(e, keywords)


def _names(error, keywords):
    text = str(error)
    assert error.errno == rterror.ENOEXEC, text
    assert text.startswith("bad.mo: "), text
    assert [k for k in keywords if k in text], "%r names none of %r" % (text, keywords)
    return text


def test_header_matches_pyelftools():
    for facts in testdata.modules():
        h = _parse(facts["file"]).header
        got = (h.type, h.machine, h.entry, h.flags, h.phnum, h.shnum, h.shstrndx)
        want = (facts["type"], facts["machine"], facts["entry"], facts["flags"], facts["phnum"],
                facts["shnum"], facts["shstrndx"])
        assert got == want, "%s: %r != %r" % (facts["file"], got, want)
        assert h.ident[:4] == b"\x7fELF"


def test_load_segments_match_pyelftools():
    for facts in testdata.modules():
        got = [[s.offset, s.vaddr, s.filesz, s.memsz, s.flags, s.align]
               for s in _parse(facts["file"]).load_segments()]
        assert got == facts["load_segments"], "%s: %r" % (facts["file"], got)
        assert bool(got) == (facts["type"] != elf32.ET_REL), facts["file"]


def test_sections_match_pyelftools():
    for facts in testdata.modules():
        elf = _parse(facts["file"])
        got = [[s.name, s.type, s.flags, s.addr, s.offset, s.size, s.link, s.info]
               for s in elf.sections]
        assert got == facts["sections"], "%s: %r" % (facts["file"], got)
        for i in range(len(elf.sections)):
            assert elf.sections[i].index == i
        table = elf.section_by_name(facts["symtab"])
        assert table.type == (elf32.SHT_SYMTAB if facts["type"] == elf32.ET_REL
                              else elf32.SHT_DYNSYM), facts["file"]
        assert elf.section_by_name(".no_such_section") is None


def test_symbols_match_pyelftools():
    for facts in testdata.modules():
        elf = _parse(facts["file"])
        table = elf.section_by_name(facts["symtab"])
        got = [[s.name, s.value, s.info, s.shndx, s.size] for s in elf.symbols(table)]
        assert got == facts["symbols"], "%s: %r" % (facts["file"], got)
        strings = ".strtab" if facts["type"] == elf32.ET_REL else ".dynstr"
        assert elf.linked_section(table, (elf32.SHT_STRTAB,), "t").name == strings


def test_hello_imports_puts_and_defines_main():
    elf = _parse("hello.mo")
    symbols = {}
    for sym in elf.symbols(elf.section_by_name(".dynsym")):
        symbols[sym.name] = sym
    assert not symbols["puts"].defined and symbols["puts"].bind == elf32.STB_GLOBAL
    assert symbols["main"].defined and symbols["main"].type == elf32.STT_FUNC
    assert symbols["main"].value == elf.header.entry      # Thumb bit included in both


def test_relocations_match_pyelftools():
    for facts in testdata.modules():
        elf = _parse(facts["file"])
        got = []
        for sec in elf.sections:
            if sec.type != elf32.SHT_REL and sec.type != elf32.SHT_RELA:
                continue
            table = elf.linked_section(sec, (elf32.SHT_DYNSYM, elf32.SHT_SYMTAB), "r")
            symbols = elf.symbols(table)
            for rel in elf.relocations(sec):
                assert rel.addend is None or sec.type == elf32.SHT_RELA
                got.append([sec.name, rel.offset, rel.type, rel.sym, symbols[rel.sym].name])
        want = [r[:5] for r in facts["relocations"]]
        assert got == want, "%s: %r != %r" % (facts["file"], got, want)


def test_relocation_types_cover_the_modules_flags():
    # ET_DYN: ABS32, GLOB_DAT, JUMP_SLOT, RELATIVE; ET_REL: ABS32, REL32, THM_CALL, BASE_PREL,
    # GOT_BREL, TARGET1
    for kind, types in ((elf32.ET_DYN, (2, 21, 22, 23)), (elf32.ET_REL, (2, 3, 10, 25, 26, 38))):
        seen = {}
        for facts in testdata.modules():
            if facts["type"] == kind:
                for rel in facts["relocations"]:
                    seen[rel[2]] = True
        for rtype in types:
            assert rtype in seen, "no ELF type %d test module has a relocation of type %d" % (
                kind, rtype)


def test_dynamic_tags_name_the_init_array():
    facts = testdata.module("cxx_hello.mo")
    elf = _parse("cxx_hello.mo")
    tags = {}
    for tag, value in elf.dynamic_tags():
        tags[tag] = value
    init = facts["sections"][_section_index(facts, ".init_array")]
    assert tags[elf32.DT_INIT_ARRAY] == init[3]
    assert tags[elf32.DT_INIT_ARRAYSZ] == init[5] > 0


def test_accepts_bytearray_and_names_errors_with_the_given_name():
    elf = elf32.ElfFile(_hello(), "copy.mo")
    assert elf.name == "copy.mo" and elf.header.type == elf32.ET_DYN
    assert str(elf.error("x")) == "copy.mo: x"


def test_rejects_bad_magic():
    _rejects(b"\x7fELG" + bytes(_hello()[4:]), "magic")
    _rejects(b"MZ\x90\x00" + bytes(60), "magic")


def test_rejects_short_file():
    _rejects(_hello()[:40], "short", "bytes")
    _rejects(b"", "magic", "short", "bytes")


def test_rejects_wrong_class_encoding_and_machine():
    _rejects(E_IDENT_CLASS.put(_hello(), 0, 2), "class")
    _rejects(E_IDENT_DATA.put(_hello(), 0, 2), "encoding", "endian")
    _rejects(E_MACHINE.put(_hello(), 0, 3), "machine")


def test_rejects_header_tables_outside_the_file():
    data = _hello()
    _rejects(E_PHOFF.put(_hello(), 0, len(data) - 8), "program header")
    _rejects(E_SHOFF.put(_hello(), 0, 0xFFFFFF00), "section header")
    _rejects(E_PHNUM.put(_hello(), 0, 0xFFFF), "program header")
    _rejects(E_PHENTSIZE.put(_hello(), 0, 20), "phentsize")
    _rejects(E_SHENTSIZE.put(_hello(), 0, 64), "shentsize")


def test_rejects_shstrndx_out_of_range_or_not_a_string_table():
    facts = testdata.module("hello.mo")
    _rejects(E_SHSTRNDX.put(_hello(), 0, facts["shnum"]), "shstrndx")
    _rejects(E_SHSTRNDX.put(_hello(), 0, _section_index(facts, ".text")), "shstrndx")


def test_rejects_segment_outside_the_file_or_smaller_in_memory():
    facts = testdata.module("hello.mo")
    data = _hello()
    ph = _program_header(data, _first_pt_load(facts, data))
    size = len(data) + 1
    grown = P_MEMSZ.put(P_FILESZ.put(_hello(), ph, size), ph, size)
    _rejects(grown, "outside")
    _rejects(P_OFFSET.put(_hello(), ph, 0xFFFFFFF0), "outside")
    filesz = P_FILESZ.get(data, ph)
    _rejects(P_MEMSZ.put(_hello(), ph, filesz - 1), "memsz")


def test_rejects_section_outside_the_file():
    facts = testdata.module("hello.mo")
    data = _hello()
    sh = _section_header(data, _section_index(facts, ".text"))
    _rejects(SH_SIZE.put(_hello(), sh, len(data)), "section")
    _rejects(SH_OFFSET.put(_hello(), sh, 0xFFFFFFF0), "section")


def test_rejects_bad_symbol_and_relocation_tables():
    facts = testdata.module("hello.mo")
    dynsym = _section_index(facts, ".dynsym")
    rel = _section_index(facts, ".rel.dyn")
    data = SH_ENTSIZE.put(_hello(), _section_header(_hello(), dynsym), 12)
    elf = elf32.ElfFile(bytes(data), "bad.mo")
    _names(raises(rterror.ElfError, elf.symbols, elf.sections[dynsym]), ("entsize",))
    data = SH_LINK.put(_hello(), _section_header(_hello(), dynsym),
                       _section_index(facts, ".text"))
    elf = elf32.ElfFile(bytes(data), "bad.mo")
    _names(raises(rterror.ElfError, elf.symbols, elf.sections[dynsym]), ("sh_link",))
    data = SH_ENTSIZE.put(_hello(), _section_header(_hello(), rel), 12)
    elf = elf32.ElfFile(bytes(data), "bad.mo")
    _names(raises(rterror.ElfError, elf.relocations, elf.sections[rel]), ("entsize",))
    data = SH_SIZE.put(_hello(), _section_header(_hello(), rel), 12)
    elf = elf32.ElfFile(bytes(data), "bad.mo")
    _names(raises(rterror.ElfError, elf.relocations, elf.sections[rel]), ("multiple", "size"))


def test_rejects_symbol_names_outside_or_unterminated():
    facts = testdata.module("hello.mo")
    dynsym = facts["sections"][_section_index(facts, ".dynsym")]
    dynstr = facts["sections"][_section_index(facts, ".dynstr")]
    puts = [s[0] for s in facts["symbols"]].index("puts")
    data = ST_NAME.put(_hello(), dynsym[4] + SYM.size * puts, dynstr[5] + 100)
    elf = elf32.ElfFile(bytes(data), "bad.mo")
    _names(raises(rterror.ElfError, elf.symbols, elf.section_by_name(".dynsym")),
           ("outside", "string table"))
    data = _hello()
    end = dynstr[4] + dynstr[5]
    data[dynstr[4]:end] = b"x" * dynstr[5]          # no NUL left in .dynstr
    elf = elf32.ElfFile(bytes(data), "bad.mo")
    _names(raises(rterror.ElfError, elf.symbols, elf.section_by_name(".dynsym")),
           ("NUL", "terminated"))


def _read_everything(elf):
    for sec in elf.sections:
        if sec.type == elf32.SHT_DYNSYM or sec.type == elf32.SHT_SYMTAB:
            elf.symbols(sec)
        elif sec.type == elf32.SHT_REL or sec.type == elf32.SHT_RELA:
            elf.relocations(sec)
    elf.dynamic_tags()


def test_every_truncation_is_an_elf_error():
    data = testdata.read("hello.mo")
    accepted = 0
    for size in range(0, len(data), 3):
        try:
            elf = elf32.ElfFile(data[:size], "cut.mo")
            _read_everything(elf)
            accepted += 1
        except rterror.ElfError as e:
            assert str(e).startswith("cut.mo: "), str(e)
    # The section header table is the last thing in the file: no cut leaves it whole.
    assert accepted == 0, accepted
