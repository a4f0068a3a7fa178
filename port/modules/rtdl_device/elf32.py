"""ELF32 little-endian reader built on `struct`, with every offset, size and index checked.

One class, ElfFile, over the bytes of a whole file; plain tuples-with-names classes for the
header, segments, sections, symbols and relocations. Every problem raises rterror.ElfError
naming the file, the item and what was expected. Imports: struct, rterror.
It stays one file of about 400 lines: the reads and the checks of every table are one
responsibility, and the loader, the verifier and the fuzzer each meet the file through it.
"""
import struct

from .rterror import ElfError

try:
    from micropython import const
except ImportError:
    def const(x):
        return x

# e_ident / header values
ELFCLASS32 = const(1)
ELFDATA2LSB = const(1)
ET_REL = const(1)
ET_EXEC = const(2)
ET_DYN = const(3)
EM_ARM = const(40)
EV_CURRENT = const(1)

# program header types
PT_LOAD = const(1)
PT_DYNAMIC = const(2)
PF_X = const(1)
PF_W = const(2)
PF_R = const(4)

# section header types and flags
SHT_NULL = const(0)
SHT_PROGBITS = const(1)
SHT_SYMTAB = const(2)
SHT_STRTAB = const(3)
SHT_RELA = const(4)
SHT_DYNAMIC = const(6)
SHT_NOBITS = const(8)
SHT_REL = const(9)
SHT_DYNSYM = const(11)
SHT_INIT_ARRAY = const(14)
SHT_FINI_ARRAY = const(15)
SHT_PREINIT_ARRAY = const(16)
SHF_WRITE = const(1)
SHF_ALLOC = const(2)
SHF_EXECINSTR = const(4)
SHF_MERGE = const(0x10)
SHF_STRINGS = const(0x20)

# symbols
SHN_UNDEF = const(0)
SHN_LORESERVE = const(0xFF00)
SHN_ABS = const(0xFFF1)
SHN_COMMON = const(0xFFF2)
STB_LOCAL = const(0)
STB_GLOBAL = const(1)
STB_WEAK = const(2)
STT_NOTYPE = const(0)
STT_OBJECT = const(1)
STT_FUNC = const(2)
STT_SECTION = const(3)
STT_FILE = const(4)

# dynamic tags
DT_NULL = const(0)
DT_INIT = const(12)
DT_FINI = const(13)
DT_INIT_ARRAY = const(25)
DT_FINI_ARRAY = const(26)
DT_INIT_ARRAYSZ = const(27)
DT_FINI_ARRAYSZ = const(28)

# e_flags: EABI version 5, soft-float / hard-float marks
EF_ARM_EABIMASK = const(0xFF000000)
EF_ARM_ABI_FLOAT_SOFT = const(0x200)
EF_ARM_ABI_FLOAT_HARD = const(0x400)

_EHDR = "<16sHHIIIIIHHHHHH"
_EHDR_SIZE = const(52)
_PHDR = "<IIIIIIII"
_PHDR_SIZE = const(32)
_SHDR = "<IIIIIIIIII"
_SHDR_SIZE = const(40)
_SYM = "<IIIBBH"
_SYM_SIZE = const(16)
_REL_SIZE = const(8)
_RELA_SIZE = const(12)

ELF_MAGIC = b"\x7fELF"
RTM_MAGIC = b"\x7fRTM"


class Header:
    def __init__(self, fields):
        (self.ident, self.type, self.machine, self.version, self.entry, self.phoff,
         self.shoff, self.flags, self.ehsize, self.phentsize, self.phnum, self.shentsize,
         self.shnum, self.shstrndx) = fields


class Segment:
    def __init__(self, index, fields):
        self.index = index
        (self.type, self.offset, self.vaddr, self.paddr, self.filesz, self.memsz,
         self.flags, self.align) = fields


class Section:
    def __init__(self, index, fields):
        self.index = index
        (self.name_offset, self.type, self.flags, self.addr, self.offset, self.size,
         self.link, self.info, self.addralign, self.entsize) = fields
        self.name = ""


class Symbol:
    """One symbol; `bind`, `type` and `defined` are worked out once (the linker asks often)."""

    def __init__(self, index, name, fields):
        self.index = index
        self.name = name
        self.value, self.size, self.info, self.other, self.shndx = fields
        self.bind = self.info >> 4
        self.type = self.info & 0xF
        self.defined = self.shndx != SHN_UNDEF


class Relocation:
    def __init__(self, index, offset, info, addend):
        self.index = index
        self.offset = offset
        self.info = info
        self.sym = info >> 8
        self.type = info & 0xFF
        self.addend = addend  # None for REL: the addend is stored at the place


class ElfFile:
    """A parsed ELF32 little-endian ARM file. `name` is used in every error message."""

    def __init__(self, data, name="<module>"):
        if not isinstance(data, bytes):
            data = bytes(data)
        self.data = data
        self.name = name
        self.prelinked = False
        self._symbol_tables = {}         # section index -> [Symbol], parsed on first use
        self._relocation_words = {}      # section index -> relocation_words()
        self.header = self._read_header()
        self.segments = self._read_segments()
        self.sections = self._read_sections()

    # -- errors and raw access ---------------------------------------------------------
    def error(self, message, field=None, expected=None):
        return ElfError(message, self.name, field, expected)

    def _unpack(self, fmt, size, offset, what):
        if offset < 0 or offset + size > len(self.data):
            raise self.error("%s at file offset 0x%x (%d bytes) lies outside the file of %d bytes"
                             % (what, offset, size, len(self.data)))
        return struct.unpack_from(fmt, self.data, offset)

    def _table_range(self, offset, count, entsize, what):
        end = offset + count * entsize
        if count and (offset < 0 or end > len(self.data)):
            raise self.error("%s (%d entries of %d bytes at offset 0x%x) extend past the end of "
                             "the file (%d bytes)" % (what, count, entsize, offset, len(self.data)))

    # -- header ------------------------------------------------------------------------
    def _read_header(self):
        magic = bytes(self.data[0:4])
        if magic == RTM_MAGIC:
            self.prelinked = True
        elif magic != ELF_MAGIC:
            raise self.error("bad magic %r (expected b'\\x7fELF': not an ELF file)" % magic)
        if len(self.data) < _EHDR_SIZE:
            raise self.error("file is %d bytes, too short for an ELF header (expected at least %d)"
                             % (len(self.data), _EHDR_SIZE))
        if self.data[4] != ELFCLASS32:
            raise self.error("ELF class %d (expected 1, ELFCLASS32)" % self.data[4])
        if self.data[5] != ELFDATA2LSB:
            raise self.error("ELF data encoding %d (expected 1, little-endian)" % self.data[5])
        if self.data[6] != EV_CURRENT:
            raise self.error("ELF ident version %d (expected 1, EV_CURRENT)" % self.data[6])
        header = Header(struct.unpack_from(_EHDR, self.data, 0))
        if header.machine != EM_ARM:
            raise self.error("machine %d (expected 40, EM_ARM)" % header.machine)
        if header.version != EV_CURRENT:
            raise self.error("e_version %d (expected 1, EV_CURRENT)" % header.version)
        if header.ehsize != _EHDR_SIZE:
            raise self.error("e_ehsize %d (expected %d)" % (header.ehsize, _EHDR_SIZE))
        if header.phnum and header.phentsize != _PHDR_SIZE:
            raise self.error("e_phentsize %d (expected %d)" % (header.phentsize, _PHDR_SIZE))
        if header.shnum and header.shentsize != _SHDR_SIZE:
            raise self.error("e_shentsize %d (expected %d)" % (header.shentsize, _SHDR_SIZE))
        self._table_range(header.phoff, header.phnum, _PHDR_SIZE, "program headers")
        self._table_range(header.shoff, header.shnum, _SHDR_SIZE, "section headers")
        if header.shnum and header.shstrndx >= header.shnum:
            raise self.error("e_shstrndx %d is not a section index (file has %d sections)"
                             % (header.shstrndx, header.shnum))
        if not header.shnum and header.shoff:
            # e_shnum 0 with a table means extended numbering (the count is in section 0)
            raise self.error("e_shnum 0 with e_shoff 0x%x (expected no section header table, "
                             "or its size in e_shnum: extended numbering is not supported)"
                             % header.shoff)
        return header

    def _read_segments(self):
        segments = []
        for i in range(self.header.phnum):
            seg = Segment(i, struct.unpack_from(_PHDR, self.data, self.header.phoff + i * _PHDR_SIZE))
            if seg.type == PT_LOAD or seg.type == PT_DYNAMIC:
                if seg.offset + seg.filesz > len(self.data):
                    raise self.error("segment %d: file bytes 0x%x..0x%x lie outside the file (%d bytes)"
                                     % (i, seg.offset, seg.offset + seg.filesz, len(self.data)))
                if seg.memsz < seg.filesz:
                    raise self.error("segment %d: p_memsz 0x%x is smaller than p_filesz 0x%x"
                                     % (i, seg.memsz, seg.filesz))
                if seg.vaddr + seg.memsz > 0xFFFFFFFF:
                    raise self.error("segment %d: p_vaddr 0x%x + p_memsz 0x%x overflows 32 bits"
                                     % (i, seg.vaddr, seg.memsz))
                if seg.align & (seg.align - 1):
                    raise self.error("segment %d: p_align 0x%x (expected 0 or a power of two)"
                                     % (i, seg.align))
            segments.append(seg)
        return segments

    def _read_sections(self):
        sections = []
        for i in range(self.header.shnum):
            sec = Section(i, struct.unpack_from(_SHDR, self.data, self.header.shoff + i * _SHDR_SIZE))
            if sec.type != SHT_NOBITS and sec.type != SHT_NULL:
                if sec.offset + sec.size > len(self.data):
                    raise self.error("section %d: bytes 0x%x..0x%x lie outside the file (%d bytes)"
                                     % (i, sec.offset, sec.offset + sec.size, len(self.data)))
            sections.append(sec)
        if sections:
            shstr = sections[self.header.shstrndx]
            if shstr.type != SHT_STRTAB:
                raise self.error("e_shstrndx %d names a section of type %d (expected SHT_STRTAB)"
                                 % (self.header.shstrndx, shstr.type))
            # the table's own name first, so that errors about the other names can say it
            shstr.name = self.string(shstr, shstr.name_offset, "section %d name" % shstr.index)
            for sec in sections:
                sec.name = self.string(shstr, sec.name_offset, "section %d name" % sec.index)
        for sec in sections:
            self._check_section_links(sec, len(sections))
        return sections

    def _check_section_links(self, sec, count):
        if sec.link >= count:
            raise self.error("section [%d] %s: sh_link %d out of range (file has %d sections)"
                             % (sec.index, sec.name, sec.link, count))
        if sec.addralign & (sec.addralign - 1):
            raise self.error("section [%d] %s: sh_addralign 0x%x (expected 0 or a power of two)"
                             % (sec.index, sec.name, sec.addralign))
        if sec.type == SHT_REL or sec.type == SHT_RELA:
            # sh_info: the section the entries apply to (0 for a dynamic relocation table)
            if sec.info >= count:
                raise self.error("section [%d] %s: sh_info %d out of range (expected the index "
                                 "of the section it relocates, file has %d sections)"
                                 % (sec.index, sec.name, sec.info, count))
        elif sec.type == SHT_SYMTAB or sec.type == SHT_DYNSYM:
            # sh_info: one past the last local symbol
            if sec.info > sec.size // _SYM_SIZE:
                raise self.error("section [%d] %s: sh_info %d is past the last symbol (expected "
                                 "the first non-local symbol index, table has %d symbols)"
                                 % (sec.index, sec.name, sec.info, sec.size // _SYM_SIZE))

    # -- strings, symbols, relocations ---------------------------------------------------
    def string(self, strtab, offset, what="string"):
        """The NUL-terminated string at `offset` in section `strtab`, checked to end inside it."""
        if offset >= strtab.size:
            raise self.error("%s: offset %d is outside string table [%d] %s (%d bytes)"
                             % (what, offset, strtab.index, strtab.name, strtab.size))
        start = strtab.offset + offset
        end = self.data.find(b"\0", start, strtab.offset + strtab.size)
        if end < 0:
            raise self.error("%s at offset %d in string table [%d] %s is not NUL-terminated"
                             % (what, offset, strtab.index, strtab.name))
        try:
            return str(bytes(self.data[start:end]), "utf-8")
        except ValueError:      # UnicodeError: CPython and MicroPython both derive it so
            raise self.error("%s at offset %d in string table [%d] %s is not valid UTF-8"
                             % (what, offset, strtab.index, strtab.name))

    def section(self, index, what):
        if index >= len(self.sections):
            raise self.error("%s: section index %d out of range (file has %d sections)"
                             % (what, index, len(self.sections)))
        return self.sections[index]

    def section_by_name(self, name):
        for sec in self.sections:
            if sec.name == name:
                return sec
        return None

    def linked_section(self, sec, expected_types, what):
        """The section `sec.sh_link` names, checked to be one of `expected_types`."""
        linked = self.section(sec.link, "%s [%d] %s sh_link" % (what, sec.index, sec.name))
        if linked.type not in expected_types:
            raise self.error("section [%d] %s: sh_link %d names a section of type %d (expected %s)"
                             % (sec.index, sec.name, sec.link, linked.type,
                                " or ".join([str(t) for t in expected_types])))
        return linked

    def symbols(self, symtab):
        """All symbols of a SHT_SYMTAB/SHT_DYNSYM section, names resolved. Parsed once per
        table (the loader asks for the same table when linking and again for the dlsym
        table); the list is shared, so callers must not change it."""
        cached = self._symbol_tables.get(symtab.index)
        if cached is not None:
            return cached
        if symtab.entsize != _SYM_SIZE:
            raise self.error("symbol table [%d] %s: sh_entsize %d (expected %d)"
                             % (symtab.index, symtab.name, symtab.entsize, _SYM_SIZE))
        if symtab.size % _SYM_SIZE:
            raise self.error("symbol table [%d] %s: size %d is not a multiple of %d"
                             % (symtab.index, symtab.name, symtab.size, _SYM_SIZE))
        strtab = self.linked_section(symtab, (SHT_STRTAB,), "symbol table")
        count = symtab.size // _SYM_SIZE
        # one unpack of the whole table: name, value, size, info|other<<8|shndx<<16 per entry
        words = struct.unpack_from("<%dI" % (4 * count), self.data, symtab.offset) \
            if count else ()
        nsections = len(self.sections)
        data = self.data
        str_start = strtab.offset
        str_end = strtab.offset + strtab.size
        result = []
        for i in range(count):
            at = 4 * i
            name_offset = words[at]
            name = ""
            if name_offset:
                end = data.find(b"\0", str_start + name_offset, str_end) \
                    if name_offset < strtab.size else -1
                try:
                    name = str(data[str_start + name_offset:end], "utf-8") if end >= 0 else None
                except ValueError:
                    name = None
                if name is None:
                    name = self.string(strtab, name_offset, "symbol %d name" % i)  # raises
            last = words[at + 3]
            shndx = last >> 16
            if shndx >= nsections and shndx != SHN_ABS and shndx != SHN_COMMON:
                raise self.error("symbol %d '%s' in [%d] %s: st_shndx 0x%x is not a section "
                                 "index (expected below %d, SHN_ABS or SHN_COMMON)"
                                 % (i, name, symtab.index, symtab.name, shndx, nsections))
            result.append(Symbol(i, name, (words[at + 1], words[at + 2], last & 0xFF,
                                           (last >> 8) & 0xFF, shndx)))
        self._symbol_tables[symtab.index] = result
        return result

    def relocation_words(self, relsec):
        """(words per entry, every entry's words in one tuple) of a SHT_REL (2: r_offset,
        r_info) or SHT_RELA (3: and r_addend, unsigned here) section, checked once."""
        cached = self._relocation_words.get(relsec.index)
        if cached is not None:
            return cached
        if relsec.type == SHT_REL:
            size = _REL_SIZE
        else:
            size = _RELA_SIZE
        if relsec.entsize != size:
            raise self.error("relocation section [%d] %s: sh_entsize %d (expected %d)"
                             % (relsec.index, relsec.name, relsec.entsize, size))
        if relsec.size % size:
            raise self.error("relocation section [%d] %s: size %d is not a multiple of %d"
                             % (relsec.index, relsec.name, relsec.size, size))
        count = relsec.size // 4
        words = struct.unpack_from("<%dI" % count, self.data, relsec.offset) if count else ()
        cached = (size // 4, words)
        self._relocation_words[relsec.index] = cached
        return cached

    def relocation(self, relsec, index):
        """Entry `index` of a SHT_REL or SHT_RELA section."""
        stride, words = self.relocation_words(relsec)
        at = stride * index
        addend = None
        if stride == 3:
            addend = words[at + 2]
            if addend & 0x80000000:
                addend -= 0x100000000
        return Relocation(index, words[at], words[at + 1], addend)

    def relocations(self, relsec):
        """Entries of a SHT_REL or SHT_RELA section."""
        stride, words = self.relocation_words(relsec)
        return [self.relocation(relsec, i) for i in range(len(words) // stride)]

    def load_segments(self):
        return [seg for seg in self.segments if seg.type == PT_LOAD]

    def dynamic_tags(self):
        """(tag, value) pairs of the PT_DYNAMIC segment, up to DT_NULL; [] when there is none."""
        for seg in self.segments:
            if seg.type == PT_DYNAMIC:
                tags = []
                for off in range(seg.offset, seg.offset + seg.filesz - 7, 8):
                    tag, value = struct.unpack_from("<iI", self.data, off)
                    if tag == DT_NULL:
                        break
                    tags.append((tag, value))
                return tags
        return []
