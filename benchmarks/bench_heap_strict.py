"""Strict heap check: a module's own mix of malloc/free/realloc (benchmarks/modules/heap_mix.c)
on a board with heap_check="strict" (redzones, poisoned memory, a quarantine, every block
checked at each heap call: rtdl_device/heapstrict.py) against the same module on a normal
board in this run: what the sanitizer mode costs per heap operation."""
from common import best, row

from rtdl import Board

KEY = "heap_strict"


def run(ctx):
    module = ctx.build("heap_mix", ["benchmarks/modules/heap_mix.c"])
    ops = 200 if ctx.tiny else 5000
    times = {}
    for mode in ("normal", "strict"):
        board = Board(heap_check=mode)

        def once(n):
            result = board.exec(module, str(n), timeout=0)
            assert result.exit_code == 0, result
        empty, _ = best(lambda: once(0), ctx.runs)
        full, _ = best(lambda: once(ops), ctx.runs)
        times[mode] = max(full - empty, 1e-9) / ops
    return row(KEY, "heap call with --heap-check=strict", times["strict"] * 1e6, "us",
               times["normal"] * 1e6, "the same call, normal check",
               times["strict"] / times["normal"])
