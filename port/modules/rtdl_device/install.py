"""Install, the last phase (Zephyr llext's copy/relocate/init steps): `prepare` builds the
linked image for a base address (copy the layout's contents, entry point, link, dlsym table,
init/fini functions, finsh commands and init levels, main-thread settings); `load_image` takes
a heap block, prepares the image there, writes it into target memory and invalidates
translated code. The kernel then runs .init_array, the INIT_*_EXPORT levels and module_init.
Imports: struct, finsh_exports, link, linkcache, load, rterror.
"""
import struct

from . import finsh_exports
from .link import Image, Linker
from .linkcache import LinkedFile
from .load import parse, place
from .rterror import HeapError

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
    base = path[max(path.rfind("/"), path.rfind("\\")) + 1:]
    dot = base.rfind(".")
    if dot > 0:
        base = base[:dot]
    return base[:RT_NAME_MAX]


def _read_config(image):
    """init/fini hooks and arrays, main-thread priority and stack size, from the linked image."""
    elf = image.elf
    image.init_func = image.symbols.get(SYM_INIT, 0)
    image.cleanup_func = image.symbols.get(SYM_CLEANUP, 0)
    for name, fn in ((SYM_INIT, image.init_func), (SYM_CLEANUP, image.cleanup_func)):
        # the kernel calls these: a data object of that name must not be run as code
        if fn and not (fn & 1 and image.in_code(fn)):
            raise elf.error("symbol '%s' is 0x%08x (expected a Thumb function inside the "
                            "module's code)" % (name, fn))
    image.init_array, image.fini_array = image.placement.init_fini(image)
    image.commands, image.init_functions = finsh_exports.read(image)
    for name, size in ((SYM_PRIORITY, 2), (SYM_STACKSIZE, 4)):
        addr = image.symbols.get(name)
        if addr is None:
            continue
        vaddr = (addr - image.bias) & 0xFFFFFFFF
        if not image.inside(vaddr, size):
            raise elf.error("symbol '%s' at 0x%x is not inside the module" % (name, vaddr))
        off = vaddr - image.placement.vstart
        value = struct.unpack_from("<H" if size == 2 else "<I", image.data, off)[0]
        if name == SYM_PRIORITY:
            image.priority = value
        else:
            image.stack_size = value


def prepare(elf, placement, base, resolve, errors=None, plan=False):
    """Build the linked image of `elf` for load address `base` (a bytearray, nothing written).
    `errors` and `plan` are the Linker's."""
    image = Image(elf, placement, base)
    for offset, file_offset, size in placement.contents:
        image.data[offset:offset + size] = elf.data[file_offset:file_offset + size]
    image.entry = placement.entry(image)
    Linker(resolve, errors, plan).link(image)
    for name, address in placement.exports(image):
        if name not in image.symbols:
            image.symbols[name] = address
    _read_config(image)
    return image


def image_block(placement, page):
    """(size, alignment) of the heap block for an image (lifecycle.exec_blocks predicts it).
    On an emulator that translates code a page at a time (unicorn: 1 KiB pages) the image
    starts on a page, so its code lies in pages as it was linked: where the heap happened to
    put the block no longer splits a hot loop the link kept inside one page (MD5 ran about
    20% slower for that alone). It also takes whole pages: imageprot.py makes them read-only
    for other modules, and a page shared with the next heap block would make that block
    read-only too."""
    align = placement.align
    if page > align:
        align = page
    size = placement.size
    if page:
        size = (size + page - 1) // page * page
    return size, align


def _still_in_memory(heap, image, base, size):
    """Memory still holds `image` as it was last written or compared at this address: no
    target code has run since (nothing else writes a loaded image), and since its block was
    freed (lifecycle.free_memory marks image.freed_at) the heap has handed out nothing over
    it but the block it has just taken for it again."""
    freed = image.freed_at
    image.freed_at = None
    return heap.still_holds(image.written_runs, freed, base, base + size, 1)


def load_image(data, name, heap, memory, resolve, owner=None, target=None, cache=None):
    """Load into the heap: allocate one block, link there, write it to target memory.

    `target` (an arm_attributes.Target) refuses code for another CPU or float ABI.
    `cache` (a linkcache.LinkCache) gives back what an earlier load of the same bytes parsed
    and linked (the image itself when the block is at the same address); only a load that
    succeeded is kept there. On any failure the block is freed again, so the heap is
    exactly as before.
    """
    known = cache.find(name, data, resolve, target) if cache is not None else None
    total, used, _ = heap.info()
    page = getattr(memory, "page_size", 0)
    if known is not None and known.placement.size <= total - used:
        elf = known.elf
        placement = known.placement
        block = known.block
        if block is None or block[0] != page:
            block = known.block = (page,) + image_block(placement, page)
        placement.align = block[2]
        block = block[1]
    else:
        known = None                 # parse and place again: they name what does not fit
        elf = parse(data, name)
        if target is not None:
            target.check(elf)
        placement = place(elf, total - used)
        block, placement.align = image_block(placement, page)
    aligned = placement.align > 8
    if aligned:
        base = heap.malloc_align(block, placement.align)
    else:
        base = heap.malloc(placement.size, owner)
    if not base:
        total, used, _ = heap.info()
        raise HeapError("%s: needs %d bytes of memory, the heap has %d of %d bytes free"
                        " (not in one block, or not at all)"
                        % (name, placement.size, total - used, total))
    try:
        image = known.image_at(base) if known is not None else None
        if image is None:
            image = prepare(elf, placement, base, resolve)
            payload = bytes(image.data)
            memory.write(base, payload)
        else:
            payload = known.payload
            # the same image at the same address: its code pages may still hold it, read-only
            # (imageprot keeps an unloaded image's pages so), where a write costs unicorn a
            # permission change and a compare costs a read
            if not _still_in_memory(heap, image, base, len(payload)) and \
                    memory.read(base, len(payload)) != payload:
                memory.write(base, payload)
        memory.invalidate(base, placement.size)
        # memory holds the image now; while no target code runs, only the kernel writes it
        image.written_runs = heap.quiet_runs() if hasattr(heap, "quiet_runs") else None
    except Exception:
        if aligned:
            heap.free_align(base)
        else:
            heap.free(base)
        raise
    image.aligned_block = aligned
    if cache is not None:
        if known is None:
            known = LinkedFile(data, resolve, target, elf, placement)
        known.image = image
        known.payload = payload
        cache.keep(name, known)
    return image
