"""Load: dlopen + dlclose of a 10 KiB library (about 70 functions, function-pointer tables,
firmware imports) against writing its PT_LOAD segments into emulated RAM (a raw copy).

The library is opened and closed in turn, as a program that dlopens a plugin per request
does, so every load after the first is a repeat: the kernel's link cache (linkcache.py) gives
back the parsed, placed and - at the same address - linked image (the same bytes, exports and
target; other bytes are parsed and linked afresh), HostFiles hands back the file's bytes while
os.stat shows the same unchanged file, and since no module code runs between dlopen and
dlclose, the end-of-module checks (heap headers, firmware variables, control blocks, other
modules' code, firmware data) and the code-cache invalidation are skipped: they already ran
after the last code ran, and only code changes what they check (a load that ran a
constructor gets all of them). The heap reads its headers from its own record meanwhile. Since
other modules' images are write-protected (imageprot.py), a load also sorts the image's pages
into read-only and writable runs (kept on the cached image) and protects the read-only ones;
an unloaded image's read-only pages stay so until the heap hands them out again, so the same
library loaded again at the same address changes no permission. What such a cycle left in
memory is not written again while memory still holds it - no target code ran since, and the
heap (which counts the blocks it hands out: rtheap.still_holds) handed out nothing over it
but the block taken for it again: the free headers split off behind the two blocks,
rt_malloc_align's word below the image, the module's struct rt_dlmodule, and the cached image,
which is then not even compared with memory. The common case has one short path: a library
with no constructors or destructors is opened and closed by plain calls (lifecycle.open_now,
release_now; no step generator is driven), a module whose code never ran ends without looking
for hooks, files, devices or heap blocks (only its code's service calls take them), and the
heap keeps the take a free has just undone, so the same two blocks are handed out again from
the kept take without the search, and freed by putting back the state before it (rtheap
_redo/_undo: 197 Python calls a cycle before, 134 now). Timing starts once the board's file
reader keeps the just-built library: a file changed within the clock's granularity is read
again at every load (racy-git's rule), which alone made runs vary between 19 and 41 us a cycle;
and the loads and the raw copy take turns, twenty short rounds of each (the best counts), so
a burst of other work on the host falls on both alike.
Where a ~19-20 us cycle goes now (timed alone on this host, each part by taking it away): the
four emulated-memory writes, the two headers made used at dlopen and free again at dlclose,
which target code must see (about 4.3 us, a microsecond each through the unicorn binding);
the heap's logic for two rt_malloc and two rt_free with the kept take, its five checks that
memory still holds what it left included (about 4.5 us); HostFiles' os.stat proving the kept
bytes current and its lookup (2.4 us, 1.8 of them the stat); the image protection's page runs
and idle pages (1.8 us); the module struct's bytes and their check (1.2 us); the rest, about
5 us, is dlfcn and the kernel facade, load_now and load_image with the link-cache lookup, the
Module record and free_memory. The first load of a file still parses and links it (about
0.37 ms). The floor moves between 2.3 and 4.2 us with the state of unicorn's memory map, so
the ratio does too: five `--only load` runs in a row gave 8.47x, 7.89x, 8.02x, 6.94x and
7.08x (from 9.4x to 13.3x before).
"""
import os
import time

from common import MODULES, best, row

from rtdl import Board
from rtdl_device import elf32

KEY = "load"


def _settled(files, path, limit=5.0):
    """Wait until the board's file reader keeps the library's bytes (the same object back
    twice). The library was built a moment ago, and a file changed within the clock's
    granularity before a read is read again at every load (HostFiles' racy-git rule: 50 ms,
    2 s on a file system with whole-second times), so loads timed in that window measure
    re-reading a just-written file rather than the steady state of a plugin loop, whose
    library was installed long before: up to 2x slower, depending on how soon after the
    build the board booted."""
    deadline = time.monotonic() + limit
    while files.read(path) is not files.read(path) and time.monotonic() < deadline:
        time.sleep(0.01)


def run(ctx):
    source = os.path.join(ctx.work, "lib10k.c")
    ctx.python([os.path.join(MODULES, "lib10k.py"), source])
    lib = ctx.build("lib10k", [source], lib=True, ext=".so")
    board = Board()
    repeat = 5 if ctx.tiny else 200
    _settled(board.kernel.files, lib)

    def load_unload():
        for _ in range(repeat):
            board.dlclose(board.dlopen(lib))
    with open(lib, "rb") as stream:
        data = stream.read()
    segments = elf32.ElfFile(data, lib).load_segments()
    base = board.heap.malloc(max(s.vaddr + s.memsz for s in segments))
    memory = board.memory

    def raw_copy():
        for _ in range(repeat):
            for seg in segments:
                memory.write(base + seg.vaddr, data[seg.offset:seg.offset + seg.filesz])
                if seg.memsz > seg.filesz:
                    memory.write(base + seg.vaddr + seg.filesz, bytes(seg.memsz - seg.filesz))
    before = board.heap.info()[1]
    # The two take turns, one short round (a few ms) of each at a time, as common.processes
    # does for whole processes: a burst of other work on the shared host then falls on both
    # alike, and four times the suite's runs (cheap here) find a quiet round for each.
    rtdl = raw = None
    for _ in range(4 * max(1, ctx.runs)):
        spent, _ = best(load_unload, 1)
        rtdl = spent if rtdl is None else min(rtdl, spent)
        spent, _ = best(raw_copy, 1)
        raw = spent if raw is None else min(raw, spent)
    assert board.heap.info()[1] == before, "dlclose left blocks behind"
    size = sum(s.memsz for s in segments)
    return row(KEY, "load + unload, %.1f KiB library" % (size / 1024.0), rtdl / repeat * 1e3,
               "ms", raw / repeat * 1e3, "raw copy of its segments", rtdl / raw, 10.0)
