"""Held library call: a program calls a function of a library it holds open (dlopen) that
writes the library's own data, in a loop, per call, against the kernel call bench_kcall
measured in this run. The library's data is read-only while the program's own code runs
(imageprot.py): every call is two faults of the emulator - the fetch of the library's code
and the fetch of the program's on the return - each switching page permissions and dropping
the translated code of the side that stops being executable (rtdl_board/heldmodes.py). The
cost of a run with no calls is subtracted."""
from common import best, row

from rtdl import Board

KEY = "heldlib"


def run(ctx):
    program = ctx.build("heldcall", ["benchmarks/modules/heldcall.c"])
    library = ctx.build("bumplib", ["benchmarks/modules/bumplib.c"], lib=True)
    calls = 50 if ctx.tiny else 4000
    board = Board()

    def on_board(n):
        result = board.exec(program, str(n), library, timeout=0)
        assert result.exit_code == 0, result
    empty, _ = best(lambda: on_board(0), ctx.runs)
    full, _ = best(lambda: on_board(calls), ctx.runs)
    per_call = max(full - empty, 1e-9) / calls
    kcall = ctx.kernel_call
    if kcall is None:
        import bench_kcall
        bench_kcall.run(ctx)
        kcall = ctx.kernel_call
    return row(KEY, "held library call writing its data", per_call * 1e6, "us", kcall * 1e6,
               "a kernel call", per_call / kcall)
