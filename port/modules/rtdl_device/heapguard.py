"""Integrity of the small-memory heap (rtheap.py): the full walk (`walk`), the check of every
live block header against the heap's own record of what it wrote there (`damage`), and the
repair of target memory from that record (`repair`), so a module that smashes headers or the
end sentinel is reported and the heap goes back to its true state. `block_at` finds the block
holding an address (the out-pointer checks of svc_args.py).

The record is SmallMemHeap.shadow: offset -> the 16 header bytes the heap last wrote. The live
headers are found by following `next` through the record, never through target memory, so a
damaged header cannot mislead the walk.
Imports: struct, rterror.
"""
import struct

from .rterror import HeapCorruption

_HDR_FMT = "<HHII4s"
_HDR_SIZE = 16
_MAGIC = 0x1EA0
_SPAN = 4096            # headers this close together are read from target memory at once


def _owner_str(raw):
    try:
        return raw.decode()
    except ValueError:
        return "".join([chr(c) if 32 <= c < 127 else "?" for c in raw])


def live_headers(heap):
    """[(offset, recorded header bytes)] of every block and the end sentinel, in order."""
    shadow = heap.shadow
    eo = heap._endoff
    out = []
    off = 0
    while True:
        raw = shadow[off]
        out.append((off, raw))
        if off == eo:
            return out
        off = struct.unpack_from("<I", raw, 4)[0]


def read_headers(heap, offsets):
    """The 16 bytes target memory holds at each of `offsets` (ascending), read in as few
    memory reads as possible: headers less than _SPAN apart share one read."""
    memory = heap.memory
    begin = heap.begin
    out = []
    i = 0
    count = len(offsets)
    while i < count:
        first = offsets[i]
        j = i + 1
        while j < count and offsets[j] + _HDR_SIZE - first <= _SPAN:
            j += 1
        raw = memory.read(begin + first, offsets[j - 1] + _HDR_SIZE - first)
        for k in range(i, j):
            at = offsets[k] - first
            out.append(raw[at:at + _HDR_SIZE])
        i = j
    return out


def damage(heap):
    """[(offset, found bytes, recorded bytes)] of every live header that target memory no
    longer holds as the heap wrote it."""
    headers = live_headers(heap)
    found = []
    now = read_headers(heap, [off for off, raw in headers])
    for i in range(len(headers)):
        off, raw = headers[i]
        if now[i] != raw:
            found.append((off, now[i], raw))
    return found


def repair(heap, damaged):
    for off, now, raw in damaged:
        heap.memory.write(heap.begin + off, raw)


def describe(heap, off, now):
    """'the end sentinel' or 'the block 0x... (N bytes, used)' for a damaged header."""
    if off == heap._endoff:
        return "the heap's end sentinel at 0x%08x" % (heap.begin + off)
    raw = heap.shadow[off]
    used, nxt = struct.unpack_from("<HI", raw, 2)
    return "the header of the %s block 0x%08x (%d bytes)" % (
        "used" if used else "free", heap.begin + off + heap.header_size,
        nxt - off - heap.header_size)


def found_text(now):
    magic, used, nxt, prv, name = struct.unpack(_HDR_FMT, now)
    return "magic 0x%04x used %d next 0x%x prev 0x%x (expected magic 0x%04x)" % (
        magic, used, nxt, prv, _MAGIC)


def block_at(heap, addr):
    """(payload address, payload size, used) of the block whose payload holds `addr`, or
    None (a header, the sentinel or outside the heap)."""
    hs = heap.header_size
    begin = heap.begin
    for off, raw in live_headers(heap):
        if off == heap._endoff:
            return None
        used, nxt = struct.unpack_from("<HI", raw, 2)
        if begin + off + hs <= addr < begin + nxt:
            return (begin + off + hs, nxt - off - hs, used)
        if addr < begin + off + hs:
            return None
    return None


def walk(heap):
    """Walk every block in target memory and verify the heap. Returns [(payload addr,
    payload size, used, owner)] in address order (sentinel excluded); raises HeapCorruption
    on damage."""
    begin = heap.begin
    hs = heap.header_size
    am = heap._am
    eo = heap._endoff
    blocks = []
    off = 0
    prev_off = 0
    prev_free = False
    first_free = -1
    used_sum = 0
    memory = heap.memory
    window_start = window_end = 0
    window = b""
    while off != eo:
        if not window_start <= off <= window_end - _HDR_SIZE:
            # one read of the next _SPAN bytes instead of one per header
            window_start = off
            window_end = min(off + _SPAN, eo + _HDR_SIZE)
            window = memory.read(begin + off, window_end - off)
        magic, used, nxt, prv, name = struct.unpack_from(_HDR_FMT, window, off - window_start)
        addr = begin + off
        if magic != _MAGIC:
            raise HeapCorruption("heap block at 0x%08x: bad magic 0x%04x" % (addr, magic))
        if used > 1:
            raise HeapCorruption("heap block at 0x%08x: bad used flag %d" % (addr, used))
        if nxt < off + hs or nxt > eo or (nxt & am):
            raise HeapCorruption("heap block at 0x%08x: next offset 0x%x out of range"
                                 % (addr, nxt))
        if prv != prev_off:
            raise HeapCorruption("heap block at 0x%08x: prev offset 0x%x, expected 0x%x"
                                 % (addr, prv, prev_off))
        if used:
            used_sum += nxt - off
        else:
            if prev_free:
                raise HeapCorruption("heap block at 0x%08x: free block follows a free block"
                                     % addr)
            if first_free < 0:
                first_free = off
        blocks.append((addr + hs, nxt - off - hs, used, _owner_str(name)))
        prev_free = not used
        prev_off = off
        off = nxt
    magic, used, nxt, prv, name = heap.read_hdr(eo)
    if magic != _MAGIC or used != 1 or nxt != eo or prv != eo:
        raise HeapCorruption("heap end sentinel at 0x%08x damaged (magic 0x%04x used %d "
                             "next 0x%x prev 0x%x)" % (begin + eo, magic, used, nxt, prv))
    if first_free < 0:
        first_free = eo
    if heap._lfree != first_free:
        raise HeapCorruption("heap: lowest free block is 0x%08x, recorded 0x%08x"
                             % (begin + first_free, begin + heap._lfree))
    if used_sum != heap.used:
        raise HeapCorruption("heap: blocks in use hold %d bytes, recorded %d"
                             % (used_sum, heap.used))
    return blocks
