"""Start-up: `rtdl run hello.mo` as a whole process (interpreter, imports, firmware, boot,
load, run, exit) against bare_run.py running the same module on a bare unicorn with SVC stubs.
Both run as an installed tool does: Python's bytecode cache on (common.PROCESS_ENV) and after
one untimed run, so rtdl's firmware facts and recorded firmware start-up are in the on-disk
cache (rtdl_board/firmware_cache.py, boot_image.py) as after any first use. The two take turns
(common.processes), so a burst of other work on the host reaches both alike. What rtdl's own
start-up does about its cost (host_tools/rtdl/cli.py, run_cmd.py): `run [--root DIR] MODULE
[ARGS]` is read without argparse (run_cmd.quick_args; anything else goes to the full parser);
the cycle collector is off while the command's modules load and gc.freeze() then takes them
out of its sight; the device side's `from micropython import const`, a vain search of the
whole import path on CPython in each of its modules, fails once; heapstrict, msh and dlfcn
are imported only when used; the board maps its RAM already cut at the page it write-protects
(a mem_protect split copies the whole mapping); and a finished run flushes stdout and stderr
and ends the process with os._exit instead of tearing the interpreter down."""
from common import BARE_RUN, RTDL, processes, row

KEY = "startup"


def run(ctx):
    hello = ctx.build("hello", ["tests/modules/hello.c"])
    folder, name = ctx.split(hello)
    # a process of a tenth of a second: the best of more runs (both sides alike) keeps a
    # busy host's hiccups out of the figure
    runs = ctx.runs if ctx.tiny else max(ctx.runs, 7)
    (rtdl, out), (bare, bare_out) = processes([RTDL + ["run", "--root", folder, hello],
                                               BARE_RUN + [hello]], runs)
    ctx.same(out, bare_out, "hello.mo")
    return row(KEY, "start-up: rtdl run hello.mo", rtdl, "s", bare,
               "bare unicorn process", rtdl / bare, 1.3)
