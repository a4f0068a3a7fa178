"""RT-Thread's small-memory heap (src/mem.c, from lwIP's mem.c), laid out in target memory.

The heap lives in the memory of the target (a `memory` object: the emulator board or
membus.RamMemory); this object only keeps what RT-Thread keeps in static variables: where the
heap is, the lowest free block and the usage figures. Every block starts with a header (the
RT_USING_MEMTRACE layout, 16 bytes, padded to `align`):

    u16 magic (0x1ea0)   u16 used   u32 next   u32 prev   4-byte owner name

`next`/`prev` are byte offsets from the heap start; the block's payload runs from the end of
its header to the next block. An end sentinel (used = 1, next = prev = its own offset) closes
the list. Addresses handed out are target addresses; 0 means failure (RT_NULL). Running out
of memory never raises; a bad pointer handed to free/realloc raises HeapError and a damaged
header found while walking raises HeapCorruption.

Deliberate differences from RT-Thread (each one keeps the heap checkable):
- free/realloc validate the block (magic, used flag, next/prev links) and raise instead of
  asserting or silently ignoring; the sentinel's `prev` always stays its own offset.
- a perfect fit of the whole heap is allowed (mem.c's loop stops one size early).
- realloc raises the size to MIN_SIZE and shrinks in place even when the rest is too small to
  split off (mem.c then allocates, copies and frees).
- free blocks always carry the owner "    " (mem.c names the very first one "INIT"), so a
  heap whose blocks are all freed again is byte-for-byte the freshly initialised heap.

One file past 400 lines on purpose: malloc/free's hot path (every load and every rt_malloc
of a module) reads and writes the class's private record of headers inline, and splitting
the class would put a call between them on that path.
"""

import struct

from . import heapguard
from . import rtheap_resize
from .rterror import HeapError, HeapCorruption, EINVAL

try:
    from micropython import const
except ImportError:
    def const(x):
        return x

HEAP_MAGIC = const(0x1EA0)
MIN_SIZE = const(12)
_HDR_RAW = const(16)
_HDR_FMT = "<HHII4s"
_TAKEN_KEPT = const(8)
_NEVER = const(-1)          # trusted_runs when the record is not trusted: no run count is -1
_unpack = struct.unpack
_unpack_from = struct.unpack_from
_pack = struct.pack

FREE_OWNER = b"    "
SENTINEL_OWNER = b"INIT"
DEFAULT_OWNER = b"NONE"     # mem.c's name when there is no current thread


def _owner_bytes(owner, default):
    if owner is None:
        return default
    if isinstance(owner, str):
        owner = owner.encode()
    owner = bytes(owner)
    nul = owner.find(b"\x00")
    if nul >= 0:
        owner = owner[:nul]
    owner = owner[:4]
    return owner + b" " * (4 - len(owner))


def _owner_str(raw):
    try:
        return raw.decode()
    except ValueError:
        return "".join([chr(c) if 32 <= c < 127 else "?" for c in raw])


class SmallMemHeap:
    """SmallMemHeap(memory, begin, end, align=8): a heap over [begin, end) of target memory."""

    def __init__(self, memory, begin, end, align=8):
        if align < 4 or (align & (align - 1)):
            raise HeapError("heap: alignment %d is not a power of two >= 4" % align, EINVAL)
        am = align - 1
        self.memory = memory
        self.align = align
        self._am = am
        self.header_size = hs = (_HDR_RAW + am) & ~am
        self._min = (MIN_SIZE + am) & ~am
        b = (begin + am) & ~am
        e = end & ~am
        lo = getattr(memory, "ram_start", None)
        hi = getattr(memory, "ram_end", None)
        if (lo is not None and b < lo) or (hi is not None and e > hi):
            raise HeapError("heap: 0x%08x-0x%08x is outside RAM 0x%08x-0x%08x"
                            % (begin, end, lo, hi), EINVAL)
        if e - b < 2 * hs + self._min:
            raise HeapError("heap: 0x%08x-0x%08x is too small" % (begin, end), EINVAL)
        self.begin = b
        self.end = e
        self.total = e - b - 2 * hs
        self._endoff = eo = self.total + hs
        self.used = 0
        self.max_used = 0
        self._lfree = 0
        # offset -> the 16 header bytes this heap last wrote there: the authoritative block
        # metadata heapguard.py checks target memory against and repairs it from
        self.shadow = {}
        # aligned address -> the block malloc_align took for it: the word below an aligned
        # block (RT-Thread's record) lies in memory its user can write, so free_align goes
        # by this record and only keeps that word as RT-Thread does
        self.aligned_blocks = {}
        # Only target code damages headers; the heap's own writes keep them as recorded. So
        # when the cpu (the board's; None: no such count) has not run since heapguard found
        # every live header as recorded (`trust`), a header is read from the record. The
        # record then holds live headers only: a header merged away is dropped from it.
        # Every test of that reads cpu.quiet_runs (its run count while no code runs, else
        # None): the cpu's one answer, which the lifecycle and the board's memory go by too.
        self.cpu = None
        self.trusted_runs = _NEVER
        # called with (address, size) of every block malloc hands out, or None: imageprot
        # keeps an unloaded image's read-only pages so until the heap hands them out again
        self.taking = None
        # blocks handed out so far, and [count, start, end) of the last few: a mark for
        # still_holds (a caller that knows what it left in a block it freed)
        self.handed = 0
        self._taken = []
        # What the heap last wrote into what is now free space, while memory still holds it:
        # offset -> (header bytes, cpu.quiet_runs, `handed`) of a block merged away, and
        # (address, value, cpu.quiet_runs, `handed`) of malloc_align's word below its block.
        # Memory holds it while no target code has run since and no block handed out since
        # covers it (still_holds): a block opened and closed in turn finds its headers
        # already in place.
        self._left = {}
        self._left_word = None
        # A block freed right after it was taken (nothing changed the heap in between) puts
        # the heap back exactly as before the take: `_version` names the state of the record
        # (headers, usage, lowest free block), a free that undoes the last take gives the
        # state back its name, and the take is kept (_redo) so that the same request in that
        # state is handed out again from the kept take, without the search (_give). A
        # library opened and closed in turn takes and frees the same two blocks so.
        self._version = 0
        self._serial = 0
        self._open = []          # takes (_give's tuples) that a free may still undo, in order
        self._redo = {}          # (version, size) -> the take made in that state
        self._put(0, 0, eo, 0, FREE_OWNER)
        self._put(eo, 1, eo, eo, SENTINEL_OWNER)

    # -- header access: one read / one write per header --------------------------------------

    def _record(self):
        """The record of live headers when target memory is known to hold them (see
        __init__), else None: then every header is read from memory."""
        cpu = self.cpu
        if cpu is not None and cpu.quiet_runs == self.trusted_runs:
            return self.shadow
        return None

    def _hdr(self, off, record=None):
        if record is not None:
            raw = record.get(off)
            if raw is not None:
                return _unpack(_HDR_FMT, raw)
        return self.read_hdr(off)

    def read_hdr(self, off):
        """The header target memory holds at `off` (never the record)."""
        raw = self.memory.read(self.begin + off, _HDR_RAW)
        if len(raw) != _HDR_RAW:
            raise HeapCorruption("heap block at 0x%08x: short read" % (self.begin + off))
        return struct.unpack(_HDR_FMT, raw)

    def _walk_hdr(self, off, record=None):
        # A header met while following `next`: refuse to walk through a damaged one. One
        # from the record is as the heap wrote it, valid.
        if record is not None:
            raw = record.get(off)
            if raw is not None:
                return _unpack(_HDR_FMT, raw)
        h = self.read_hdr(off)
        if h[0] != HEAP_MAGIC or h[1] > 1 or h[2] <= off or h[2] > self._endoff:
            raise HeapCorruption("heap block at 0x%08x: damaged header (magic 0x%04x used %d "
                                 "next 0x%x)" % (self.begin + off, h[0], h[1], h[2]))
        return h

    def _put(self, off, used, nxt, prv, owner):
        raw = _pack(_HDR_FMT, HEAP_MAGIC, used, nxt, prv, owner)
        self.memory.write(self.begin + off, raw)
        self.shadow[off] = raw
        if self._left:
            self._left.pop(off, None)       # a live header again: _left holds dead ones only

    def _leave(self, off, raw):
        """The header `raw` at `off` left in memory as its block merges into free space."""
        cpu = self.cpu
        runs = None if cpu is None else cpu.quiet_runs
        if runs is None:
            return
        left = self._left
        if len(left) >= 16:
            left = self._left = {}
        left[off] = (raw, runs, self.handed)

    def _set_prev(self, off, prv):
        if off != self._endoff:
            self.memory.write32(self.begin + off + 8, prv)
            raw = self.shadow[off]
            self.shadow[off] = raw[:8] + struct.pack("<I", prv) + raw[12:]

    def _block(self, ptr, what, record=None):
        """Validate `ptr` as the payload of a used block; return (off, header, prev header)."""
        hs = self.header_size
        off = ptr - hs - self.begin
        if off < 0 or off >= self._endoff or (off & self._am):
            raise HeapError("%s: 0x%08x is not a heap pointer" % (what, ptr & 0xFFFFFFFF))
        h = self._hdr(off, record)
        if h[0] != HEAP_MAGIC:
            raise HeapError("%s: 0x%08x is not a heap block (magic 0x%04x)" % (what, ptr, h[0]))
        if h[1] == 0:
            raise HeapError("%s: 0x%08x is already free (double free?)" % (what, ptr))
        nxt = h[2]
        prv = h[3]
        if h[1] != 1 or nxt < off + hs or nxt > self._endoff or (nxt & self._am):
            raise HeapError("%s: 0x%08x has a damaged header (used %d next 0x%x)"
                            % (what, ptr, h[1], nxt))
        ph = None
        if off == 0:
            if prv != 0:
                raise HeapError("%s: 0x%08x has a damaged header (prev 0x%x)" % (what, ptr, prv))
        else:
            if prv >= off or (prv & self._am):
                raise HeapError("%s: 0x%08x is not a heap block (prev 0x%x)" % (what, ptr, prv))
            ph = self._hdr(prv, record)
            if ph[0] != HEAP_MAGIC or ph[2] != off:
                raise HeapError("%s: 0x%08x is not a heap block (prev block does not link to it)"
                                % (what, ptr))
        return off, h, ph

    def trust(self):
        """heapguard found (or made) target memory hold every live header as recorded."""
        # not while code runs on: it could change a header before the run count moves
        runs = self.quiet_runs()
        self.trusted_runs = _NEVER if runs is None else runs

    # -- the allocator -------------------------------------------------------------------------

    def malloc(self, size, owner=None):
        """rt_malloc: the payload address of a block of at least `size` bytes, or 0."""
        if size <= 0:
            return 0
        am = self._am
        size = (size + am) & ~am
        if size > self.total:
            return 0
        if size < self._min:
            size = self._min
        # the hot path of every load: the record test, header reads and writes inline
        cpu = self.cpu
        record = self.shadow if (cpu is not None and cpu.quiet_runs == self.trusted_runs) \
            else None
        if record is not None and owner is None and self._redo:
            took = self._redo.get((self._version, size))
            if took is not None and record.get(took[1]) == took[12]:
                return self._give(took)
        hs = self.header_size
        limit = self.total - size
        off = self._lfree
        while off <= limit:
            raw = record.get(off) if record is not None else None
            h = _unpack(_HDR_FMT, raw) if raw is not None else self._walk_hdr(off)
            nxt = h[2]
            if h[1] == 0 and nxt - off - hs >= size:
                return self._take(off, nxt, h[3], size, owner, record)
            off = nxt
        return 0

    def _take(self, off, nxt, prv, size, owner, record):
        """Hand out the free block at `off` (its header's next and prev): split off the rest
        when a block fits there, else take it whole."""
        hs = self.header_size
        eo = self._endoff
        shadow = self.shadow
        name = DEFAULT_OWNER if owner is None else _owner_bytes(owner, DEFAULT_OWNER)
        split = nxt - off - hs >= size + hs + self._min
        off2 = off + hs + size if split else nxt
        raw2 = prev_raw = None
        if split:
            # split: the rest becomes a free block between this one and the next
            raw2 = _pack(_HDR_FMT, HEAP_MAGIC, 0, nxt, off, FREE_OWNER)
            if nxt != eo:
                raw = shadow[nxt]
                prev_raw = raw[:8] + _pack("<I", off2) + raw[12:]
            got = size
        else:
            got = nxt - off - hs
        lf = self._lfree
        if off == lf:
            lf = off2
            if off2 == nxt:
                # taken whole: the lowest free block is the next free one after it
                while lf != eo:
                    lh = self._walk_hdr(lf, record)
                    if not lh[1]:
                        break
                    lf = lh[2]
        self._serial += 1
        was = shadow.get(off)
        keep = record is not None and was is not None
        if not keep:
            self._open = []          # read from memory: not kept for an exact undo
        return self._give((self.begin + off + hs, off, off2, nxt, got, raw2, prev_raw,
                           _pack(_HDR_FMT, HEAP_MAGIC, 1, off2, prv, name), self._lfree, lf,
                           self._version, self._serial, was,
                           size if owner is None else None, keep))

    def _give(self, took):
        """Make the take `took` (from _take, or kept in _redo): write its headers, count it."""
        addr, off, off2, nxt, got, raw2, prev_raw, raw, _, lf, _, after, _, _, keep = took
        begin = self.begin
        write = self.memory.write
        shadow = self.shadow
        if raw2 is not None:
            held = self._left.pop(off2, None) if self._left else None
            if held is None or raw2 != held[0] or not self.still_holds(
                    held[1], held[2], begin + off2, begin + off2 + self.header_size, 0):
                write(begin + off2, raw2)
            shadow[off2] = raw2
            if prev_raw is not None:
                self.memory.write32(begin + nxt + 8, off2)
                shadow[nxt] = prev_raw
        write(begin + off, raw)
        shadow[off] = raw
        used = self.used + got + self.header_size
        self.used = used
        if used > self.max_used:
            self.max_used = used
        self._lfree = lf
        self._version = after
        if keep:
            opened = self._open
            opened.append(took)
            if len(opened) > _TAKEN_KEPT:
                del opened[0]
        handed = self.handed + 1
        self.handed = handed
        taken = self._taken
        taken.append((handed, addr, addr + got))
        if len(taken) > _TAKEN_KEPT:
            del taken[0]
        if self.taking is not None:
            self.taking(addr, got)
        return addr

    def _undo(self, took):
        """free() of the block of the last take, the heap unchanged since: back to the state
        before it, as free's merging would make it."""
        addr, off, off2, nxt, got, raw2, prev_raw, _, lf, _, before, _, was, size, _ = took
        self._open.pop()
        begin = self.begin
        shadow = self.shadow
        if raw2 is not None:
            del shadow[off2]
            self._leave(off2, raw2)
            if prev_raw is not None:
                self.memory.write32(begin + nxt + 8, off)
                shadow[nxt] = prev_raw[:8] + _pack("<I", off) + prev_raw[12:]
        self.memory.write(begin + off, was)
        shadow[off] = was
        self.used -= got + self.header_size
        self._lfree = lf
        self._version = before
        if size is not None:         # made for malloc(size) with no owner: malloc replays it
            redo = self._redo
            if len(redo) >= _TAKEN_KEPT:
                redo.clear()
            redo[(before, size)] = took

    def free(self, ptr):
        """rt_free: free(0) does nothing; a bad pointer or a double free raises HeapError."""
        if ptr == 0:
            return
        cpu = self.cpu
        record = shadow = self.shadow
        if cpu is None or cpu.quiet_runs != self.trusted_runs:
            record = None
        opened = self._open
        if record is not None and opened:
            took = opened[-1]
            if took[0] == ptr and took[11] == self._version and record.get(took[1]) == took[7]:
                self._undo(took)
                return
        self._serial += 1
        self._version = self._serial
        self._open = []
        off = ptr - self.header_size - self.begin
        raw = record.get(off) if record is not None else None
        h = ph = None
        if raw is not None:
            h = _unpack(_HDR_FMT, raw)
            if h[1] != 1:
                h = None
            elif off:
                # a used block's live header, as the heap wrote it: _block's checks all hold
                prev = record.get(h[3])
                if prev is None:
                    h = None
                else:
                    ph = _unpack(_HDR_FMT, prev)
        if h is None:
            off, h, ph = self._block(ptr, "free", record)
        eo = self._endoff
        nxt = h[2]
        prv = h[3]
        self.used += off - nxt
        lfree = self._lfree
        if off < lfree:
            lfree = off
        stop = nxt
        if nxt != eo:
            raw = record.get(nxt) if record is not None else None
            nh = _unpack(_HDR_FMT, raw) if raw is not None else self._walk_hdr(nxt)
            if nh[1] == 0:
                # merge with the following free block
                if lfree == nxt:
                    lfree = off
                stop = nh[2]
                gone = shadow.pop(nxt)
                if record is not None:
                    self._leave(nxt, gone)      # trusted: memory holds it as recorded
        write = self.memory.write
        begin = self.begin
        if ph is not None and ph[1] == 0:
            # merge into the preceding free block; the dead header is left marked free
            if lfree == off:
                lfree = prv
            raw = _pack(_HDR_FMT, HEAP_MAGIC, 0, stop, prv, FREE_OWNER)
            write(begin + off, raw)
            shadow.pop(off, None)
            self._leave(off, raw)
            self._put(prv, 0, stop, ph[3], FREE_OWNER)
            self._set_prev(stop, prv)
        else:
            raw = _pack(_HDR_FMT, HEAP_MAGIC, 0, stop, prv, FREE_OWNER)
            write(begin + off, raw)
            shadow[off] = raw
            if stop != nxt and stop != eo:
                self._set_prev(stop, off)
        self._lfree = lfree

    def realloc(self, ptr, size, owner=None):
        """rt_realloc: 0 -> malloc, size 0 -> free (returns 0); shrinks in place, grows by
        allocate/copy/free. On failure returns 0 and the old block is untouched."""
        return rtheap_resize.realloc(self, ptr, size, owner)

    def calloc(self, count, size, owner=None):
        """rt_calloc: malloc(count * size) filled with zeroes, or 0."""
        return rtheap_resize.calloc(self, count, size, owner)

    def malloc_align(self, size, align, owner=None):
        """rt_malloc_align: over-allocate by `align`, return the aligned address; the original
        pointer is stored in the word just below it (free it with free_align)."""
        if align <= 0:
            raise HeapError("malloc_align: bad alignment %d" % align, EINVAL)
        align = (align + 3) & ~3
        if align & (align - 1):
            raise HeapError("malloc_align: alignment %d is not a power of two" % align, EINVAL)
        if size <= 0:
            return 0
        p = self.malloc(((size + 3) & ~3) + align, owner)
        if not p:
            return 0
        if p & (align - 1):
            a = (p + align - 1) & ~(align - 1)
        else:
            a = p + align
        word = self._left_word
        if word is None or word[0] != a - 4 or word[1] != p or \
                not self.still_holds(word[2], word[3], a - 4, a, 1):
            self.memory.write32(a - 4, p)
        self.aligned_blocks[a] = p
        # kept for the next malloc_align here: the kernel writes the image from `a` on, only
        # target code (a new run) or a block handed out over it (still_holds) changes it
        cpu = self.cpu
        runs = None if cpu is None else cpu.quiet_runs
        self._left_word = None if runs is None else (a - 4, p, runs, self.handed)
        return a

    def free_align(self, ptr):
        """rt_free_align: free a block from malloc_align (0 does nothing)."""
        if ptr == 0:
            return
        if ptr & 3 or ptr - 4 < self.begin + self.header_size or ptr > self.end:
            raise HeapError("free_align: 0x%08x is not an aligned heap pointer"
                            % (ptr & 0xFFFFFFFF))
        real = self.aligned_blocks.get(ptr)
        if real is None:
            raise HeapError("free_align: 0x%08x is not from malloc_align" % ptr)
        self.free(real)
        del self.aligned_blocks[ptr]

    def usable_size(self, ptr):
        """The payload size of the used block at `ptr` (HeapError on a bad pointer)."""
        off, h, ph = self._block(ptr, "usable_size")
        return h[2] - off - self.header_size

    def owner_of(self, ptr):
        """The 4-character owner name stored in the used block at `ptr`."""
        off, h, ph = self._block(ptr, "owner_of")
        return _owner_str(h[4])

    def still_holds(self, runs, mark, addr, end, own):
        """Memory at [addr, end) still holds what was written there while cpu.quiet_runs was
        `runs` and left there when `handed` was `mark`: no target code has run since, and `own`
        blocks at most (the caller's own) were handed out over it since. One rule for what
        the heap, the loader (an image) and the lifecycle (a module struct) need not write
        again."""
        # inline: it runs five times in every load and unload
        cpu = self.cpu
        if runs is None or mark is None or cpu is None or cpu.quiet_runs != runs:
            return False
        since = self.handed - mark          # the last `since` blocks of _taken
        if since > len(self._taken):
            return False
        count = 0
        if since:
            for taken in self._taken[-since:]:
                if taken[1] < end and addr < taken[2]:
                    count += 1
        return count == own

    def quiet_runs(self):
        """The cpu's run count while no target code runs (what the heap left is known only
        then), or None."""
        cpu = self.cpu
        return None if cpu is None else cpu.quiet_runs

    def info(self):
        """rt_memory_info: (total, used, max_used)."""
        return (self.total, self.used, self.max_used)

    # -- integrity (heapguard.py) -----------------------------------------------------------

    def check(self):
        """Walk every block and verify the heap. Returns [(payload addr, payload size, used,
        owner)] in address order (sentinel excluded); raises HeapCorruption on damage."""
        return heapguard.walk(self)

    def blocks(self):
        return self.check()

    def snapshot(self):
        """A comparable description of the whole heap: (blocks, used)."""
        return (tuple(self.check()), self.used)

    def block_at(self, addr):
        """(payload, size, used) of the block whose payload holds `addr`, or None."""
        return heapguard.block_at(self, addr)
