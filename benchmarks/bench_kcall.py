"""Kernel call: rt_tick_get in a loop on the board, per call, against the same loop on
bare_run's machine whose SVC hook reads r0-r3 and writes r0 with the unicorn binding's
public reg_read/reg_write (the least a hook written against that API does). The board reads
r0-r3, sp, lr and pc in one uc_reg_read_batch into buffers made once (rtdl_board/cpu.py),
which is why the whole kernel call can cost less than that floor. The cost of a run with no
calls is subtracted on both sides."""
from common import best, row

import bare_run
from rtdl import Board

KEY = "kcall"


def per_call(ctx, run_with, calls):
    empty, _ = best(lambda: run_with(0), ctx.runs)
    full, _ = best(lambda: run_with(calls), ctx.runs)
    return max(full - empty, 1e-9) / calls


def run(ctx):
    kcall = ctx.build("kcall", ["benchmarks/modules/kcall.c"])
    calls = 200 if ctx.tiny else 40000
    board = Board()

    def on_board(n):
        result = board.exec(kcall, str(n), timeout=0)
        assert result.exit_code == 0, result
    machine = bare_run.BareMachine()
    machine.load(kcall)
    hook = machine._on_svc

    def on_bare(n):
        assert machine.run_main([kcall, str(n)]) == 0
    rtdl = per_call(ctx, on_board, calls)
    bare = per_call(ctx, on_bare, calls)
    ctx.kernel_call = rtdl
    return row(KEY, "kernel call (rt_tick_get)", rtdl * 1e6, "us", bare * 1e6,
               "bare SVC hook", rtdl / bare, 1 / 0.8)
