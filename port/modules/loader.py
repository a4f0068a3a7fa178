"""The module loader, split like Zephyr's llext: load (checks + placement), link (symbol binding
+ the shared ARM relocation table), then hand the image to the kernel, which writes it into
target memory and runs init/fini.

Everything is computed on a bytearray image first, so the same code serves the device
(`load_image` into the heap), the host verifier and dry-run plans (`prepare` at any address)
and cross-interpreter checks (the image is byte-identical on CPython and MicroPython).
Imports: struct, elf32, arm_reloc, rterror.
"""
import struct

import arm_reloc
import elf32
from rterror import HeapError, RelocationError, UnresolvedSymbolError

RT_NAME_MAX = 8

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
    """The ELF file, checked to be something this loader can place (ET_DYN for now)."""
    elf = elf32.ElfFile(data, name)
    if elf.header.type != elf32.ET_DYN:
        raise elf.error("ELF type %d (expected 3, ET_DYN: a module linked with -shared)"
                        % elf.header.type)
    return elf


def place(elf):
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
    for seg in placement.segments:
        if seg.flags & elf32.PF_X and seg.vaddr <= (entry & ~1) < seg.vaddr + seg.filesz:
            return image.address(entry)
    raise elf.error("entry point 0x%x is not inside an executable loaded segment" % entry)


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
        address = self.resolve(sym.name)
        if address:
            return address
        if sym.bind == elf32.STB_WEAK:
            if sym.name not in image.weak_zero:
                image.weak_zero.append(sym.name)
            return 0
        if image.elf.prelinked:
            return None
        if sym.name not in unresolved:
            unresolved.append(sym.name)
        return None

    def link(self, image):
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
            raise UnresolvedSymbolError(
                "%s: undefined symbol%s not exported by the firmware: %s"
                % (elf.name, "s" if len(unresolved) > 1 else "", ", ".join(unresolved)),
                unresolved)

    def _where(self, image, relsec, rel, sym_name):
        what = "%s: relocation #%d (%s) in [%d] %s at offset 0x%x" % (
            image.name, rel.index, arm_reloc.type_name(rel.type), relsec.index, relsec.name,
            rel.offset)
        if sym_name:
            what += " against '%s'" % sym_name
        return what

    def _apply(self, image, relsec, rel, symbols, unresolved):
        if rel.sym >= len(symbols):
            self._fail(RelocationError("%s: symbol index %d out of range (table has %d symbols)"
                                       % (self._where(image, relsec, rel, ""), rel.sym,
                                          len(symbols))))
            return
        sym = symbols[rel.sym]
        if rel.type not in arm_reloc.RELOCATIONS:
            self._fail(RelocationError("%s: unsupported relocation type %d"
                                       % (self._where(image, relsec, rel, sym.name), rel.type)))
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
    image = Image(elf, placement, base)
    for seg in placement.segments:
        start = seg.vaddr - placement.vstart
        image.data[start:start + seg.filesz] = elf.data[seg.offset:seg.offset + seg.filesz]
    image.entry = _entry_address(elf, placement, image)
    Linker(resolve, errors, plan).link(image)
    _collect_symbols(image)
    _read_config(image)
    return image


def load_image(data, name, heap, memory, resolve, owner=None):
    """Load into the heap: allocate one block, link there, write it to target memory.

    On any failure the block is freed again, so the heap is exactly as before.
    """
    elf = parse(data, name)
    placement = place(elf)
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
