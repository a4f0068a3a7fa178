"""Load: dlopen + dlclose of a 10 KiB library (about 70 functions, function-pointer tables,
firmware imports) against writing its PT_LOAD segments into emulated RAM (a raw copy)."""
import os

from common import MODULES, best, row

from rtdl import Board
from rtdl_device import elf32

KEY = "load"


def run(ctx):
    source = os.path.join(ctx.work, "lib10k.c")
    ctx.python([os.path.join(MODULES, "lib10k.py"), source])
    lib = ctx.build("lib10k", [source], lib=True, ext=".so")
    board = Board()
    repeat = 5 if ctx.tiny else 200

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
    rtdl, _ = best(load_unload, ctx.runs)
    assert board.heap.info()[1] == before, "dlclose left blocks behind"
    raw, _ = best(raw_copy, ctx.runs)
    size = sum(s.memsz for s in segments)
    return row(KEY, "load + unload, %.1f KiB library" % (size / 1024.0), rtdl / repeat * 1e3,
               "ms", raw / repeat * 1e3, "raw copy of its segments", rtdl / raw, 10.0)
