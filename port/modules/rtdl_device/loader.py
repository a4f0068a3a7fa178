"""The module loader, split like Zephyr's llext: load (checks + placement), link (symbol binding
+ the shared ARM relocation table), then hand the image to the kernel, which writes it into
target memory and runs init/fini.

Everything is computed on a bytearray image first, so the same code serves the device
(`load_image` into the heap), the host verifier and dry-run plans (`prepare` at any address)
and cross-interpreter checks (the image is byte-identical on CPython and MicroPython).
Imports: struct, elf32, arm_reloc, rterror.
"""
import struct

from . import arm_reloc
from . import elf32
from .rterror import HeapError, RelocationError, UnresolvedSymbolError

RT_NAME_MAX = 8
# No Cortex-M gives one module more: a bigger block is a damaged size field, refused before
# a host-side image of that size is ever allocated.
MAX_IMAGE_SIZE = 0x1000000

# Symbols RT-Thread reads from a module to configure its main thread.
SYM_PRIORITY = "dlmodule_thread_priority"
SYM_STACKSIZE = "dlmodule_thread_stacksize"
SYM_INIT = "module_init"
SYM_CLEANUP = "module_cleanup"


def module_name(path):
    """RT-Thread's rule: basename without its last extension, at most RT_NAME_MAX characters.

    Unlike RT-Thread, a '.' in a directory name or a leading '.' cannot produce a negative
    length, and the name never overruns its buffer.
    """
    base = path.replace("\\", "/").split("/")[-1]
    dot = base.rfind(".")
    if dot > 0:
        base = base[:dot]
    return base[:RT_NAME_MAX]


class Placement:
    """Where each part of the file goes inside one block: `vstart` is the lowest vaddr,
    `size` the block size, `align` the alignment the block needs."""

    def __init__(self, vstart, size, align, segments):
        self.vstart = vstart
        self.size = size
        self.align = align
        self.segments = segments


class Image:
    """A module image linked for address `base`; nothing is in target memory yet."""

    def __init__(self, elf, placement, base):
        self.elf = elf
        self.name = elf.name
        self.placement = placement
        self.base = base
        self.bias = (base - placement.vstart) & 0xFFFFFFFF
        self.data = bytearray(placement.size)
        self.entry = 0
        self.symbols = {}
        self.init_array = []
        self.fini_array = []
        self.init_func = 0
        self.cleanup_func = 0
        self.priority = None
        self.stack_size = None
        self.weak_zero = []
        self.plan = None

    @property
    def size(self):
        return len(self.data)

    def address(self, vaddr):
        return (vaddr + self.bias) & 0xFFFFFFFF

    def read32(self, vaddr):
        off = vaddr - self.placement.vstart
        return struct.unpack_from("<I", self.data, off)[0]


def parse(data, name):
    """The ELF file, checked to be something this loader can place: ET_DYN or ET_REL."""
    elf = elf32.ElfFile(data, name)
    if elf.header.type != elf32.ET_DYN and elf.header.type != elf32.ET_REL:
        raise elf.error("ELF type %d (expected 3, ET_DYN: a module linked with -shared, or 1, "
                        "ET_REL: an object or a partial link made with -r)" % elf.header.type)
    return elf


def check_fits(elf, what, end, limit):
    """Refuse a block of `end` bytes above `limit` before anything of that size is allocated."""
    if end > limit:
        raise HeapError("%s: %s needs a block of %d bytes (expected at most %d bytes, the "
                        "memory available for the module)" % (elf.name, what, end, limit))


def place(elf, limit=MAX_IMAGE_SIZE):
    """Check the PT_LOAD segments RT-Thread's way (sorted, no overlap) and size the block;
    a block larger than `limit` bytes raises HeapError naming the segment.

    An ET_REL file has no segments: its sections are placed one by one (`_place_sections`)."""
    if elf.header.type == elf32.ET_REL:
        return _place_sections(elf, limit)
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
    vstart = segments[0].vaddr
    size = segments[-1].vaddr + segments[-1].memsz - vstart
    if size <= 0:
        raise elf.error("loadable segments have a total size of %d bytes (expected > 0)" % size)
    return Placement(vstart, size, align, segments)


def _entry_address(elf, placement, image):
    entry = elf.header.entry
    if entry == 0:
        return 0
    if not _in_code(placement, entry):
        raise elf.error("entry point 0x%x is not inside an executable loaded segment" % entry)
    if not entry & 1:
        raise elf.error("entry point 0x%x is not a Thumb address (expected bit 0 set: a "
                        "Cortex-M runs Thumb code only)" % entry)
    return image.address(entry)


def _in_code(placement, vaddr):
    for seg in placement.segments:
        if seg.flags & elf32.PF_X and seg.vaddr <= (vaddr & ~1) < seg.vaddr + seg.filesz:
            return True
    return False


def _is_module_code(image, address):
    """Whether a run-time address lies in the module's own code (either file type)."""
    if isinstance(image.placement, SectionPlacement):
        return _in_section_code(image, address)
    return _in_code(image.placement, (address - image.bias) & 0xFFFFFFFF)


def _symbol_outside(image, sym):
    """Why a defined symbol of an ET_DYN module does not lie inside its own loaded segments
    (all st_size bytes of it; a size-0 end marker such as _end may sit at the end), or None."""
    if image.elf.header.type != elf32.ET_DYN or not sym.defined or sym.shndx == elf32.SHN_ABS:
        return None
    start = image.placement.vstart
    first = sym.value & ~1 if sym.type == elf32.STT_FUNC else sym.value
    if start <= first and first + sym.size <= start + image.size:
        return None
    return ("symbol %d '%s' has st_value 0x%x, st_size %d: outside the module's loaded "
            "segments (expected inside 0x%x..0x%x)"
            % (sym.index, sym.name, sym.value, sym.size, start, start + image.size))


class Linker:
    """Binds symbols and applies relocations to an Image.

    `resolve(name) -> address or 0`: the firmware's exports (or any other table). With
    `errors` a list, relocation problems are collected there instead of raised, so a verifier
    can report all of them at once; unresolved symbols are always collected and reported
    together.
    """

    def __init__(self, resolve, errors=None, plan=False):
        self.resolve = resolve
        self.errors = errors
        self.plan = plan

    def _fail(self, error):
        if self.errors is None:
            raise error
        self.errors.append(error)

    def symbol_address(self, image, sym, unresolved):
        """S for a symbol: the module's own definition first, then the firmware's export."""
        if sym.index == 0:
            return 0
        if sym.defined or sym.bind == elf32.STB_LOCAL:
            if sym.shndx == elf32.SHN_ABS:
                return sym.value
            return image.address(sym.value)
        if image.elf.prelinked:
            # "\177RTM", RT-Thread's "already linked": an import's final address is already
            # stored at the place; resolving it again would add it twice (ABS32).
            return None
        return self.import_address(image, sym, unresolved)

    def import_address(self, image, sym, unresolved):
        """S of an undefined symbol: the firmware's export, 0 if weak, else None (collected)."""
        address = self.resolve(sym.name)
        if address:
            return address
        if sym.bind == elf32.STB_WEAK:
            if sym.name not in image.weak_zero:
                image.weak_zero.append(sym.name)
            return 0
        if sym.name not in unresolved:
            unresolved.append(sym.name)
        return None

    def link(self, image):
        if image.elf.header.type == elf32.ET_REL:
            return _link_sections(self, image)
        elf = image.elf
        unresolved = []
        symbol_cache = {}
        if self.plan:
            image.plan = []
        for relsec in elf.sections:
            if relsec.type != elf32.SHT_REL and relsec.type != elf32.SHT_RELA:
                continue
            symtab = elf.linked_section(relsec, (elf32.SHT_DYNSYM, elf32.SHT_SYMTAB),
                                        "relocation section")
            if symtab.index not in symbol_cache:
                symbol_cache[symtab.index] = elf.symbols(symtab)
            symbols = symbol_cache[symtab.index]
            for rel in elf.relocations(relsec):
                self._apply(image, relsec, rel, symbols, unresolved)
        if unresolved:
            raise _unresolved_error(elf.name, unresolved)

    def _where(self, image, relsec, rel, sym_name):
        what = "%s: relocation #%d (%s) in [%d] %s at offset 0x%x" % (
            image.name, rel.index, arm_reloc.type_name(rel.type), relsec.index, relsec.name,
            rel.offset)
        if sym_name:
            what += " against '%s'" % sym_name
        return what

    def checked_symbol(self, image, relsec, rel, symbols):
        """The relocation's symbol, or None (the problem reported) when its index is out of
        range or its type is not in the shared table."""
        if rel.sym >= len(symbols):
            self._fail(RelocationError("%s: symbol index %d out of range (table has %d symbols)"
                                       % (self._where(image, relsec, rel, ""), rel.sym,
                                          len(symbols))))
            return None
        sym = symbols[rel.sym]
        if rel.type not in arm_reloc.RELOCATIONS:
            self._fail(RelocationError("%s: unsupported relocation type %d"
                                       % (self._where(image, relsec, rel, sym.name), rel.type)))
            return None
        return sym

    def _apply(self, image, relsec, rel, symbols, unresolved):
        sym = self.checked_symbol(image, relsec, rel, symbols)
        if sym is None:
            return
        outside = sym.index and _symbol_outside(image, sym)
        if outside:
            self._fail(RelocationError("%s: %s" % (self._where(image, relsec, rel, sym.name),
                                                   outside)))
            return
        S = self.symbol_address(image, sym, unresolved)
        if S is None:
            return
        off = rel.offset - image.placement.vstart
        place = image.address(rel.offset)
        old = None
        if image.plan is not None and 0 <= off <= len(image.data) - 4:
            old = struct.unpack_from("<I", image.data, off)[0]
        try:
            value = arm_reloc.relocate(rel.type, image.data, off, place, S,
                                       arm_reloc.RelocContext(image.bias), rel.addend,
                                       sym.type == elf32.STT_FUNC, rel.sym)
        except RelocationError as error:
            self._fail(RelocationError("%s: %s" % (self._where(image, relsec, rel, sym.name),
                                                   error.message)))
            return
        _record_plan(image, relsec, rel, off, place, sym, S, value, old)


def _record_plan(image, relsec, rel, off, place, sym, S, value, old):
    """One line of a dry-run plan: the word at the place before and after relocation."""
    if image.plan is not None:
        new = struct.unpack_from("<I", image.data, off)[0] if old is not None else None
        image.plan.append((relsec.name, rel.index, arm_reloc.type_name(rel.type), place,
                           sym.name, S, value, old, new))


def _collect_symbols(image):
    """The module's own table for dlsym: defined GLOBAL/WEAK functions and objects only."""
    elf = image.elf
    for sec in elf.sections:
        if sec.type != elf32.SHT_DYNSYM:
            continue
        for sym in elf.symbols(sec):
            if not sym.defined or sym.index == 0:
                continue
            if sym.bind != elf32.STB_GLOBAL and sym.bind != elf32.STB_WEAK:
                continue
            if sym.type != elf32.STT_FUNC and sym.type != elf32.STT_OBJECT:
                continue
            outside = _symbol_outside(image, sym)
            if outside:
                raise elf.error("[%d] %s: %s" % (sec.index, sec.name, outside))
            if sym.name not in image.symbols:
                image.symbols[sym.name] = image.address(sym.value)


def _inside(image, vaddr, size):
    off = vaddr - image.placement.vstart
    return 0 <= off and off + size <= len(image.data)


def _read_config(image):
    """init/fini hooks and arrays, main-thread priority and stack size, from the linked image."""
    elf = image.elf
    image.init_func = image.symbols.get(SYM_INIT, 0)
    image.cleanup_func = image.symbols.get(SYM_CLEANUP, 0)
    for name, fn in ((SYM_INIT, image.init_func), (SYM_CLEANUP, image.cleanup_func)):
        # the kernel calls these: a data object of that name must not be run as code
        if fn and not (fn & 1 and _is_module_code(image, fn)):
            raise elf.error("symbol '%s' is 0x%08x (expected a Thumb function inside the "
                            "module's code)" % (name, fn))
    tags = {}
    for tag, value in elf.dynamic_tags():
        tags[tag] = value
    for kind, addr_tag, size_tag in (("init", elf32.DT_INIT_ARRAY, elf32.DT_INIT_ARRAYSZ),
                                     ("fini", elf32.DT_FINI_ARRAY, elf32.DT_FINI_ARRAYSZ)):
        if addr_tag not in tags:
            continue
        vaddr, size = tags[addr_tag], tags.get(size_tag, 0)
        if size % 4 or not _inside(image, vaddr, size):
            raise elf.error(".%s_array at 0x%x (%d bytes) is not a word array inside the module"
                            % (kind, vaddr, size))
        funcs = []
        for i in range(size // 4):
            fn = image.read32(vaddr + 4 * i)
            if fn != 0 and fn != 0xFFFFFFFF:
                # The kernel calls these: only the module's own Thumb code may be there.
                if not (fn & 1 and _in_code(image.placement, (fn - image.bias) & 0xFFFFFFFF)):
                    raise elf.error(".%s_array entry %d is 0x%08x (expected a Thumb function "
                                    "inside the module's code at 0x%08x..0x%08x)"
                                    % (kind, i, fn, image.base, image.base + image.size))
                funcs.append(fn)
        if kind == "init":
            image.init_array = funcs
        else:
            image.fini_array = funcs
    for name, size in ((SYM_PRIORITY, 2), (SYM_STACKSIZE, 4)):
        addr = image.symbols.get(name)
        if addr is None:
            continue
        vaddr = (addr - image.bias) & 0xFFFFFFFF
        if not _inside(image, vaddr, size):
            raise elf.error("symbol '%s' at 0x%x is not inside the module" % (name, vaddr))
        off = vaddr - image.placement.vstart
        value = struct.unpack_from("<H" if size == 2 else "<I", image.data, off)[0]
        if name == SYM_PRIORITY:
            image.priority = value
        else:
            image.stack_size = value


def prepare(elf, placement, base, resolve, errors=None, plan=False):
    """Build the linked image of `elf` for load address `base` (a bytearray, nothing written)."""
    if elf.header.type == elf32.ET_REL:
        return _prepare_sections(elf, placement, base, resolve, errors, plan)
    image = Image(elf, placement, base)
    for seg in placement.segments:
        start = seg.vaddr - placement.vstart
        image.data[start:start + seg.filesz] = elf.data[seg.offset:seg.offset + seg.filesz]
    image.entry = _entry_address(elf, placement, image)
    Linker(resolve, errors, plan).link(image)
    _collect_symbols(image)
    _read_config(image)
    return image


def load_image(data, name, heap, memory, resolve, owner=None, target=None):
    """Load into the heap: allocate one block, link there, write it to target memory.

    `target` (an arm_attributes.Target) refuses code for another CPU or float ABI.
    On any failure the block is freed again, so the heap is exactly as before.
    """
    elf = parse(data, name)
    if target is not None:
        target.check(elf)
    total, used, _ = heap.info()
    placement = place(elf, total - used)
    if placement.align > 8:
        base = heap.malloc_align(placement.size, placement.align)
    else:
        base = heap.malloc(placement.size, owner)
    if not base:
        total, used, _ = heap.info()
        raise HeapError("%s: needs %d bytes of memory, the heap has %d of %d bytes free"
                        " (not in one block, or not at all)"
                        % (name, placement.size, total - used, total))
    try:
        image = prepare(elf, placement, base, resolve)
        memory.write(base, bytes(image.data))
        memory.invalidate(base, placement.size)
    except Exception:
        if placement.align > 8:
            heap.free_align(base)
        else:
            heap.free(base)
        raise
    image.aligned_block = placement.align > 8
    return image


# -- ET_REL: partially linked objects (`rtdl build --relocatable`, `ld -r`) ----------------
# There are no segments, no dynamic section and no GOT in the file: every SHF_ALLOC section
# gets its own offset inside the one block, followed by the COMMON symbols, a GOT built here
# for GOT_BREL/GOT_PREL and call veneers for imports out of BL range. Offsets are the image's
# "vaddrs" (vstart 0), so Image.address/read32 and `_read_config` serve both file types.

GOT_SYMBOL = "_GLOBAL_OFFSET_TABLE_"
ENTRY_SYMBOL = "main"
MAX_SECTION_ALIGN = 4096
_LONG_BRANCHES = (10, 30)       # R_ARM_THM_CALL, R_ARM_THM_JUMP24: B.W/BL, +-16 MiB
_STV_HIDDEN = 2
_STV_INTERNAL = 1
# The firmware sits in flash at 0x0000xxxx and modules in RAM at 0x2000xxxx, 512 MiB apart:
# a BL/B.W to an import cannot reach it. This Thumb-1 sequence (so it runs on every Cortex-M,
# ARMv6-M included) jumps through ip, which AAPCS lets veneers clobber; r0 is saved on the stack:
#   push {r0}; ldr r0, [pc, #8]; mov ip, r0; pop {r0}; bx ip; nop; .word target|1
_VENEER_CODE = b"\x01\xb4\x02\x48\x84\x46\x01\xbc\x60\x47\xc0\x46"
VENEER_SIZE = 16


def _align_up(value, align):
    return (value + align - 1) & ~(align - 1)


def _alignment(elf, align, what):
    if align <= 1:
        return 1
    if align & (align - 1) or align > MAX_SECTION_ALIGN:
        raise elf.error("%s: alignment %d (expected a power of two up to %d)"
                        % (what, align, MAX_SECTION_ALIGN))
    return align


class SectionPlacement(Placement):
    """Where each part of an ET_REL file goes inside one block.

    offsets: section index -> offset of every SHF_ALLOC section; sections: [(section, offset)]
    in block order; common: symbol index -> offset of a COMMON symbol; got: offset of the GOT
    origin, got_slots: symbol index -> slot offset; veneers: symbol index -> veneer offset;
    relocations: [(relocation section, target section, [Relocation])] for allocated targets.
    """

    def __init__(self, size, align, symtab, symbols):
        super().__init__(0, size, align, [])
        self.symtab = symtab
        self.symbols = symbols
        self.offsets = {}
        self.sections = []
        self.common = {}
        self.got = 0
        self.got_slots = {}
        self.got_order = []
        self.veneers = {}
        self.veneer_order = []
        self.relocations = []


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


def _place_sections(elf, limit=MAX_IMAGE_SIZE):
    """One block for an ET_REL: every SHF_ALLOC section at its sh_addralign (SHT_NOBITS ones
    zeroed), then COMMON symbols (st_value is their alignment), the GOT, the veneers."""
    symtab = _the_symtab(elf)
    symbols = elf.symbols(symtab)
    placement = SectionPlacement(0, 8, symtab, symbols)
    size = 0
    for sec in elf.sections:
        if not sec.flags & elf32.SHF_ALLOC or sec.type == elf32.SHT_NULL:
            continue
        align = _alignment(elf, sec.addralign, "section [%d] %s" % (sec.index, sec.name))
        size = _align_up(size, align)
        placement.offsets[sec.index] = size
        placement.sections.append((sec, size))
        size += sec.size
        placement.align = max(placement.align, align)
        check_fits(elf, "section [%d] %s (%d bytes)" % (sec.index, sec.name, sec.size), size,
                   limit)
    for sym in symbols:
        if sym.shndx == elf32.SHN_COMMON:
            align = _alignment(elf, sym.value, "COMMON symbol %d '%s'" % (sym.index, sym.name))
            size = _align_up(size, align)
            placement.common[sym.index] = size
            size += sym.size
            placement.align = max(placement.align, align)
            check_fits(elf, "COMMON symbol '%s' (%d bytes)" % (sym.name, sym.size), size, limit)
    for relsec, target in _relocation_sections(elf, symtab):
        relocations = elf.relocations(relsec)
        placement.relocations.append((relsec, target, relocations))
        for rel in relocations:
            if rel.sym == 0 or rel.sym >= len(symbols):
                continue            # reported by the linker, with the relocation named
            if rel.type in arm_reloc.GOT_TYPES:
                if rel.sym not in placement.got_slots:
                    placement.got_slots[rel.sym] = 0
                    placement.got_order.append(rel.sym)
            elif rel.type in _LONG_BRANCHES and symbols[rel.sym].shndx == elf32.SHN_UNDEF:
                if rel.sym not in placement.veneers:
                    placement.veneers[rel.sym] = 0
                    placement.veneer_order.append(rel.sym)
    # Lists keep the order: MicroPython dicts do not, and images must be byte-identical.
    size = _align_up(size, 4)
    placement.got = size
    for index in placement.got_order:
        placement.got_slots[index] = size
        size += 4
    for index in placement.veneer_order:
        placement.veneers[index] = size
        size += VENEER_SIZE
    check_fits(elf, "the GOT and call veneers", size, limit)
    if size <= 0:
        raise elf.error("no SHF_ALLOC section with contents (expected code or data to load)")
    placement.size = size
    return placement


def _section_of(image, sym):
    """(section, offset) of the loaded section a symbol is defined in."""
    offset = image.placement.offsets.get(sym.shndx)
    if offset is None:
        raise RelocationError("%s: symbol %d '%s' is defined in section index %d, which is not "
                              "loaded (expected an SHF_ALLOC section, SHN_ABS or SHN_COMMON)"
                              % (image.name, sym.index, sym.name, sym.shndx))
    section = image.elf.sections[sym.shndx]
    if (sym.value & ~1 if sym.type == elf32.STT_FUNC else sym.value) > section.size:
        raise RelocationError("%s: symbol %d '%s' has st_value 0x%x outside its section [%d] %s "
                              "(expected 0..0x%x)" % (image.name, sym.index, sym.name, sym.value,
                                                      section.index, section.name, section.size))
    return section, offset


def _defined_address(image, sym):
    """Address of a symbol the file defines itself (S), or None if it is undefined."""
    if sym.shndx == elf32.SHN_UNDEF:
        return None
    if sym.shndx == elf32.SHN_ABS:
        return sym.value
    if sym.shndx == elf32.SHN_COMMON:
        return image.address(image.placement.common[sym.index])
    section, offset = _section_of(image, sym)
    return image.address(offset + sym.value)


def _import_address(linker, image, sym, unresolved):
    """S of an undefined symbol: the GOT origin, the firmware's export, 0 if weak, else None."""
    if sym.name == GOT_SYMBOL:
        return image.address(image.placement.got)
    return linker.import_address(image, sym, unresolved)


def _write_veneer(image, offset, target):
    image.data[offset:offset + len(_VENEER_CODE)] = _VENEER_CODE
    struct.pack_into("<I", image.data, offset + len(_VENEER_CODE), (target | 1) & 0xFFFFFFFF)
    return image.address(offset) | 1


def _link_sections(linker, image):
    """Linker.link for an ET_REL: relocations are relative to their target section."""
    placement = image.placement
    unresolved = []
    if linker.plan:
        image.plan = []
    image.got = []

    def got_slot(index):
        return image.address(placement.got_slots[index])

    context = arm_reloc.RelocContext(image.base, image.address(placement.got), got_slot)
    for relsec, target, relocations in placement.relocations:
        for rel in relocations:
            _apply_section_relocation(linker, image, context, relsec, target, rel, unresolved)
    if unresolved:
        raise _unresolved_error(image.name, unresolved)


def _unresolved_error(name, unresolved):
    return UnresolvedSymbolError(
        "%s: undefined symbol%s not exported by the firmware: %s"
        % (name, "s" if len(unresolved) > 1 else "", ", ".join(unresolved)), unresolved)


def _apply_section_relocation(linker, image, context, relsec, target, rel, unresolved):
    placement = image.placement
    sym = linker.checked_symbol(image, relsec, rel, placement.symbols)
    if sym is None:
        return
    where = linker._where(image, relsec, rel, sym.name)
    if rel.type == arm_reloc.R_ARM_NONE:
        # Only marks a dependency (.ARM.exidx on __aeabi_unwind_cpp_pr0): nothing to bind.
        return
    size = arm_reloc.place_size(rel.type)
    if rel.offset + size > target.size:
        linker._fail(RelocationError("%s: r_offset 0x%x (+%d bytes) lies outside the section it "
                                     "relocates, [%d] %s of %d bytes"
                                     % (where, rel.offset, size, target.index, target.name,
                                        target.size)))
        return
    if sym.index == 0:
        S = 0
    elif sym.shndx == elf32.SHN_UNDEF:
        S = _import_address(linker, image, sym, unresolved)
    else:
        try:
            S = _defined_address(image, sym)
        except RelocationError as error:
            linker._fail(RelocationError("%s: %s" % (where, error.message)))
            return
    if S is None:
        return
    if rel.type in arm_reloc.GOT_TYPES:
        if rel.sym not in placement.got_slots:      # symbol 0: placement made no slot
            linker._fail(RelocationError("%s: needs a GOT entry but names no symbol (expected "
                                         "a symbol index above 0)" % where))
            return
        slot = placement.got_slots[rel.sym]
        struct.pack_into("<I", image.data, slot, S & 0xFFFFFFFF)
        image.got.append((sym.name, image.address(slot), S & 0xFFFFFFFF))
    off = placement.offsets[target.index] + rel.offset
    place = image.address(off)
    old = None
    if image.plan is not None and off <= len(image.data) - 4:
        old = struct.unpack_from("<I", image.data, off)[0]
    is_func = sym.type == elf32.STT_FUNC
    try:
        try:
            value = arm_reloc.relocate(rel.type, image.data, off, place, S, context, rel.addend,
                                       is_func, rel.sym)
        except RelocationError:
            veneer = placement.veneers.get(rel.sym)
            if veneer is None or rel.type not in _LONG_BRANCHES:
                raise
            # Out of BL range (an import in flash): branch to a veneer that reaches it.
            value = arm_reloc.relocate(rel.type, image.data, off, place,
                                       _write_veneer(image, veneer, S), context, rel.addend,
                                       True, rel.sym)
    except RelocationError as error:
        hint = ""
        if rel.type in _LONG_BRANCHES and "out of range" in error.message:
            hint = ("; '%s' at 0x%08x is outside the reach of a branch from 0x%08x: build the "
                    "module with -mlong-calls" % (sym.name, S, place))
        linker._fail(RelocationError("%s: %s%s" % (where, error.message, hint)))
        return
    _record_plan(image, relsec, rel, off, place, sym, S, value, old)


def _visible(sym):
    return (sym.other & 3) != _STV_HIDDEN and (sym.other & 3) != _STV_INTERNAL


def _collect_section_symbols(image):
    """The module's table for dlsym: defined GLOBAL/WEAK functions and objects that are not
    hidden (as in an ET_DYN's .dynsym, which -fvisibility=hidden empties the same way)."""
    for sym in image.placement.symbols:
        if sym.index == 0 or sym.shndx == elf32.SHN_UNDEF or not _visible(sym):
            continue
        if sym.bind != elf32.STB_GLOBAL and sym.bind != elf32.STB_WEAK:
            continue
        if sym.type != elf32.STT_FUNC and sym.type != elf32.STT_OBJECT:
            continue
        if sym.name not in image.symbols:
            image.symbols[sym.name] = _defined_address(image, sym)


def _section_entry(image):
    """The address of `main` (e_entry is 0 in an ET_REL), or 0 for a library; any visibility."""
    for sym in image.placement.symbols:
        if sym.name != ENTRY_SYMBOL or sym.shndx == elf32.SHN_UNDEF:
            continue
        if sym.bind != elf32.STB_GLOBAL and sym.bind != elf32.STB_WEAK:
            continue
        section, offset = _section_of(image, sym)
        if (sym.type != elf32.STT_FUNC or not sym.value & 1
                or not section.flags & elf32.SHF_EXECINSTR):
            raise image.elf.error("symbol '%s' (type %d, st_value 0x%x in [%d] %s) is not a Thumb "
                                  "function in an executable section (expected the entry point)"
                                  % (sym.name, sym.type, sym.value, section.index, section.name))
        return image.address(offset + sym.value)
    return 0


def _array_priority(sec):
    # `.init_array.00101` runs before `.init_array`, lowest number first (ld's SORT_BY_INIT_PRIORITY).
    dot = sec.name.rfind(".")
    suffix = sec.name[dot + 1:]
    if dot > 0 and suffix.isdigit():
        return int(suffix)
    return 65536


def _in_section_code(image, address):
    vaddr = (address - image.bias) & 0xFFFFFFFF
    for sec, offset in image.placement.sections:
        if sec.flags & elf32.SHF_EXECINSTR and offset <= (vaddr & ~1) < offset + sec.size:
            return True
    return False


def _read_section_arrays(image):
    """init/fini functions from the (relocated) .preinit_array, .init_array and .fini_array."""
    arrays = {elf32.SHT_PREINIT_ARRAY: [], elf32.SHT_INIT_ARRAY: [], elf32.SHT_FINI_ARRAY: []}
    for sec, offset in image.placement.sections:
        if sec.type in arrays:
            arrays[sec.type].append((_array_priority(sec), sec.index, sec, offset))
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
                if not (fn & 1 and _in_section_code(image, fn)):
                    raise image.elf.error("[%d] %s entry %d is 0x%08x (expected a Thumb function "
                                          "inside the module's code at 0x%08x..0x%08x)"
                                          % (sec.index, sec.name, i, fn, image.base,
                                             image.base + image.size))
                funcs.append(fn)
        if kind == elf32.SHT_FINI_ARRAY:
            image.fini_array = funcs
        else:
            image.init_array += funcs


def _prepare_sections(elf, placement, base, resolve, errors=None, plan=False):
    """prepare() for an ET_REL."""
    image = Image(elf, placement, base)
    for sec, offset in placement.sections:
        if sec.type != elf32.SHT_NOBITS:
            image.data[offset:offset + sec.size] = elf.data[sec.offset:sec.offset + sec.size]
    image.entry = _section_entry(image)
    Linker(resolve, errors, plan).link(image)
    _collect_section_symbols(image)
    _read_config(image)
    _read_section_arrays(image)
    return image
