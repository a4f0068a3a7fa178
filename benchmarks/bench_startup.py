"""Start-up: `rtdl run hello.mo` as a whole process (interpreter, imports, firmware, boot,
load, run, exit) against bare_run.py running the same module on a bare unicorn with SVC stubs."""
from common import BARE_RUN, RTDL, process, row

KEY = "startup"


def run(ctx):
    hello = ctx.build("hello", ["tests/modules/hello.c"])
    folder, name = ctx.split(hello)
    rtdl, out = process(RTDL + ["run", "--root", folder, hello], ctx.runs)
    bare, bare_out = process(BARE_RUN + [hello], ctx.runs)
    ctx.same(out, bare_out, "hello.mo")
    return row(KEY, "start-up: rtdl run hello.mo", rtdl, "s", bare,
               "bare unicorn process", rtdl / bare, 1.3)
