"""rt_realloc and rt_calloc over rtheap.SmallMemHeap: resizing a block in place or by
allocate/copy/free, and zero-filling a new one. Apart from the allocator's hot path (malloc and
free, which every load takes) so that rtheap.py stays the size its docstring gives reasons
for; these read the heap's record and headers as its own methods do.
Imports: rtheap (at call time).
"""
_CHUNK = 4096


def _names():
    # at call time: rtheap imports this module
    from .rtheap import DEFAULT_OWNER, FREE_OWNER, _owner_bytes
    return DEFAULT_OWNER, FREE_OWNER, _owner_bytes


def _account(heap, delta):
    u = heap.used + delta
    heap.used = u
    if u > heap.max_used:
        heap.max_used = u


def realloc(heap, ptr, size, owner=None):
    """rt_realloc: 0 -> malloc, size 0 -> free (returns 0); shrinks in place, grows by
    allocate/copy/free. On failure returns 0 and the old block is untouched."""
    if ptr == 0:
        return heap.malloc(size, owner)
    if size <= 0:
        heap.free(ptr)
        return 0
    record = heap._record()
    off, h, ph = heap._block(ptr, "realloc", record)
    heap._serial += 1
    heap._version = heap._serial
    heap._open = []
    am = heap._am
    size = (size + am) & ~am
    if size < heap._min:
        size = heap._min
    hs = heap.header_size
    nxt = h[2]
    old = nxt - off - hs
    default, free_owner, owner_bytes = _names()
    name = h[4] if owner is None else owner_bytes(owner, default)
    if size <= old:
        if old - size >= hs + heap._min:
            eo = heap._endoff
            off2 = off + hs + size
            stop = nxt
            if nxt != eo:
                nh = heap._walk_hdr(nxt, record)
                if nh[1] == 0:
                    stop = nh[2]
                    del heap.shadow[nxt]
            heap._put(off2, 0, stop, off, free_owner)
            heap._set_prev(stop, off2)
            heap._put(off, 1, off2, h[3], name)
            if off2 < heap._lfree:
                heap._lfree = off2
            _account(heap, size - old)
        elif name != h[4]:
            heap._put(off, 1, nxt, h[3], name)
        return ptr
    if size > heap.total:
        return 0
    new = heap.malloc(size, name)
    if new:
        _copy(heap, new, ptr, old)
        heap.free(ptr)
    return new


def calloc(heap, count, size, owner=None):
    """rt_calloc: malloc(count * size) filled with zeroes, or 0."""
    n = count * size
    p = heap.malloc(n, owner)
    if p:
        mem = heap.memory
        a = p
        while n > 0:
            k = n if n < _CHUNK else _CHUNK
            mem.write(a, bytes(k))
            a += k
            n -= k
    return p


def _copy(heap, dst, src, n):
    mem = heap.memory
    while n > 0:
        k = n if n < _CHUNK else _CHUNK
        mem.write(dst, mem.read(src, k))
        dst += k
        src += k
        n -= k
