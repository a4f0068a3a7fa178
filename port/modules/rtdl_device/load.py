"""Load, the first phase (Zephyr llext's llext_load): `parse` checks the ELF header and `place`
checks and sizes the loadable parts into one block, returning a layout (layout.py): the PT_LOAD
segments of an ET_DYN, or every SHF_ALLOC section of an ET_REL followed by its COMMON symbols,
a GOT and call veneers. Nothing is allocated or copied yet.
Imports: arm_reloc, elf32, layout, rterror.
"""
from . import arm_reloc
from . import elf32
from .layout import SectionLayout, SegmentLayout, VENEER_SIZE
from .rterror import HeapError

# No Cortex-M gives one module more: a bigger block is a damaged size field, refused before
# a host-side image of that size is ever allocated.
MAX_IMAGE_SIZE = 0x1000000
MAX_SECTION_ALIGN = 4096


def parse(data, name):
    """The ELF file, checked to be something this loader can place: ET_DYN or ET_REL."""
    elf = elf32.ElfFile(data, name)
    if elf.header.type != elf32.ET_DYN and elf.header.type != elf32.ET_REL:
        raise elf.error("ELF type %d" % elf.header.type, "e_type",
                        "3, ET_DYN: a module linked with -shared, or 1, ET_REL: an object or a "
                        "partial link made with -r")
    return elf


def check_fits(elf, what, end, limit):
    """Refuse a block of `end` bytes above `limit` before anything of that size is allocated."""
    if end > limit:
        raise HeapError("%s: %s needs a block of %d bytes (expected at most %d bytes, the "
                        "memory available for the module)" % (elf.name, what, end, limit))


def place(elf, limit=MAX_IMAGE_SIZE):
    """The layout of `elf` in one block; a block larger than `limit` bytes raises HeapError
    naming the part that does not fit."""
    if elf.header.type == elf32.ET_REL:
        return _place_sections(elf, limit)
    return _place_segments(elf, limit)


def _place_segments(elf, limit):
    """Check the PT_LOAD segments RT-Thread's way (sorted, no overlap) and size the block."""
    segments = elf.load_segments()
    if not segments:
        raise elf.error("no PT_LOAD segment (expected at least one loadable segment)")
    align = 8
    previous = None
    for seg in segments:
        if previous is not None:
            if seg.vaddr < previous.vaddr:
                raise elf.error("segment %d at vaddr 0x%x comes after segment %d at 0x%x "
                                "(expected PT_LOAD segments sorted by address)"
                                % (seg.index, seg.vaddr, previous.index, previous.vaddr))
            if seg.vaddr < previous.vaddr + previous.memsz:
                raise elf.error("segment %d (0x%x..0x%x) overlaps segment %d (0x%x..0x%x)"
                                % (seg.index, seg.vaddr, seg.vaddr + seg.memsz, previous.index,
                                   previous.vaddr, previous.vaddr + previous.memsz))
        if seg.align > align and seg.align <= 4096 and not (seg.align & (seg.align - 1)):
            align = seg.align
        check_fits(elf, "segment %d (p_vaddr 0x%x, p_memsz 0x%x)" % (seg.index, seg.vaddr,
                                                                      seg.memsz),
                   seg.vaddr + seg.memsz - segments[0].vaddr, limit)
        previous = seg
    size = segments[-1].vaddr + segments[-1].memsz - segments[0].vaddr
    if size <= 0:
        raise elf.error("loadable segments have a total size of %d bytes (expected > 0)" % size)
    return SegmentLayout(segments, size, align)


def _align_up(value, align):
    return (value + align - 1) & ~(align - 1)


def _alignment(elf, align, what):
    if align <= 1:
        return 1
    if align & (align - 1) or align > MAX_SECTION_ALIGN:
        raise elf.error("%s: alignment %d (expected a power of two up to %d)"
                        % (what, align, MAX_SECTION_ALIGN))
    return align


def _the_symtab(elf):
    found = None
    for sec in elf.sections:
        if sec.type == elf32.SHT_SYMTAB:
            if found is not None:
                raise elf.error("sections [%d] %s and [%d] %s are both SHT_SYMTAB (expected one "
                                "symbol table)" % (found.index, found.name, sec.index, sec.name))
            found = sec
    if found is None:
        raise elf.error("no SHT_SYMTAB section (expected the .symtab of a relocatable object; "
                        "was it stripped?)")
    return found


def _relocation_sections(elf, symtab):
    """[(relocation section, target)] for every SHT_REL/SHT_RELA that patches a loaded section;
    relocations of sections that are not loaded (debugging information) are not needed."""
    pairs = []
    for relsec in elf.sections:
        if relsec.type != elf32.SHT_REL and relsec.type != elf32.SHT_RELA:
            continue
        if relsec.info == 0 or relsec.info >= len(elf.sections):
            raise elf.error("relocation section [%d] %s: sh_info %d (expected the index of the "
                            "section it relocates, 1..%d)"
                            % (relsec.index, relsec.name, relsec.info, len(elf.sections) - 1))
        target = elf.sections[relsec.info]
        if not target.flags & elf32.SHF_ALLOC:
            continue
        if relsec.link != symtab.index:
            raise elf.error("relocation section [%d] %s: sh_link %d (expected %d, the symbol "
                            "table [%d] %s)" % (relsec.index, relsec.name, relsec.link,
                                                symtab.index, symtab.index, symtab.name))
        if target.type == elf32.SHT_NOBITS or target.type == elf32.SHT_NULL:
            raise elf.error("relocation section [%d] %s relocates [%d] %s, which is %s "
                            "(expected a section with contents)"
                            % (relsec.index, relsec.name, target.index, target.name,
                               "SHT_NOBITS" if target.type == elf32.SHT_NOBITS else "SHT_NULL"))
        pairs.append((relsec, target))
    return pairs


def _place_sections(elf, limit):
    """One block for an ET_REL: every SHF_ALLOC section at its sh_addralign (SHT_NOBITS ones
    zeroed), then COMMON symbols (st_value is their alignment), the GOT, the veneers."""
    symtab = _the_symtab(elf)
    symbols = elf.symbols(symtab)
    layout = SectionLayout(symtab, symbols)
    size = 0
    for sec in elf.sections:
        if not sec.flags & elf32.SHF_ALLOC or sec.type == elf32.SHT_NULL:
            continue
        align = _alignment(elf, sec.addralign, "section [%d] %s" % (sec.index, sec.name))
        size = _align_up(size, align)
        layout.add_section(sec, size)
        size += sec.size
        layout.align = max(layout.align, align)
        check_fits(elf, "section [%d] %s (%d bytes)" % (sec.index, sec.name, sec.size), size,
                   limit)
    for sym in symbols:
        if sym.shndx == elf32.SHN_COMMON:
            align = _alignment(elf, sym.value, "COMMON symbol %d '%s'" % (sym.index, sym.name))
            size = _align_up(size, align)
            layout.common[sym.index] = size
            size += sym.size
            layout.align = max(layout.align, align)
            check_fits(elf, "COMMON symbol '%s' (%d bytes)" % (sym.name, sym.size), size, limit)
    for relsec, target in _relocation_sections(elf, symtab):
        relocations = elf.relocations(relsec)
        layout.relocations.append((relsec, target, relocations))
        for rel in relocations:
            recipe = arm_reloc.RELOCATIONS.get(rel.type)
            if recipe is None or rel.sym == 0 or rel.sym >= len(symbols):
                continue            # reported by the linker, with the relocation named
            if recipe.needs_got:
                if rel.sym not in layout.got_slots:
                    layout.got_slots[rel.sym] = 0
                    layout.got_order.append(rel.sym)
            elif recipe.veneer_eligible and symbols[rel.sym].shndx == elf32.SHN_UNDEF:
                if rel.sym not in layout.veneers:
                    layout.veneers[rel.sym] = 0
                    layout.veneer_order.append(rel.sym)
    size = _align_up(size, 4)
    layout.got = size
    for index in layout.got_order:
        layout.got_slots[index] = size
        size += 4
    for index in layout.veneer_order:
        layout.veneers[index] = size
        size += VENEER_SIZE
    check_fits(elf, "the GOT and call veneers", size, limit)
    if size <= 0:
        raise elf.error("no SHF_ALLOC section with contents (expected code or data to load)")
    layout.size = size
    return layout
