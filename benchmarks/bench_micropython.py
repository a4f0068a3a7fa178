"""The MicroPython runtime (the device side on real MicroPython under Node) against CPython, as
whole `rtdl run` processes under both runtimes, each ratio against the CPython runtime measured
in the same run: hello (start-up and one module), a module making kernel calls, and a
dlopen-heavy one (rounds of dlopen/dlsym/dlclose of the 10 KiB library, from /modules/)."""
import os
import shutil

from common import MODULES, RTDL, process, row

KEY = "micropython"


def _both(ctx, folder, module_args):
    cpython, out = process(RTDL + ["run", "--root", folder] + module_args, ctx.runs)
    mpy, mpy_out = process(RTDL + ["run", "--runtime", "micropython", "--root", folder]
                           + module_args, ctx.runs)
    ctx.same(mpy_out, out, "micropython runtime, %s" % os.path.basename(module_args[0]))
    return cpython, mpy


def run(ctx):
    rows = []
    hello = ctx.build("hello", ["tests/modules/hello.c"])
    cpython, mpy = _both(ctx, os.path.dirname(hello), [hello])
    rows.append(row(KEY + "_hello", "micropython runtime, hello.mo", mpy, "s", cpython,
                    "cpython runtime", mpy / cpython))

    kcall = ctx.build("kcall", ["benchmarks/modules/kcall.c"])
    calls = "100" if ctx.tiny else "2000"
    cpython, mpy = _both(ctx, os.path.dirname(kcall), [kcall, calls])
    rows.append(row(KEY, "micropython runtime, kcall.mo %s calls" % calls, mpy, "s", cpython,
                    "cpython runtime", mpy / cpython))

    source = os.path.join(ctx.work, "lib10k.c")
    ctx.python([os.path.join(MODULES, "lib10k.py"), source])
    lib = ctx.build("lib10k", [source], lib=True, ext=".so")
    loop = ctx.build("dlopen_loop", ["benchmarks/modules/dlopen_loop.c"])
    root = os.path.join(ctx.work, "dlopen_root")
    os.makedirs(os.path.join(root, "modules"), exist_ok=True)
    shutil.copy(lib, os.path.join(root, "modules", "lib10k.so"))
    shutil.copy(loop, os.path.join(root, "dlopen_loop.mo"))
    rounds = "2" if ctx.tiny else "20"
    cpython, mpy = _both(ctx, root, [os.path.join(root, "dlopen_loop.mo"), "lib10k.so",
                                     rounds])
    rows.append(row(KEY + "_dlopen", "micropython runtime, dlopen_loop.mo %s rounds" % rounds,
                    mpy, "s", cpython, "cpython runtime", mpy / cpython))
    return rows
