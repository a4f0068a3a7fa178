"""What outlives a module and must survive it (issue 10): the kernel's control blocks in target
memory (struct rt_thread of other modules' threads and of tidle0/tshell, the structs of
semaphores, mutexes, events, mailboxes, queues, pools, timers and devices, other modules'
struct rt_dlmodule) and the read-only parts (code, constants) of other modules' images.

Nothing is watched while module code runs. When a module ends, every such block it does not
own is compared with what the kernel wrote there, re-rendered from the kernel's own state
into a scratch copy (no shadow is kept on the service path): an object's header as
objblocks.write_header makes it, a thread's struct as it was made (tcb.made) with the fields
tcb.sync last wrote, a module's struct from its record. An image is compared with the linked
bytes the loader kept (image.data). What differs is put back; the caller reports it as a fault
of the ending module when no other module ran alongside (as fwguard does).

Not compared: fields modules may write themselves (a thread's `error`, which _rt_errno hands
out; a device's flag, rx_indicate and tx_complete, which svc_device reads back), the
writable data of other modules (changed through their API) and list nodes nobody keeps.
Imports: struct, devices, elf32, objblocks, rt_layout, tcb, records.
"""
import struct

from . import devices
from . import elf32
from . import objblocks
from . import rt_layout
from . import tcb as rt_tcb
from .records import STAT_CLOSED

_THREAD_ERROR = (rt_tcb.ERROR, 4)
_SIG_PENDING = rt_layout.offset("rt_thread", "sig_pending")
_SIG_MASK = rt_layout.offset("rt_thread", "sig_mask")


class Scratch:
    """memory's write interface over a copy of one block: writes outside it are dropped
    (a mailbox's sync also writes its ring)."""

    def __init__(self, base, size, raw=None):
        self.base = base
        self.raw = bytearray(raw) if raw is not None else bytearray(size)

    def write(self, addr, data):
        off = addr - self.base
        if 0 <= off and off + len(data) <= len(self.raw):
            self.raw[off:off + len(data)] = data

    def write8(self, addr, value):
        self.write(addr, struct.pack("<B", value & 0xFF))

    def write16(self, addr, value):
        self.write(addr, struct.pack("<H", value & 0xFFFF))

    def write32(self, addr, value):
        self.write(addr, struct.pack("<I", value & 0xFFFFFFFF))


# ------------------------------------------------------------------ control blocks -------
def _blocks(kernel, ending):
    """(what, struct name, address, expected bytes, [(offset, size) not compared])."""
    memory = kernel.memory
    found = []
    seen = set()
    for thread in list(kernel.threads) + list(kernel.system.threads):
        made = getattr(thread, "tcb_made", None)
        if not thread.tcb or made is None or thread.module is ending or thread.tcb in seen:
            continue
        seen.add(thread.tcb)
        scratch = Scratch(thread.tcb, 0, made)
        rt_tcb.sync(scratch, thread, True)
        scratch.write32(thread.tcb + _SIG_PENDING, thread.sig_pending)
        scratch.write32(thread.tcb + _SIG_MASK, thread.sig_mask)
        found.append(("thread '%s'" % thread.name, "rt_thread", thread.tcb, scratch.raw,
                      (_THREAD_ERROR,)))
    for handle in list(kernel.objects):
        obj = kernel.objects[handle]
        if obj.module is ending or not handle:
            continue
        size = objblocks.size_of(obj)
        scratch = Scratch(handle, size)
        if isinstance(obj, devices.Device):        # svc_device knows its struct
            keep = kernel.devices.render(obj, scratch)
        else:
            objblocks.write_header(scratch, obj, obj.module.handle if obj.module else 0)
            keep = ()
        found.append(("%s '%s'" % (obj.kind, obj.name), obj.struct, handle, scratch.raw, keep))
    for module in kernel.modules:
        if module is ending or not module.handle or module.state == STAT_CLOSED:
            continue
        found.append(("the module object of '%s'" % module.name, None, module.handle,
                      kernel.lifecycle.struct_bytes(module), ()))
    return found


def _fields(struct_name, diff):
    """[(field name, start, size)] of what the differing offsets `diff` (ascending) fall in,
    in order and without overlaps: the innermost named field, else (padding, a member the
    layout does not name: list nodes) the run of differing bytes up to the next named
    field, named by the field around it and its offset there ("parent+0xc")."""
    layout = rt_layout.STRUCTS[struct_name][1] if struct_name is not None else ()
    # the innermost fields: none of the layout lies inside them
    leaves = [field for field in layout
              if not [other for other in layout if other[2] < field[2] and
                      field[1] <= other[1] and other[1] + other[2] <= field[1] + field[2]]]
    differs = set(diff)
    found = []
    covered = -1
    for off in diff:
        if off < covered:
            continue
        best = None
        for path, start, size in leaves:
            if start <= off < start + size and (best is None or size < best[2]):
                best = (path, start, size)
        if best is None:
            around = None
            following = None
            for path, start, size in layout:
                if start <= off < start + size and (around is None or size < around[2]):
                    around = (path, start, size)
            for path, start, size in leaves:
                if start > off and (following is None or start < following):
                    following = start
            end = off + 1
            while end in differs and (following is None or end < following):
                end += 1
            name = "%s+0x%x" % (around[0], off - around[1]) if around else "+0x%x" % off
            best = (name, off, end - off)
        found.append(best)
        covered = best[1] + best[2]
    return found


def _value(raw):
    if len(raw) <= 4:
        return "0x" + "".join(["%02x" % raw[i] for i in range(len(raw) - 1, -1, -1)])
    return repr(bytes(raw))


def control_block_damage(kernel, ending):
    """Put back every control block `ending` does not own where it differs from what the
    kernel wrote; returns descriptions of what was found (empty when nothing)."""
    memory = kernel.memory
    found = []
    for what, struct_name, addr, expected, keep in _blocks(kernel, ending):
        now = memory.read(addr, len(expected))
        if now == expected:
            continue
        expected = bytearray(expected)
        for off, size in keep:
            expected[off:off + size] = now[off:off + size]
        if now == expected:
            continue
        memory.write(addr, bytes(expected))
        diff = [i for i in range(len(now)) if now[i] != expected[i]]
        fields = []
        for name, start, size in _fields(struct_name, diff):
            if name[0] != "+":               # (a run no field names is its offset alone)
                name = "%s (+0x%x)" % (name, start)
            fields.append("%s was %s, found %s" % (name, _value(expected[start:start + size]),
                                                   _value(now[start:start + size])))
        found.append("%s (control block at 0x%08x): %s" % (what, addr, ", ".join(fields)))
    return found


# ------------------------------------------------------------------ module images -------
def read_only_parts(image):
    """[(section name, address, offset in image.data, size)] of an image's allocated parts
    that are not writable: its code and constants (sections; without section headers, the
    PT_LOAD segments without PF_W)."""
    parts = []
    placement = image.placement
    if hasattr(placement, "sections"):                        # ET_REL: offsets are vaddrs
        for sec, offset in placement.sections:
            if sec.type != elf32.SHT_NOBITS and sec.size and not sec.flags & elf32.SHF_WRITE:
                parts.append((sec.name, image.address(offset), offset, sec.size))
        return parts
    for sec in image.elf.sections:
        if (sec.flags & elf32.SHF_ALLOC and sec.type != elf32.SHT_NOBITS and sec.size
                and not sec.flags & elf32.SHF_WRITE):
            parts.append((sec.name, image.address(sec.addr), sec.addr - placement.vstart,
                          sec.size))
    if parts:
        return parts
    index = 0
    for seg in placement.segments:
        if not seg.flags & elf32.PF_W and seg.filesz:
            parts.append(("segment %d" % index, image.address(seg.vaddr),
                          seg.vaddr - placement.vstart, seg.filesz))
        index += 1
    return parts


def _spans(parts):
    """The parts merged where they touch: fewer, longer reads."""
    spans = []
    for name, addr, off, size in sorted(parts, key=lambda part: part[1]):
        if spans and spans[-1][0] + spans[-1][2] == addr and spans[-1][1] + spans[-1][2] == off:
            spans[-1][2] += size
        else:
            spans.append([addr, off, size])
    return spans


def keep_image(module):
    """At load: where the module's read-only bytes are (their copy is image.data); an image
    the loader reuses (linkcache.py) keeps them from its first load."""
    image = module.image
    kept = getattr(image, "read_only", None)
    if kept is None:
        parts = read_only_parts(image)
        kept = image.read_only = (parts, _spans(parts))
    module.read_only = kept


def image_damage(kernel, ending):
    """Put back the read-only bytes of every other loaded module that differ from what the
    loader wrote; returns descriptions (empty when nothing)."""
    memory = kernel.memory
    found = []
    for module in kernel.modules:
        kept = getattr(module, "read_only", None)
        if module is ending or kept is None or module.image is None:
            continue
        data = module.image.data
        parts, spans = kept
        for addr, off, size in spans:
            expected = bytes(data[off:off + size])
            now = memory.read(addr, size)
            if now == expected:
                continue
            memory.write(addr, expected)
            memory.invalidate(addr, size)       # no stale translation of the damaged code
            diff = [i for i in range(size) if now[i] != expected[i]]
            at = addr + diff[0]
            section = "?"
            for name, start, _off, length in parts:
                if start <= at < start + length:
                    section = "%s+0x%x" % (name, at - start)
            found.append("module '%s' %s at 0x%08x (%d bytes) was %s, found %s"
                         % (module.name, section, at, len(diff),
                            _hex(expected[diff[0]:diff[0] + 4]), _hex(now[diff[0]:diff[0] + 4])))
    return found


def _hex(raw):
    return "".join(["%02x" % c for c in raw])


def damage(kernel, ending):
    """Both checks; a description for the report, or None."""
    found = control_block_damage(kernel, ending) + image_damage(kernel, ending)
    if not found:
        return None
    return "kernel memory overwritten: %s; the kernel put it back" % "; ".join(found)
