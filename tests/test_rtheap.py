"""rtheap.SmallMemHeap over membus.RamMemory: RT-Thread small-memory heap behaviour, block
layout in target memory, the integrity walker, and randomized runs against a reference model.
Longer than 400 lines on purpose: one heap, one file, its cases next to each other as the
heap's documented behaviour."""
import random
import struct
import time

import pytest

from rtdl_device import membus
from rtdl_device import rtheap
from rtdl_device.rterror import HeapCorruption, HeapError, RtdlError

RAM = 0x20000000
HS = 16                   # header size (align 8 and align 4)
MAGIC = 0x1EA0


def make(size=4096, align=8, offset=0x100):
    mem = membus.RamMemory(RAM, 0x10000)
    heap = rtheap.SmallMemHeap(mem, RAM + offset, RAM + offset + size, align)
    return mem, heap


def header(mem, addr):
    return struct.unpack("<HHII4s", mem.read(addr, 16))


def layout(heap):
    """[(payload size, used)] in address order."""
    return [(b[1], b[2]) for b in heap.check()]


# -- membus ------------------------------------------------------------------------------------

def test_rammemory_little_endian_and_masking():
    mem = membus.RamMemory(0x1000, 64)
    assert (mem.ram_start, mem.ram_end) == (0x1000, 0x1040)
    mem.write32(0x1000, 0x1_1234_5678)
    assert mem.read(0x1000, 4) == b"\x78\x56\x34\x12"
    assert mem.read32(0x1000) == 0x12345678
    assert mem.read16(0x1002) == 0x1234
    assert mem.read8(0x1003) == 0x12
    mem.write16(0x1010, -1)
    assert mem.read16(0x1010) == 0xFFFF
    mem.write8(0x1012, 0x1FF)
    assert mem.read8(0x1012) == 0xFF
    mem.write(0x103C, b"abcd")
    assert mem.read(0x103C, 4) == b"abcd"
    assert isinstance(mem.read(0x103C, 4), bytes)
    mem.invalidate(0x1000, 64)


@pytest.mark.parametrize("op", [
    lambda m: m.read(0xFFF, 1), lambda m: m.read(0x103D, 4), lambda m: m.read32(0x103E),
    lambda m: m.write(0x1040, b"x"), lambda m: m.write32(0x0FFC, 0), lambda m: m.read8(0x1040),
    lambda m: m.write16(0x103F, 0), lambda m: m.read16(0),
])
def test_rammemory_out_of_range(op):
    mem = membus.RamMemory(0x1000, 64)
    with pytest.raises(RtdlError) as exc:
        op(mem)
    assert "0x0000" in str(exc.value)


# -- init ----------------------------------------------------------------------------------------

def test_init_layout_bytes():
    mem, heap = make(4096)
    begin = RAM + 0x100
    total = 4096 - 2 * HS
    assert (heap.begin, heap.end, heap.total) == (begin, begin + 4096, total)
    assert heap.info() == (total, 0, 0)
    assert mem.read(begin, 16) == struct.pack("<HHII4s", MAGIC, 0, total + HS, 0, b"    ")
    assert mem.read(begin + total + HS, 16) == struct.pack(
        "<HHII4s", MAGIC, 1, total + HS, total + HS, b"INIT")
    assert heap.check() == [(begin + HS, total, 0, "    ")]
    assert heap._lfree == 0


def test_init_aligns_begin_up_and_end_down():
    mem = membus.RamMemory(RAM, 0x1000)
    heap = rtheap.SmallMemHeap(mem, RAM + 3, RAM + 0x800 + 5)
    assert (heap.begin, heap.end) == (RAM + 8, RAM + 0x800)
    assert heap.total == 0x800 - 8 - 2 * HS
    heap.check()


def test_init_align4_and_align16():
    mem, heap = make(1024, align=4, offset=0x104)
    assert heap.header_size == 16 and heap.total == 1024 - 32
    p = heap.malloc(1)
    assert p % 4 == 0 and heap.usable_size(p) == 12      # MIN_SIZE 12, not rounded to 16
    mem, heap = make(1024, align=16)
    assert heap.header_size == 16
    p = heap.malloc(1)
    assert p % 16 == 0 and heap.usable_size(p) == 16


def test_init_errors():
    mem = membus.RamMemory(RAM, 0x1000)
    with pytest.raises(HeapError):
        rtheap.SmallMemHeap(mem, RAM, RAM + 40)          # no room for 2 headers + MIN_SIZE
    with pytest.raises(HeapError):
        rtheap.SmallMemHeap(mem, RAM, RAM + 0x2000)      # past the end of RAM
    with pytest.raises(HeapError):
        rtheap.SmallMemHeap(mem, RAM, RAM + 0x800, align=6)


# -- malloc: split / no split / lfree ----------------------------------------------------------

def test_malloc_splits_and_writes_headers():
    mem, heap = make(4096)
    begin = heap.begin
    total = heap.total
    p = heap.malloc(10, owner="abcd")
    assert p == begin + HS
    assert heap.usable_size(p) == 16                     # 10 aligned to 8, raised to MIN 16
    assert header(mem, begin) == (MAGIC, 1, 32, 0, b"abcd")
    assert header(mem, begin + 32) == (MAGIC, 0, total + HS, 0, b"    ")
    assert heap.used == 32 and heap.max_used == 32
    assert heap._lfree == 32
    q = heap.malloc(100)
    assert q == begin + 32 + HS and heap.usable_size(q) == 104
    assert header(mem, begin + 32) == (MAGIC, 1, 32 + HS + 104, 0, b"NONE")
    assert header(mem, begin + 32 + HS + 104)[3] == 32   # new free block's prev
    assert layout(heap) == [(16, 1), (104, 1), (total - 32 - 120, 0)]


def test_split_fixes_prev_of_following_block():
    mem, heap = make(4096)
    a = heap.malloc(200)
    b = heap.malloc(16)
    heap.free(a)
    c = heap.malloc(40)                                  # splits a's block
    assert c == a
    off_rest = (a - heap.begin) + 40
    assert header(mem, b - HS)[3] == off_rest
    heap.check()


def test_no_split_when_remainder_too_small():
    mem, heap = make(4096)
    total = heap.total
    p = heap.malloc(total - 16)                          # remainder 16 < header + MIN
    assert heap.usable_size(p) == total
    assert heap.used == total + HS
    assert heap._lfree == total + HS                     # lfree = the sentinel
    assert heap.malloc(1) == 0
    heap.free(p)
    q = heap.malloc(total - 32)                          # remainder exactly header + MIN: split
    assert heap.usable_size(q) == total - 32
    assert layout(heap) == [(total - 32, 1), (16, 0)]


def test_whole_heap_perfect_fit():
    mem, heap = make(1024)
    p = heap.malloc(heap.total)
    assert p == heap.begin + HS
    assert heap.info() == (heap.total, heap.total + HS, heap.total + HS)
    heap.check()


def test_lfree_tracks_lowest_free_block():
    mem, heap = make(4096)
    a, b, c = heap.malloc(64), heap.malloc(64), heap.malloc(64)
    tail = c + 64 - heap.begin
    assert heap._lfree == tail
    heap.free(b)
    assert heap._lfree == b - HS - heap.begin
    heap.free(c)                                          # merges b+c+tail; lfree stays at b
    assert heap._lfree == b - HS - heap.begin
    d = heap.malloc(64)
    assert d == b and heap._lfree == d + 64 - heap.begin
    heap.free(a)
    assert heap._lfree == 0
    heap.check()


def test_first_fit_from_lfree():
    mem, heap = make(4096)
    a = heap.malloc(32)
    b = heap.malloc(200)
    c = heap.malloc(32)
    heap.malloc(32)
    heap.free(a)
    heap.free(c)
    assert heap.malloc(24) == a                           # lowest hole that fits
    assert heap.malloc(24) == c
    heap.free(b)
    assert heap.malloc(180) == b
    heap.check()


def test_malloc_zero_and_negative():
    mem, heap = make()
    snap = heap.snapshot()
    assert heap.malloc(0) == 0 and heap.malloc(-5) == 0
    assert heap.snapshot() == snap


# -- free / merge --------------------------------------------------------------------------------

def test_free_merges_next_then_previous():
    mem, heap = make(4096)
    initial = heap.snapshot()
    a, b, c, d = [heap.malloc(48) for _ in range(4)]
    heap.free(a)
    heap.free(c)
    assert layout(heap)[:4] == [(48, 0), (48, 1), (48, 0), (48, 1)]
    heap.free(b)                                          # joins a, b, c
    assert layout(heap)[:2] == [(48 * 3 + 2 * HS, 0), (48, 1)]
    assert header(mem, d - HS)[3] == 0                    # d's prev is now the merged block
    assert heap._lfree == 0
    heap.free(d)
    assert heap.snapshot() == initial
    assert heap.info()[1] == 0 and heap.max_used == 4 * (48 + HS)


def test_free_merges_with_following_free_block_only():
    mem, heap = make(4096)
    a, b = heap.malloc(48), heap.malloc(48)
    heap.free(b)                                          # b merges into the tail
    assert layout(heap) == [(48, 1), (heap.total - 48 - HS, 0)]
    heap.free(a)
    assert layout(heap) == [(heap.total, 0)]


def test_free_null_is_noop():
    mem, heap = make()
    snap = heap.snapshot()
    heap.free(0)
    assert heap.snapshot() == snap


def test_double_free_raises_and_leaves_heap():
    mem, heap = make()
    a, b = heap.malloc(32), heap.malloc(32)
    heap.free(a)
    snap = heap.snapshot()
    with pytest.raises(HeapError) as exc:
        heap.free(a)
    assert "0x%08x" % a in str(exc.value) and "free" in str(exc.value)
    assert heap.snapshot() == snap
    heap.free(b)                                          # merges back into a's block
    with pytest.raises(HeapError) as exc:
        heap.free(b)                                      # b's dead header is marked free
    assert "already free" in str(exc.value)
    heap.check()


@pytest.mark.parametrize("delta", [8, 16, 24, 4, -8, 100000, -0x100])
def test_bad_pointer_raises(delta):
    mem, heap = make()
    a = heap.malloc(64)
    mem.write(a, bytes(range(64)))
    heap.malloc(64)
    snap = heap.snapshot()
    for fn in (heap.free, heap.usable_size, heap.owner_of, lambda p: heap.realloc(p, 8)):
        with pytest.raises(HeapError) as exc:
            fn(a + delta)
        assert "0x%08x" % ((a + delta) & 0xFFFFFFFF) in str(exc.value)
    assert heap.snapshot() == snap


def test_forged_header_inside_payload_rejected():
    mem, heap = make()
    a = heap.malloc(128)
    fake = a + 32                                         # a payload that looks like a block
    mem.write(fake - HS, struct.pack("<HHII4s", MAGIC, 1, fake - heap.begin + 32,
                                     a - HS - heap.begin, b"evil"))
    with pytest.raises(HeapError):
        heap.free(fake)
    heap.check()


# -- out of memory -------------------------------------------------------------------------------

def test_out_of_memory_returns_zero_and_changes_nothing():
    mem, heap = make(2048)
    assert heap.malloc(heap.total + 1) == 0
    ptrs = []
    while True:
        p = heap.malloc(100)
        if not p:
            break
        ptrs.append(p)
    assert len(ptrs) == (2048 - 32) // (104 + HS)
    snap, info = heap.snapshot(), heap.info()
    assert heap.malloc(100) == 0
    assert heap.calloc(10, 10) == 0
    assert heap.malloc_align(100, 64) == 0
    assert heap.realloc(ptrs[0], 1000) == 0
    assert heap.snapshot() == snap and heap.info() == info
    for p in ptrs:
        heap.free(p)
    assert layout(heap) == [(heap.total, 0)]


def test_fragmented_heap_fails_large_request():
    mem, heap = make(2048)
    ptrs = [heap.malloc(64) for _ in range(20)]
    for p in ptrs[::2]:
        heap.free(p)
    free_before = heap.total - heap.used
    assert free_before > 600
    snap = heap.snapshot()
    assert heap.malloc(600) == 0
    assert heap.snapshot() == snap


# -- realloc -------------------------------------------------------------------------------------

def test_realloc_null_and_zero():
    mem, heap = make()
    p = heap.realloc(0, 40, owner="rlc0")
    assert p and heap.usable_size(p) == 40 and heap.owner_of(p) == "rlc0"
    assert heap.realloc(p, 0) == 0
    assert layout(heap) == [(heap.total, 0)]


def test_realloc_shrink_in_place_splits():
    mem, heap = make()
    p = heap.malloc(200, owner="keep")
    mem.write(p, bytes(range(200)))
    used = heap.used
    assert heap.realloc(p, 40) == p
    assert heap.usable_size(p) == 40
    assert heap.used == used - 160
    assert mem.read(p, 40) == bytes(range(40))
    assert heap.owner_of(p) == "keep"
    assert layout(heap) == [(40, 1), (heap.total - 40 - HS, 0)]   # rest merged with the tail
    assert heap._lfree == p + 40 - heap.begin


def test_realloc_shrink_before_used_block_and_lfree():
    mem, heap = make()
    a, b, c = heap.malloc(200), heap.malloc(32), heap.malloc(32)
    heap.realloc(a, 64)
    assert layout(heap)[:3] == [(64, 1), (200 - 64 - HS, 0), (32, 1)]
    assert heap._lfree == a + 64 - heap.begin
    assert header(mem, b - HS)[3] == a + 64 - heap.begin
    heap.check()


def test_realloc_small_shrink_stays_in_place():
    mem, heap = make()
    p = heap.malloc(64)
    heap.malloc(8)
    snap = heap.snapshot()
    assert heap.realloc(p, 56) == p                       # 8 bytes: too small to split off
    assert heap.realloc(p, 64) == p
    assert heap.snapshot() == snap


def test_realloc_grow_moves_and_preserves_content():
    mem, heap = make()
    p = heap.malloc(40, owner="mod1")
    heap.malloc(40)
    data = bytes((i * 7) & 0xFF for i in range(40))
    mem.write(p, data)
    q = heap.realloc(p, 400)
    assert q != p and q % 8 == 0
    assert mem.read(q, 40) == data
    assert heap.usable_size(q) == 400 and heap.owner_of(q) == "mod1"
    assert layout(heap)[0] == (40, 0)                     # the old block was freed
    assert heap.realloc(q, 800, owner="mod2") and True
    heap.check()


def test_realloc_failed_grow_keeps_old_block():
    mem, heap = make(1024)
    p = heap.malloc(300)
    mem.write(p, b"\x5a" * 300)
    heap.malloc(300)
    snap, info = heap.snapshot(), heap.info()
    assert heap.realloc(p, 600) == 0
    assert heap.realloc(p, heap.total + 8) == 0
    assert heap.snapshot() == snap and heap.info() == info
    assert mem.read(p, 300) == b"\x5a" * 300


# -- calloc --------------------------------------------------------------------------------------

def test_calloc_zeroes():
    mem, heap = make(16384)
    p = heap.malloc(9000)
    mem.write(p, b"\xaa" * 9000)
    heap.free(p)
    q = heap.calloc(300, 30, owner="zero")
    assert q == p and mem.read(q, 9000) == bytes(9000)
    assert heap.owner_of(q) == "zero"
    assert heap.calloc(0, 10) == 0 and heap.calloc(10, 0) == 0


# -- malloc_align / free_align -------------------------------------------------------------------

@pytest.mark.parametrize("align", [1, 3, 4, 8, 16, 32, 64, 256, 1024])
def test_malloc_align(align):
    mem, heap = make(8192)
    initial = heap.snapshot()
    ptrs = []
    for size in (1, 10, 100, 333):
        heap.malloc(size)                                 # vary the underlying alignment
        a = heap.malloc_align(size, align)
        eff = max(4, align)
        assert a and a % eff == 0
        real = mem.read32(a - 4)
        assert real < a and real + heap.usable_size(real) >= a + size
        mem.write(a, b"\xee" * size)
        heap.check()
        ptrs.append(a)
    for a in ptrs:
        heap.free_align(a)
    heap.free_align(0)
    for b in heap.check():
        if b[2]:
            heap.free(b[0])
    assert heap.snapshot() == initial


def test_malloc_align_errors():
    mem, heap = make()
    for bad in (0, -8, 12, 24):
        with pytest.raises(HeapError):
            heap.malloc_align(16, bad)
    p = heap.malloc(64)
    with pytest.raises(HeapError):
        heap.free_align(p + 2)
    mem.write32(p + 12, p + 40)                           # not a pointer below it
    with pytest.raises(HeapError):
        heap.free_align(p + 16)
    assert heap.malloc_align(0, 8) == 0


# -- owner ---------------------------------------------------------------------------------------

def test_owner_names():
    mem, heap = make()
    assert heap.owner_of(heap.malloc(8)) == "NONE"
    assert heap.owner_of(heap.malloc(8, "ab")) == "ab  "
    assert heap.owner_of(heap.malloc(8, b"longname")) == "long"
    assert heap.owner_of(heap.malloc(8, "x\x00yz")) == "x   "
    p = heap.malloc(8, "tid1")
    assert header(mem, p - HS)[4] == b"tid1"
    heap.free(p)
    assert header(mem, p - HS)[4] == b"    "


# -- check(): corruption detection ---------------------------------------------------------------

def _corrupt_heap():
    mem, heap = make()
    a, b, c = heap.malloc(32), heap.malloc(32), heap.malloc(32)
    heap.free(b)
    return mem, heap, a, b, c


@pytest.mark.parametrize("what,field,value,msg", [
    ("a", 0, 0x1234, "bad magic"),
    ("c", 2, 7, "bad used"),
    ("a", 4, 0, "next offset"),
    ("a", 4, 0x7FFFFFF0, "next offset"),
    ("a", 4, 12, "next offset"),
    ("c", 8, 0, "prev offset"),
    ("c", 2, 0, "free block follows a free block"),
])
def test_check_detects_corruption(what, field, value, msg):
    mem, heap, a, b, c = _corrupt_heap()
    addr = {"a": a, "c": c}[what] - HS
    if field in (0, 2):
        mem.write16(addr + field, value)
    else:
        mem.write32(addr + field, value)
    with pytest.raises(HeapCorruption) as exc:
        heap.check()
    assert msg in str(exc.value)
    assert "0x%08x" % addr in str(exc.value)


def test_check_detects_sentinel_and_bookkeeping_damage():
    mem, heap, a, b, c = _corrupt_heap()
    sentinel = heap.begin + heap.total + HS
    mem.write16(sentinel + 2, 0)
    with pytest.raises(HeapCorruption, match="sentinel"):
        heap.check()
    mem.write16(sentinel + 2, 1)
    heap.check()
    heap.used += 8
    with pytest.raises(HeapCorruption, match="recorded"):
        heap.check()
    heap.used -= 8
    heap._lfree = 0
    with pytest.raises(HeapCorruption, match="lowest free"):
        heap.check()


def test_malloc_refuses_to_walk_damaged_heap():
    mem, heap, a, b, c = _corrupt_heap()
    mem.write32(c - HS + 4, 0)                            # c.next points backwards
    with pytest.raises(HeapCorruption):
        heap.malloc(100)


def test_snapshot_is_hashable_and_compares():
    mem, heap = make()
    s1 = heap.snapshot()
    p = heap.malloc(8)
    assert heap.snapshot() != s1
    heap.free(p)
    assert heap.snapshot() == s1 and hash(heap.snapshot()) == hash(s1)
    assert heap.blocks() == list(s1[0])


# -- randomized against a reference model --------------------------------------------------------

PATTERN = bytes(((i * 131) ^ (i >> 8)) & 0xFF for i in range(8192 + 256))


def _run_random(seed, ops=3000, heap_size=12 * 1024, check_every=8):
    rng = random.Random(seed)
    mem, heap = make(heap_size, offset=0x100)
    hs, mn, total = heap.header_size, 16, heap.total
    initial = heap.snapshot()
    model = {}            # user ptr -> [size, pattern offset, real ptr, usable of real, align]

    def fill(p, size):
        k = rng.randrange(256)
        mem.write(p, PATTERN[k:k + size])
        return k

    def verify(p):
        size, k = model[p][0], model[p][1]
        assert mem.read(p, size) == PATTERN[k:k + size], "content of 0x%08x damaged" % p

    def rounded(size):
        return max(mn, (size + 7) & ~7)

    def must_fail(size):
        need = rounded(size)
        assert need > total or all(b[2] or b[1] < need for b in heap.check()), \
            "malloc(%d) failed with room" % size

    def add(p, size, real, align):
        usable = heap.usable_size(real)
        assert real % 8 == 0 and p % (align or 8) == 0
        assert heap.begin + hs <= real and real + usable <= heap.end - hs
        need = rounded(size if p == real else ((size + 3) & ~3) + max(4, align))
        assert need <= usable < need + hs + mn
        assert p + size <= real + usable
        model[p] = [size, fill(p, size), real, usable, align]

    def size_choice():
        r = rng.random()
        if r < 0.6:
            return rng.randint(1, 64)
        if r < 0.95:
            return rng.randint(65, 1024)
        return rng.randint(1025, 8000)

    for i in range(ops):
        live = [p for p in model]
        r = rng.random()
        pressure = heap.used / float(total)
        if live and (r < 0.15 + 0.5 * pressure):
            p = rng.choice(live)
            verify(p)
            if model[p][4]:
                heap.free_align(p)
            else:
                heap.free(p)
            del model[p]
        elif live and r < 0.85 and not model[live[0]][4]:
            p = live[0] if len(live) == 1 else rng.choice(live)
            if model[p][4]:
                p = live[0]
            verify(p)
            size = size_choice()
            old = model[p]
            before = heap.snapshot() if i % 4 == 0 else None
            q = heap.realloc(p, size)
            if q == 0:
                must_fail(size)
                verify(p)
                if before is not None:
                    assert heap.snapshot() == before
            else:
                keep = min(old[0], size)
                k = old[1]
                assert mem.read(q, keep) == PATTERN[k:k + keep]
                if rounded(size) <= old[3]:
                    assert q == p
                del model[p]
                add(q, size, q, 0)
        else:
            size = size_choice()
            kind = rng.random()
            before = heap.snapshot() if i % 4 == 0 else None
            if kind < 0.1:
                align = 1 << rng.randint(2, 8)
                p = heap.malloc_align(size, align)
                if p:
                    add(p, size, mem.read32(p - 4), align)
            elif kind < 0.3:
                p = heap.calloc(1, size)
                if p:
                    assert mem.read(p, size) == bytes(size)
                    add(p, size, p, 0)
            else:
                p = heap.malloc(size)
                if p:
                    add(p, size, p, 0)
            if not p:
                if kind >= 0.1:
                    must_fail(size)
                if before is not None:
                    assert heap.snapshot() == before
        if i % check_every == 0 or i == ops - 1:
            blocks = heap.check()
            used_blocks = dict((b[0], b[1]) for b in blocks if b[2])
            assert used_blocks == dict((m[2], m[3]) for m in model.values())
            assert heap.used == sum(m[3] + hs for m in model.values())
            assert heap.max_used >= heap.used
    for p in list(model):
        verify(p)
        if model[p][4]:
            heap.free_align(p)
        else:
            heap.free(p)
    assert heap.snapshot() == initial
    assert heap.used == 0


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5, 1234])
def test_randomized_against_model(seed):
    t0 = time.time()
    _run_random(seed)
    assert time.time() - t0 < 2.0


def test_randomized_align4_small_heap():
    # a small heap: many out-of-memory results; align 4 (MIN_SIZE 12)
    rng = random.Random(99)
    mem = membus.RamMemory(RAM, 0x1000)
    heap = rtheap.SmallMemHeap(mem, RAM + 4, RAM + 0x600, align=4)
    initial = heap.snapshot()
    live = {}
    for i in range(2000):
        if live and rng.random() < 0.45:
            p = rng.choice(list(live))
            assert mem.read(p, len(live[p])) == live[p]
            heap.free(p)
            del live[p]
        else:
            size = rng.randint(1, 200)
            p = heap.malloc(size)
            if p:
                assert p % 4 == 0 and heap.usable_size(p) >= max(12, size)
                data = bytes([rng.randrange(256)]) * size
                mem.write(p, data)
                live[p] = data
        if i % 16 == 0:
            heap.check()
    for p in live:
        heap.free(p)
    assert heap.snapshot() == initial
