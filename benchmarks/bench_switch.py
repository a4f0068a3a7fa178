"""Context switch: two threads hand the CPU to each other through two semaphores; the time of
one hand-over (a release and a blocking take) against two kernel calls measured in this run."""
from common import best, row

from rtdl import Board

KEY = "switch"


def run(ctx):
    pingpong = ctx.build("pingpong", ["benchmarks/modules/pingpong.c"])
    rounds = 50 if ctx.tiny else 3000
    board = Board()

    def once(n):
        result = board.exec(pingpong, str(n), timeout=0)
        assert result.exit_code == 0, result
    empty, _ = best(lambda: once(0), ctx.runs)
    full, _ = best(lambda: once(rounds), ctx.runs)
    handover = max(full - empty, 1e-9) / (2 * rounds)
    floor = 2 * ctx.kernel_call
    return row(KEY, "context switch (semaphore ping-pong)", handover * 1e6, "us",
               floor * 1e6, "two kernel calls", handover / floor)
