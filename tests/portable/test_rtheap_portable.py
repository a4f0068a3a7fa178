"""rtheap + membus core behaviour, portable: plain asserts, test_* functions, no pytest
features, no CPython-only modules (runs on CPython and on MicroPython)."""
import struct

from rtdl_device import membus
from rtdl_device import rtheap
from rtdl_device.rterror import HeapCorruption, HeapError, RtdlError

RAM = 0x20000000
HS = 16


def _make(size=4096, align=8):
    mem = membus.RamMemory(RAM, 0x8000)
    return mem, rtheap.SmallMemHeap(mem, RAM + 0x40, RAM + 0x40 + size, align)


def _raises(exc, fn, *args):
    try:
        fn(*args)
    except exc as e:
        return str(e)
    assert False, "%s not raised" % exc.__name__


def _layout(heap):
    return [(b[1], b[2]) for b in heap.check()]


class _Lcg:
    def __init__(self, seed):
        self.s = seed & 0xFFFFFFFF

    def next(self, n):
        self.s = (self.s * 1103515245 + 12345) & 0x7FFFFFFF
        return (self.s >> 8) % n


def test_membus():
    mem = membus.RamMemory(0x1000, 32)
    mem.write32(0x1000, 0x11223344)
    assert mem.read(0x1000, 4) == b"\x44\x33\x22\x11"
    assert mem.read16(0x1002) == 0x1122 and mem.read8(0x1000) == 0x44
    mem.write16(0x1004, 0x12345)
    assert mem.read16(0x1004) == 0x2345
    _raises(RtdlError, mem.read32, 0x101E)
    _raises(RtdlError, mem.write, 0x0FFF, b"ab")


def test_init_layout():
    mem, heap = _make()
    total = 4096 - 2 * HS
    assert heap.info() == (total, 0, 0)
    assert mem.read(heap.begin, 16) == struct.pack("<HHII4s", 0x1EA0, 0, total + HS, 0, b"    ")
    assert mem.read(heap.begin + total + HS, 16) == struct.pack(
        "<HHII4s", 0x1EA0, 1, total + HS, total + HS, b"INIT")
    assert _layout(heap) == [(total, 0)]


def test_split_no_split_merge():
    mem, heap = _make()
    total = heap.total
    initial = heap.snapshot()
    a = heap.malloc(10, "ab")
    assert a == heap.begin + HS and heap.usable_size(a) == 16 and heap.owner_of(a) == "ab  "
    b = heap.malloc(40)
    c = heap.malloc(40)
    assert heap.used == 3 * HS + 16 + 80
    heap.free(a)
    heap.free(c)
    assert _layout(heap) == [(16, 0), (40, 1), (total - 16 - 40 - 2 * HS, 0)]
    heap.free(b)
    assert heap.snapshot() == initial
    p = heap.malloc(total - 16)
    assert heap.usable_size(p) == total and heap.malloc(1) == 0
    heap.free(p)
    assert heap.snapshot() == initial


def test_errors():
    mem, heap = _make()
    a = heap.malloc(32)
    heap.malloc(32)
    heap.free(a)
    snap = heap.snapshot()
    assert "0x%08x" % a in _raises(HeapError, heap.free, a)
    _raises(HeapError, heap.free, a + 8)
    _raises(HeapError, heap.free, RAM)
    assert heap.snapshot() == snap
    assert heap.malloc(heap.total + 1) == 0 and heap.snapshot() == snap
    mem.write16(heap.begin, 0xDEAD)
    assert "bad magic" in _raises(HeapCorruption, heap.check)


def test_realloc_calloc_align():
    mem, heap = _make(2048)
    initial = heap.snapshot()
    p = heap.malloc(200)
    mem.write(p, b"\x11" * 200)
    assert heap.realloc(p, 40) == p and heap.usable_size(p) == 40
    guard = heap.malloc(16)
    q = heap.realloc(p, 400)
    assert q != p and mem.read(q, 40) == b"\x11" * 40
    snap = heap.snapshot()
    assert heap.realloc(q, 4000) == 0 and heap.snapshot() == snap
    assert heap.realloc(q, 0) == 0
    heap.free(guard)
    assert heap.snapshot() == initial
    z = heap.malloc(100)
    mem.write(z, b"\xff" * 100)
    heap.free(z)
    z = heap.calloc(10, 10)
    assert mem.read(z, 100) == bytes(100)
    heap.free(z)
    for align in (4, 16, 64, 256):
        a = heap.malloc_align(50, align)
        assert a % align == 0
        mem.write(a, b"\x22" * 50)
        heap.check()
        heap.free_align(a)
    assert heap.snapshot() == initial


def test_randomized_lcg():
    mem, heap = _make(6144)
    initial = heap.snapshot()
    rng = _Lcg(12345)
    live = {}
    for i in range(1500):
        if live and rng.next(100) < 45:
            keys = list(live)
            p = keys[rng.next(len(keys))]
            assert mem.read(p, len(live[p])) == live[p]
            if rng.next(2):
                heap.free(p)
                del live[p]
            else:
                size = 1 + rng.next(400)
                q = heap.realloc(p, size)
                if q:
                    keep = min(size, len(live[p]))
                    assert mem.read(q, keep) == live[p][:keep]
                    del live[p]
                    data = bytes([rng.next(256)]) * size
                    mem.write(q, data)
                    live[q] = data
        else:
            size = 1 + rng.next(300)
            p = heap.malloc(size)
            if p:
                assert p % 8 == 0 and heap.usable_size(p) >= size
                data = bytes([rng.next(256)]) * size
                mem.write(p, data)
                live[p] = data
        if i % 10 == 0:
            blocks = heap.check()
            used = [b for b in blocks if b[2]]
            assert sorted([b[0] for b in used]) == sorted(live)
            assert heap.used == sum([b[1] + HS for b in used])
    for p in live:
        heap.free(p)
    assert heap.snapshot() == initial


class _NoCodeRan:
    """What the heap reads of a cpu: its run count while no code runs, which stays put (no
    target code runs), so the heap trusts its record and keeps the takes a free undoes
    (rtheap _redo/_undo)."""
    quiet_runs = 1


def _state(mem, heap):
    return (sorted(heap.shadow.items()), heap.used, heap.max_used, heap._lfree,
            sorted(heap.aligned_blocks.items()), mem.read(heap.begin, heap.end - heap.begin))


def test_blocks_freed_in_turn_are_handed_out_as_a_search_would():
    # the same random mix on two heaps: one hands kept takes out again, the other searches
    # every time (its kept takes are dropped before each call); states must stay identical
    heaps = []
    for _ in range(2):
        mem, heap = _make(6144)
        heap.cpu = _NoCodeRan()
        heap.trust()
        heaps.append((mem, heap, []))
    rng = _Lcg(99)
    replayed = 0
    for i in range(800):
        op = rng.next(100)
        size = (8, 44, 100, 300)[rng.next(4)]
        results = []
        for n in range(2):
            mem, heap, live = heaps[n]
            if n == 1:
                heap._redo = {}
                heap._open = []
            elif heap._redo and (heap._version, (size + 7) & ~7) in heap._redo:
                replayed += 1
            if op < 50 or not live:
                p = heap.malloc_align(size, 64) if size == 300 else heap.malloc(size)
                if p:
                    live.append((p, size == 300))
            else:
                p, aligned = live.pop(-1 if op < 90 else 0)
                if aligned:
                    heap.free_align(p)
                else:
                    heap.free(p)
            results.append(p)
        assert results[0] == results[1], i
        assert _state(heaps[0][0], heaps[0][1]) == _state(heaps[1][0], heaps[1][1]), i
    assert replayed > 20, replayed      # the kept takes were handed out, not only kept
    heaps[0][1].check()


if __name__ == "__main__":
    for _name in sorted(list(globals())):
        if _name.startswith("test_"):
            globals()[_name]()
            print("ok", _name)
