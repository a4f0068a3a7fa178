"""Heap: a fixed mix of rt_malloc/rt_free/rt_realloc (sizes 8..512, pseudo-random) on the
board's heap in emulated RAM, against the same allocator (rtheap.SmallMemHeap, the same
algorithm and code) over a Python bytearray: what reaching target memory costs."""
from common import best, row

from bench_symbols import ByteMemory
from rtdl import Board
from rtdl_device import rtheap

KEY = "heap"


def workload(heap, ops):
    live, seed = [], 12345
    for _ in range(ops):
        seed = (seed * 1103515245 + 12345) & 0x7FFFFFFF
        if live and (seed % 3 == 0 or len(live) > 64):
            heap.free(live.pop(seed % len(live)))
        elif live and seed % 7 == 0:
            index = seed % len(live)
            block = heap.realloc(live[index], 8 + seed % 512)
            if block:
                live[index] = block
        else:
            block = heap.malloc(8 + seed % 512)
            if block:
                live.append(block)
    for block in live:
        heap.free(block)


def run(ctx):
    ops = 300 if ctx.tiny else 20000
    board = Board()
    start, end = board.heap.begin, board.heap.end
    on_board, _ = best(lambda: workload(board.heap, ops), ctx.runs)
    memory = ByteMemory(end - start + 64, start)
    plain = rtheap.SmallMemHeap(memory, start, end)
    on_bytes, _ = best(lambda: workload(plain, ops), ctx.runs)
    return row(KEY, "heap operations", ops / on_board, "ops/s", ops / on_bytes,
               "same allocator on a bytearray", on_board / on_bytes)
