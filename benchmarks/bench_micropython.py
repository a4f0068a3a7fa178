"""The MicroPython runtime (the device side on real MicroPython under Node) against CPython:
`rtdl run --runtime micropython` of a module making kernel calls, as whole processes."""
from common import RTDL, process, row

KEY = "micropython"


def run(ctx):
    kcall = ctx.build("kcall", ["benchmarks/modules/kcall.c"])
    folder, _ = ctx.split(kcall)
    calls = "100" if ctx.tiny else "2000"
    cpython, _ = process(RTDL + ["run", "--root", folder, kcall, calls], ctx.runs)
    mpy, _ = process(RTDL + ["run", "--runtime", "micropython", "--root", folder, kcall, calls],
                     ctx.runs)
    return row(KEY, "micropython runtime, kcall.mo %s calls" % calls, mpy, "s", cpython,
               "cpython runtime", mpy / cpython)
