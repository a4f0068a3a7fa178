"""What a holder may write in a library it holds (heldplan.py): the library's data objects, as
its symbol table gives them, for the board (rtdl_board/heldmodes.py), so a correct program's
store into a library's variable is not taken for a wild one. In one address space C writes a
library's variables in two ways, and both are allowed:
  - an object the library exports: a data symbol of what dlsym looks up (an ET_DYN's
    .dynsym, an ET_REL's GLOBAL/WEAK symbols that are not hidden) with its st_size;
  - an object the library handed out: its address passed back to the holder in r0/r1 when the
    library's code returns into the holder's, or in r0-r3 when it calls the holder's code (a
    callback). The board sees those at the fetch fault that switches back to the holder and
    takes the bounds from here: the sized STT_OBJECT (of .symtab when the file has one, its
    local statics included, else .dynsym; an ET_REL's COMMON symbols too) that holds the
    address, or, when no sized symbol holds it, the rest of the data section that holds it
    (.data, .bss and their .data.* / .bss.* parts; not the GOT or .dynamic) from that
    address on: `rtdl build` strips a shared library's .symtab, so that is what a static it
    hands out gets.
Every list is flat, [address, size, address, size, ...] sorted by address (the plan crosses
the bridge as JSON): exported objects, neighbours merged; every sized object; data sections.
Built once per image, on first use (a plan), never on the load path.
Imports: elf32.
"""
from . import elf32


def _data_sections(image):
    """[(address, size)] of the image's .data / .bss sections (also .data.x, .bss.x)."""
    placement = image.placement
    found = []
    if hasattr(placement, "sections"):                        # ET_REL: offsets are vaddrs
        pairs = [(sec, image.address(offset)) for sec, offset in placement.sections]
    else:
        pairs = [(sec, image.address(sec.addr)) for sec in image.elf.sections
                 if sec.flags & elf32.SHF_ALLOC]
    for sec, address in pairs:
        if not sec.size or not sec.flags & elf32.SHF_WRITE:
            continue
        name = sec.name
        if name in (".data", ".bss") or name.startswith(".data.") or name.startswith(".bss."):
            found.append((address, sec.size))
    found.sort()
    return found


def _hidden(sym):
    return (sym.other & 3) == 2 or (sym.other & 3) == 1     # STV_HIDDEN, STV_INTERNAL


def _table(elf):
    """The symbol table the bounds come from: .symtab, else .dynsym, else None."""
    for kind in (elf32.SHT_SYMTAB, elf32.SHT_DYNSYM):
        for sec in elf.sections:
            if sec.type == kind:
                return sec
    return None


def _flat(pairs):
    out = []
    for address, size in pairs:
        out.append(address)
        out.append(size)
    return out


def objects(image):
    """[exported objects, every sized object, data sections] of `image` (see above)."""
    known = getattr(image, "held_objects", None)
    if known is not None and known[0] == image.base:
        return known[1]
    sections = _data_sections(image)
    elf = image.elf
    placement = image.placement
    table = _table(elf)
    dynamic = not hasattr(placement, "sections")             # ET_DYN: exports in .dynsym
    everything = []
    seen = set()
    exported = []
    tables = [table] if table is not None else []
    if dynamic and table is not None and table.type == elf32.SHT_SYMTAB:
        # the exports are .dynsym's; its objects are .symtab's too, at the same addresses
        tables += [sec for sec in elf.sections if sec.type == elf32.SHT_DYNSYM]
    for sec in tables:
        for sym in elf.symbols(sec):
            if sym.type != elf32.STT_OBJECT or not sym.size or not sym.defined:
                continue
            try:
                address = placement.defined_address(image, sym)
            except Exception:
                continue             # a symbol the loader would not bind names nothing
            inside = sym.shndx == elf32.SHN_COMMON     # an ET_REL's, after its sections
            for start, size in sections:
                if start <= address and address + sym.size <= start + size:
                    inside = True
                    break
            if not inside:
                continue
            entry = (address, sym.size)
            if sec is table and entry not in seen:
                seen.add(entry)
                everything.append(entry)
            public = sym.bind == elf32.STB_GLOBAL or sym.bind == elf32.STB_WEAK
            if public and not _hidden(sym) and (not dynamic or sec.type == elf32.SHT_DYNSYM):
                exported.append(entry)
    everything.sort()
    exported.sort()
    merged = []
    for address, size in exported:
        if merged and address <= merged[-1][0] + merged[-1][1]:
            end = max(merged[-1][0] + merged[-1][1], address + size)
            merged[-1] = (merged[-1][0], end - merged[-1][0])
        else:
            merged.append((address, size))
    result = [_flat(merged), _flat(everything), _flat(sections)]
    image.held_objects = (image.base, result)
    return result
