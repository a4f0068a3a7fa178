"""The dry-run load plan of `rtdl verify --plan`: where each segment or section lands, what
every relocation writes, the GOT and the call veneers; as a dictionary and as text."""
from rtdl_device import elf32
from rtdl_device import loader


def _flags_text(flags, bits):
    return "".join([letter if flags & bit else "-" for letter, bit in bits])


_SEGMENT_FLAGS = (("R", elf32.PF_R), ("W", elf32.PF_W), ("X", elf32.PF_X))
_SECTION_FLAGS = (("A", elf32.SHF_ALLOC), ("W", elf32.SHF_WRITE), ("X", elf32.SHF_EXECINSTR))


def _got(image, missing):
    """The final GOT: the .got section of an ET_DYN after relocation, or the one the loader
    builds for an ET_REL. {address, slots: [{address, value, symbol}]} or None."""
    elf = image.elf
    placement = image.placement
    slots = []
    if elf.header.type == elf32.ET_REL:
        order = getattr(placement, "got_order", None)
        if not order:
            return None
        for index in order:
            offset = placement.got_slots[index]
            slots.append({"address": image.address(offset), "value": image.read32(offset),
                          "symbol": placement.symbols[index].name})
        return {"address": image.address(placement.got), "slots": slots}
    got = elf.section_by_name(".got")
    # Section headers of an ET_DYN are not used for loading: one that lies about .got must
    # not make the plan read outside the image.
    if (got is None or got.size == 0 or got.addr < placement.vstart
            or got.addr + got.size > placement.vstart + image.size):
        return None
    targets = {}
    for entry in image.plan or ():
        targets.setdefault(entry[3], entry[4])
    for vaddr in range(got.addr, got.addr + got.size - 3, 4):
        address = image.address(vaddr)
        slots.append({"address": address, "value": image.read32(vaddr),
                      "symbol": targets.get(address, "")})
    return {"address": image.address(got.addr), "slots": slots}


def plan_of(image, missing=()):
    """Where everything lands and what every relocation writes, as a dictionary."""
    elf = image.elf
    placement = image.placement
    parts = []
    if elf.header.type == elf32.ET_REL:
        for sec, offset in placement.sections:
            parts.append({"kind": "section", "index": sec.index, "name": sec.name,
                          "offset": offset, "address": image.address(offset), "size": sec.size,
                          "flags": _flags_text(sec.flags, _SECTION_FLAGS),
                          "nobits": sec.type == elf32.SHT_NOBITS})
    else:
        for seg in placement.segments:
            parts.append({"kind": "segment", "index": seg.index, "vaddr": seg.vaddr,
                          "address": image.address(seg.vaddr), "filesz": seg.filesz,
                          "memsz": seg.memsz, "flags": _flags_text(seg.flags, _SEGMENT_FLAGS)})
    relocations = []
    for section, index, type_name, place, symbol, S, value, old, new in image.plan or ():
        relocations.append({"section": section, "index": index, "type": type_name,
                            "place": place, "symbol": symbol, "S": S,
                            "missing": symbol in missing, "value": value, "old": old,
                            "new": new})
    return {"base": image.base, "size": image.size, "align": placement.align,
            "elf_type": "ET_REL" if elf.header.type == elf32.ET_REL else "ET_DYN",
            "entry": image.entry, "parts": parts, "relocations": relocations,
            "got": _got(image, missing), "veneers": _veneers(image),
            "weak_zero": list(image.weak_zero)}


def _veneers(image):
    """The call veneers the loader wrote for an ET_REL's BL/B.W to far imports."""
    placement = image.placement
    veneers = []
    for index in getattr(placement, "veneer_order", ()):
        offset = placement.veneers[index]
        address = image.address(offset)
        target = image.read32(offset + loader.VENEER_SIZE - 4)
        if target:          # written only when a branch could not reach the import directly
            veneers.append({"symbol": placement.symbols[index].name, "address": address,
                            "target": target})
    return veneers


def _hex(value):
    return "-" if value is None else "0x%08x" % value


def plan_text(report):
    plan = report.plan
    lines = ["%s: load plan at 0x%08x: %s, %d bytes, block alignment %d, entry %s"
             % (report.path, plan["base"], plan["elf_type"], plan["size"], plan["align"],
                _hex(plan["entry"]) if plan["entry"] else "none")]
    for part in plan["parts"]:
        if part["kind"] == "segment":
            lines.append("  segment %d  %s  vaddr 0x%08x..0x%08x -> 0x%08x..0x%08x  "
                         "(file 0x%x, memory 0x%x bytes)"
                         % (part["index"], part["flags"], part["vaddr"],
                            part["vaddr"] + part["memsz"], part["address"],
                            part["address"] + part["memsz"], part["filesz"], part["memsz"]))
        else:
            lines.append("  section [%d]  %s  +0x%05x -> 0x%08x..0x%08x  %s%s"
                         % (part["index"], part["flags"], part["offset"], part["address"],
                            part["address"] + part["size"], part["name"],
                            " (zeroed)" if part["nobits"] else ""))
    lines.append("  relocations (%d):" % len(plan["relocations"]))
    for rel in plan["relocations"]:
        symbol = rel["symbol"] or "-"
        if rel["missing"]:
            symbol += " (MISSING)"
        lines.append("    %-10s #%-3d %-22s at 0x%08x  %-24s S=0x%08x  value 0x%08x  %s -> %s"
                     % (rel["section"], rel["index"], rel["type"], rel["place"], symbol,
                        rel["S"], rel["value"], _hex(rel["old"]), _hex(rel["new"])))
    for veneer in plan["veneers"]:
        lines.append("  call veneer at 0x%08x -> 0x%08x  %s"
                     % (veneer["address"], veneer["target"], veneer["symbol"]))
    got = plan["got"]
    if got is None:
        lines.append("  GOT: none")
    else:
        lines.append("  GOT at 0x%08x (%d slots):" % (got["address"], len(got["slots"])))
        for slot in got["slots"]:
            lines.append(("    0x%08x: 0x%08x  %s" % (slot["address"], slot["value"],
                                                      slot["symbol"])).rstrip())
    return "\n".join(lines) + "\n"
