"""Layouts: where each part of a module file lies in its one block, behind one interface, so
that one link loop and one installer serve both file types (Zephyr llext's unified path).

`SegmentLayout` (ET_DYN: PT_LOAD segments at their vaddrs) and `SectionLayout` (ET_REL: every
SHF_ALLOC section, the COMMON symbols, a GOT and call veneers at offsets `load.place` chose).
What differs between the file types lives here; the linker and installer only ask.
Imports: elf32, rterror.
"""
from . import elf32
from .rterror import RelocationError

GOT_SYMBOL = "_GLOBAL_OFFSET_TABLE_"
ENTRY_SYMBOL = "main"
_STV_HIDDEN = 2
_STV_INTERNAL = 1
# The firmware sits in flash at 0x0000xxxx and modules in RAM at 0x2000xxxx, 512 MiB apart:
# a BL/B.W to an import cannot reach it. This Thumb-1 sequence (so it runs on every Cortex-M,
# ARMv6-M included) jumps through ip, which AAPCS lets veneers clobber; r0 is saved on the stack:
#   push {r0}; ldr r0, [pc, #8]; mov ip, r0; pop {r0}; bx ip; nop; .word target|1
VENEER_CODE = b"\x01\xb4\x02\x48\x84\x46\x01\xbc\x60\x47\xc0\x46"
VENEER_SIZE = 16


def _exported_kind(sym):
    return ((sym.bind == elf32.STB_GLOBAL or sym.bind == elf32.STB_WEAK)
            and (sym.type == elf32.STT_FUNC or sym.type == elf32.STT_OBJECT))


class Layout:
    """What both layouts share. `vstart` is the lowest vaddr, `size` the block size, `align`
    the alignment the block needs; `contents` [(block offset, file offset, bytes)] is what is
    copied from the file, `code` [(start, end)] the vaddr ranges of the module's own code.
    A layout that builds a GOT and veneers fills `got` (origin offset), `got_slots`/`veneers`
    (symbol index -> offset) and `got_order`/`veneer_order` (lists keep the order: MicroPython
    dicts do not, and images must be byte-identical)."""
    builds_got = False
    builds_veneers = False

    def __init__(self, vstart, size, align):
        self.vstart = vstart
        self.size = size
        self.align = align
        self.contents = []
        self.code = []
        self.got = 0
        self.got_slots = {}
        self.got_order = []
        self.veneers = {}
        self.veneer_order = []

    def in_code(self, vaddr):
        vaddr &= ~1
        for start, end in self.code:
            if start <= vaddr < end:
                return True
        return False

    def place_problem(self, rel, target, size):
        """Why the place of `rel` lies outside what it relocates, or None."""
        return None


class SegmentLayout(Layout):
    """An ET_DYN: its PT_LOAD `segments`, copied to their vaddrs minus `vstart`."""

    def __init__(self, segments, size, align):
        super().__init__(segments[0].vaddr, size, align)
        self.segments = segments
        for seg in segments:
            self.contents.append((seg.vaddr - self.vstart, seg.offset, seg.filesz))
            if seg.flags & elf32.PF_X:
                self.code.append((seg.vaddr, seg.vaddr + seg.filesz))

    def entry(self, image):
        entry = image.elf.header.entry
        if entry == 0:
            return 0
        if not self.in_code(entry):
            raise image.elf.error("entry point 0x%x is not inside an executable loaded segment"
                                  % entry)
        if not entry & 1:
            raise image.elf.error("entry point 0x%x is not a Thumb address (expected bit 0 set: a "
                                  "Cortex-M runs Thumb code only)" % entry)
        return image.address(entry)

    def relocation_tables(self, elf, entries=True):
        """[(relocation section, None, [Relocation], symbols)] of every SHT_REL/SHT_RELA
        (with `entries` False, None instead of the entries: the caller reads their words)."""
        tables = []
        symbol_cache = {}
        for relsec in elf.sections:
            if relsec.type != elf32.SHT_REL and relsec.type != elf32.SHT_RELA:
                continue
            symtab = elf.linked_section(relsec, (elf32.SHT_DYNSYM, elf32.SHT_SYMTAB),
                                        "relocation section")
            if symtab.index not in symbol_cache:
                symbol_cache[symtab.index] = elf.symbols(symtab)
            tables.append((relsec, None, elf.relocations(relsec) if entries else None,
                           symbol_cache[symtab.index]))
        return tables

    def place_offset(self, rel, target):
        return rel.offset - self.vstart

    def defines(self, sym):
        return sym.defined or sym.bind == elf32.STB_LOCAL

    def defined_address(self, image, sym):
        outside = self.symbol_outside(image, sym)
        if outside:
            raise RelocationError(outside)
        if sym.shndx == elf32.SHN_ABS:
            return sym.value
        return image.address(sym.value)

    def import_address(self, linker, image, sym, unresolved):
        if image.elf.prelinked:
            # "\177RTM", RT-Thread's "already linked": an import's final address is already
            # stored at the place; resolving it again would add it twice (ABS32).
            return None
        return linker.import_address(image, sym, unresolved)

    def quick_address(self, image, sym):
        """S of a symbol the module defines inside its segments (the common case, checked
        in a few comparisons), or None: ask defined_address/import_address."""
        if not sym.defined or sym.shndx == elf32.SHN_ABS:
            return None
        first = sym.value & ~1 if sym.type == elf32.STT_FUNC else sym.value
        if self.vstart <= first and first + sym.size <= self.vstart + self.size:
            return (sym.value + image.bias) & 0xFFFFFFFF
        return None

    def symbol_outside(self, image, sym):
        """Why a defined symbol does not lie inside the loaded segments (all st_size bytes of
        it; a size-0 end marker such as _end may sit at the end), or None."""
        if not sym.defined or sym.shndx == elf32.SHN_ABS:
            return None
        start = self.vstart
        first = sym.value & ~1 if sym.type == elf32.STT_FUNC else sym.value
        if start <= first and first + sym.size <= start + image.size:
            return None
        return ("symbol %d '%s' has st_value 0x%x, st_size %d: outside the module's loaded "
                "segments (expected inside 0x%x..0x%x)"
                % (sym.index, sym.name, sym.value, sym.size, start, start + image.size))

    def exports(self, image):
        """[(name, address)] for dlsym: the defined GLOBAL/WEAK functions and objects of
        .dynsym, in table order."""
        elf = image.elf
        found = []
        for sec in elf.sections:
            if sec.type != elf32.SHT_DYNSYM:
                continue
            for sym in elf.symbols(sec):
                if not sym.defined or sym.index == 0 or not _exported_kind(sym):
                    continue
                address = self.quick_address(image, sym)
                if address is None:
                    outside = self.symbol_outside(image, sym)
                    if outside:
                        raise elf.error("[%d] %s: %s" % (sec.index, sec.name, outside))
                    address = image.address(sym.value)
                found.append((sym.name, address))
        return found

    def named_sections(self, image):
        """[(name, vaddr, size)] of the allocated sections the file still names (finsh's
        FSymTab and .rti_fn.N tables); a file without section headers has none."""
        found = []
        for sec in image.elf.sections:
            if sec.flags & elf32.SHF_ALLOC and sec.size and sec.name:
                found.append((sec.name, sec.addr, sec.size))
        return found

    def init_fini(self, image):
        """(init functions, fini functions) from DT_INIT_ARRAY/DT_FINI_ARRAY."""
        elf = image.elf
        tags = {}
        for tag, value in elf.dynamic_tags():
            tags[tag] = value
        arrays = {"init": [], "fini": []}
        for kind, addr_tag, size_tag in (("init", elf32.DT_INIT_ARRAY, elf32.DT_INIT_ARRAYSZ),
                                         ("fini", elf32.DT_FINI_ARRAY, elf32.DT_FINI_ARRAYSZ)):
            if addr_tag not in tags:
                continue
            vaddr, size = tags[addr_tag], tags.get(size_tag, 0)
            if size % 4 or not image.inside(vaddr, size):
                raise elf.error(".%s_array at 0x%x (%d bytes) is not a word array inside the "
                                "module" % (kind, vaddr, size))
            for i in range(size // 4):
                fn = image.read32(vaddr + 4 * i)
                if fn != 0 and fn != 0xFFFFFFFF:
                    # The kernel calls these: only the module's own Thumb code may be there.
                    if not (fn & 1 and image.in_code(fn)):
                        raise elf.error(".%s_array entry %d is 0x%08x (expected a Thumb function "
                                        "inside the module's code at 0x%08x..0x%08x)"
                                        % (kind, i, fn, image.base, image.base + image.size))
                    arrays[kind].append(fn)
        return arrays["init"], arrays["fini"]


def _array_priority(sec):
    # `.init_array.00101` runs before `.init_array`, lowest number first (ld's SORT_BY_INIT_PRIORITY).
    dot = sec.name.rfind(".")
    suffix = sec.name[dot + 1:]
    if dot > 0 and suffix.isdigit():
        return int(suffix)
    return 65536


class SectionLayout(Layout):
    """An ET_REL: offsets are the image's "vaddrs" (vstart 0).

    offsets: section index -> offset of every SHF_ALLOC section; sections: [(section, offset)]
    in block order; common: symbol index -> offset of a COMMON symbol; relocations:
    [(relocation section, target section, [Relocation])] for allocated targets; symtab and
    its `symbols`.
    """
    builds_got = True
    builds_veneers = True

    def __init__(self, symtab, symbols):
        super().__init__(0, 0, 8)
        self.symtab = symtab
        self.symbols = symbols
        self.offsets = {}
        self.sections = []
        self.common = {}
        self.relocations = []

    def add_section(self, sec, offset):
        self.offsets[sec.index] = offset
        self.sections.append((sec, offset))
        if sec.type != elf32.SHT_NOBITS:
            self.contents.append((offset, sec.offset, sec.size))
        if sec.flags & elf32.SHF_EXECINSTR:
            self.code.append((offset, offset + sec.size))

    def entry(self, image):
        """The address of `main` (e_entry is 0 in an ET_REL), or 0 for a library; any
        visibility."""
        for sym in self.symbols:
            if sym.name != ENTRY_SYMBOL or sym.shndx == elf32.SHN_UNDEF:
                continue
            if sym.bind != elf32.STB_GLOBAL and sym.bind != elf32.STB_WEAK:
                continue
            section, offset = self.section_of(image, sym)
            if (sym.type != elf32.STT_FUNC or not sym.value & 1
                    or not section.flags & elf32.SHF_EXECINSTR):
                raise image.elf.error("symbol '%s' (type %d, st_value 0x%x in [%d] %s) is not a "
                                      "Thumb function in an executable section (expected the "
                                      "entry point)" % (sym.name, sym.type, sym.value,
                                                        section.index, section.name))
            return image.address(offset + sym.value)
        return 0

    def relocation_tables(self, elf):
        return [(relsec, target, relocations, self.symbols)
                for relsec, target, relocations in self.relocations]

    def place_offset(self, rel, target):
        return self.offsets[target.index] + rel.offset

    def place_problem(self, rel, target, size):
        if rel.offset + size <= target.size:
            return None
        return ("r_offset 0x%x (+%d bytes) lies outside the section it relocates, [%d] %s of %d "
                "bytes" % (rel.offset, size, target.index, target.name, target.size))

    def defines(self, sym):
        return sym.shndx != elf32.SHN_UNDEF

    def section_of(self, image, sym):
        """(section, offset) of the loaded section a symbol is defined in."""
        offset = self.offsets.get(sym.shndx)
        if offset is None:
            raise RelocationError("symbol %d '%s' is defined in section index %d, which is not "
                                  "loaded (expected an SHF_ALLOC section, SHN_ABS or SHN_COMMON)"
                                  % (sym.index, sym.name, sym.shndx), file=image.name)
        section = image.elf.sections[sym.shndx]
        if (sym.value & ~1 if sym.type == elf32.STT_FUNC else sym.value) > section.size:
            raise RelocationError("symbol %d '%s' has st_value 0x%x outside its section [%d] %s "
                                  "(expected 0..0x%x)" % (sym.index, sym.name, sym.value,
                                                          section.index, section.name,
                                                          section.size), file=image.name)
        return section, offset

    def defined_address(self, image, sym):
        if sym.shndx == elf32.SHN_ABS:
            return sym.value
        if sym.shndx == elf32.SHN_COMMON:
            return image.address(self.common[sym.index])
        section, offset = self.section_of(image, sym)
        return image.address(offset + sym.value)

    def import_address(self, linker, image, sym, unresolved):
        if sym.name == GOT_SYMBOL:
            return image.address(self.got)
        return linker.import_address(image, sym, unresolved)

    def exports(self, image):
        """[(name, address)] for dlsym: defined GLOBAL/WEAK functions and objects that are not
        hidden (as in an ET_DYN's .dynsym, which -fvisibility=hidden empties the same way)."""
        found = []
        for sym in self.symbols:
            if sym.index == 0 or sym.shndx == elf32.SHN_UNDEF or not _exported_kind(sym):
                continue
            if (sym.other & 3) == _STV_HIDDEN or (sym.other & 3) == _STV_INTERNAL:
                continue
            found.append((sym.name, self.defined_address(image, sym)))
        return found

    def named_sections(self, image):
        """See SegmentLayout.named_sections (offsets are this layout's vaddrs)."""
        return [(sec.name, offset, sec.size) for sec, offset in self.sections
                if sec.size and sec.name]

    def init_fini(self, image):
        """(init functions, fini functions) from the relocated .preinit_array and .init_array
        (in that order) and .fini_array, each sorted by its priority suffix."""
        arrays = {elf32.SHT_PREINIT_ARRAY: [], elf32.SHT_INIT_ARRAY: [], elf32.SHT_FINI_ARRAY: []}
        for sec, offset in self.sections:
            if sec.type in arrays:
                arrays[sec.type].append((_array_priority(sec), sec.index, sec, offset))
        found = {}
        for kind in (elf32.SHT_PREINIT_ARRAY, elf32.SHT_INIT_ARRAY, elf32.SHT_FINI_ARRAY):
            funcs = []
            for _, _, sec, offset in sorted(arrays[kind]):
                if sec.size % 4:
                    raise image.elf.error("[%d] %s is %d bytes (expected an array of 4-byte "
                                          "function addresses)" % (sec.index, sec.name, sec.size))
                for i in range(sec.size // 4):
                    fn = image.read32(offset + 4 * i)
                    if fn == 0 or fn == 0xFFFFFFFF:
                        continue
                    if not (fn & 1 and image.in_code(fn)):
                        raise image.elf.error("[%d] %s entry %d is 0x%08x (expected a Thumb "
                                              "function inside the module's code at "
                                              "0x%08x..0x%08x)" % (sec.index, sec.name, i, fn,
                                                                   image.base,
                                                                   image.base + image.size))
                    funcs.append(fn)
            found[kind] = funcs
        return (found[elf32.SHT_PREINIT_ARRAY] + found[elf32.SHT_INIT_ARRAY],
                found[elf32.SHT_FINI_ARRAY])
