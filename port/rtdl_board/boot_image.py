"""The firmware's own start-up (rtdl_firmware_init) run once per firmware, then replayed.

rtdl_firmware_init has newlib allocate what it keeps for itself (stdio buffers, the FILE
table, float-formatting Bigints) before any module runs: 4-5 ms of emulation, most of it
translating libc code, in every boot. Its outcome is a function of the firmware's loadable
bytes, the CPU model and rtdl's own code alone, as long as the only kernel services it calls
are the heap's: the board runs it for real once, records which RAM pages it changed and the
heap's bookkeeping (SmallMemHeap's shadow of every header, used, max_used, lowest free
block), and keeps that in firmware_cache. Later boots write those pages and that state back
instead of running it. A start-up that calls any other service (the kernel would hold state
the record cannot replay) is never recorded: it runs at every boot, as before.

CPython only. May import: rtdl_device (services), the board's own modules.
"""
from rtdl_device import services

from . import firmware_cache
from .memory_map import RAM_BASE, RAM_SIZE

PAGE = 1024
# what a replayable start-up may call: it only allocates (and frees) memory
_HEAP_SERVICES = ("rt_malloc", "rt_calloc", "rt_free", "rt_realloc")


def _heap_numbers():
    names = [entry[0] for entry in services.SERVICES]
    return set(names.index(name) for name in _HEAP_SERVICES if name in names)


def boot(board, init, loadable):
    """Run the firmware's start-up function `init` on `board` (its kernel and heap made),
    or replay its record. `loadable` is the firmware's loadable bytes (the record's key)."""
    record = firmware_cache.cached("boot-" + board.cpu_name, loadable,
                                   lambda: _record(board, init))
    if board.recorded_boot is not None:
        return                      # it has just run for real, to be recorded
    if record is None:
        board.cpu.call(init)        # not replayable: it runs at every boot
        return
    pages, shadow, used, max_used, lowest_free = record
    for addr, data in pages:
        board.uc.mem_write(addr, data)
    heap = board.heap
    heap.shadow = dict(shadow)
    heap.used = used
    heap.max_used = max_used
    heap._lfree = lowest_free


def _record(board, init):
    """Run `init` for real; the record of what it did, or None when it is not replayable."""
    before = bytes(board.uc.mem_read(RAM_BASE, RAM_SIZE))
    kernel = board.kernel
    called = set()
    service = kernel.service

    def counting(number, args):
        called.add(number)
        return service(number, args)
    kernel.service = counting           # the board's SVC hook looks it up at every call
    try:
        board.cpu.call(init)
    finally:
        del kernel.service
    board.recorded_boot = init
    if not called <= _heap_numbers() or kernel.modules or kernel.threads or kernel.objects:
        return None
    after = bytes(board.uc.mem_read(RAM_BASE, RAM_SIZE))
    pages = [(RAM_BASE + off, after[off:off + PAGE]) for off in range(0, RAM_SIZE, PAGE)
             if after[off:off + PAGE] != before[off:off + PAGE]]
    heap = board.heap
    return (pages, dict(heap.shadow), heap.used, heap.max_used, heap._lfree)
