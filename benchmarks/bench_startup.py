"""Start-up: `rtdl run hello.mo` as a whole process (interpreter, imports, firmware, boot,
load, run, exit) against bare_run.py running the same module on a bare unicorn with SVC stubs.
Both run as an installed tool does: Python's bytecode cache on (common.PROCESS_ENV) and after
one untimed run, so rtdl's firmware facts and recorded firmware start-up are in the on-disk
cache (rtdl_board/firmware_cache.py, boot_image.py) as after any first use."""
from common import BARE_RUN, RTDL, process, row

KEY = "startup"


def run(ctx):
    hello = ctx.build("hello", ["tests/modules/hello.c"])
    folder, name = ctx.split(hello)
    # a process of a tenth of a second: the best of more runs (both sides alike) keeps a
    # busy host's hiccups out of the figure
    runs = ctx.runs if ctx.tiny else max(ctx.runs, 7)
    rtdl, out = process(RTDL + ["run", "--root", folder, hello], runs)
    bare, bare_out = process(BARE_RUN + [hello], runs)
    ctx.same(out, bare_out, "hello.mo")
    return row(KEY, "start-up: rtdl run hello.mo", rtdl, "s", bare,
               "bare unicorn process", rtdl / bare, 1.3)
