"""The MicroPython runtime of `rtdl run` and `rtdl shell` (`--runtime micropython`): the whole
device side (msh, kernel, loader, heap, dlmodule, dlfcn) runs on real MicroPython - the
WebAssembly port under Node, importing the frozen .mpy files - while the unicorn board stays
in this CPython process and is served to it over a synchronous bridge.

    server.py   BridgeServer: the board's end of rtdl_device.bridge (the protocol is described
                there), standing in for the kernel in the board's SVC hook
    runner.mjs  the Node launcher: MicroPython, /lib = the frozen device side, the bridge as
                the character device /dev/rtdl_bridge over two pipes
    repl_host.py  msh `python` under --runtime cpython: a MicroPython process whose dlmodule and
                dlfcn are this process's (rtdl_device.remote_repl at the other end)
    interrupts.py Ctrl-C kept here for a MicroPython process that never sees SIGINT, and the
                REPL's line at a terminal, typed between the module threads' time slices
                (rtdl.line_editor, Tab completing the words the REPL sends)
    interrupt_gate.mjs  the runner's worker that raises KeyboardInterrupt inside MicroPython
    host_devices.py the host ends of --disk and --serial, served to the device side's
                devices (rtdl_device.bridge_devices)
    this file   finding node, the MicroPython package and the frozen files (compiled on
                demand into a per-user cache), starting the runner and serving it

May import: rtdl (frozen, manifest, devtree), rtdl_board, rtdl_device, the standard library.
"""
import ast
import hashlib
import os
import shutil
import subprocess
import tempfile

import rtdl_device
from rtdl import frozen
from rtdl.devtree import CHECKOUT
from rtdl_device.rterror import RtdlError

from .server import BridgeServer, board_info

RUNNER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "runner.mjs")
PACKAGE = os.path.join("node_modules", "@micropython", "micropython-webassembly-pyscript")


def micropython_package():
    """The directory of the MicroPython WebAssembly package ($RTDL_MICROPYTHON_PACKAGE, else
    node_modules in the checkout or the working directory)."""
    candidates = [os.environ.get("RTDL_MICROPYTHON_PACKAGE"),
                  os.path.join(CHECKOUT, PACKAGE), os.path.join(os.getcwd(), PACKAGE)]
    for path in candidates:
        if path and os.path.isfile(os.path.join(path, "micropython.mjs")):
            return path
    raise RtdlError("the MicroPython runtime needs the npm package "
                    "@micropython/micropython-webassembly-pyscript: run `npm ci` in the rtdl "
                    "checkout or set RTDL_MICROPYTHON_PACKAGE to its directory")


def _sources():
    """(source, frozen name) of every device-side module: the freeze manifest in a checkout,
    else the installed rtdl_device package."""
    manifest = os.path.join(CHECKOUT, "port", "manifest.py")
    if os.path.isfile(manifest):
        from rtdl.manifest import read_manifest
        return [(f.source, f.target) for f in read_manifest(manifest).files]
    package = os.path.dirname(os.path.abspath(rtdl_device.__file__))
    return [(os.path.join(package, n), "rtdl_device/" + n)
            for n in sorted(os.listdir(package)) if n.endswith(".py")]


def imported_closure(entry):
    """The frozen names of the device-side module `entry` ("remote_repl") and of every
    module it imports, directly or not, through the package's relative imports: the REPL of
    the CPython runtime freezes only these, so its first start in a fresh cache compiles a
    handful of files, not the whole device side, and a new import cannot be forgotten."""
    package = os.path.dirname(os.path.abspath(rtdl_device.__file__))
    names, todo = {"__init__"}, [entry]
    while todo:
        name = todo.pop()
        if name in names:
            continue
        names.add(name)
        with open(os.path.join(package, name + ".py")) as f:
            tree = ast.parse(f.read())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                todo.extend([node.module] if node.module else [a.name for a in node.names])
    return tuple(sorted("rtdl_device/%s.py" % n for n in names))


def frozen_dir(only=None):
    """The frozen device side for the current sources (`only`: just those frozen names),
    compiled with mpy-cross on first use into $XDG_CACHE_HOME/rtdl/frozen/<hash of the
    sources>/."""
    sources = _sources()
    if only is not None:
        sources = [s for s in sources if s[1] in only]
    digest = hashlib.sha256()
    for source, target in sources:
        digest.update(target.encode() + b"\0")
        with open(source, "rb") as f:
            digest.update(f.read())
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    out = os.path.join(base, "rtdl", "frozen", digest.hexdigest()[:16])
    if os.path.isdir(out):
        return out
    os.makedirs(os.path.dirname(out), exist_ok=True)
    work = tempfile.mkdtemp(prefix="build-", dir=os.path.dirname(out))
    try:
        mpy_cross = frozen.find_mpy_cross()
        for source, target in sources:
            path = os.path.join(work, target[:-3] + ".mpy")
            os.makedirs(os.path.dirname(path), exist_ok=True)
            frozen.compile_one(mpy_cross, source, target, path)
        try:
            os.rename(work, out)
        except OSError:
            if not os.path.isdir(out):   # else another process got there first
                raise
    except frozen.FrozenError as error:
        raise RtdlError(str(error))
    finally:
        if os.path.isdir(work):
            shutil.rmtree(work)
    return out


def _poke(fd):
    try:
        os.write(fd, b"\x03")
    except OSError:          # full (the runner is behind by 64 KiB of key presses) or gone
        pass


def serve(board, info, handlers, entry="rtdl_device.bridge_main", console=None, ctrl_c=None,
          device_write=None):
    """Run the device side on MicroPython against `board`; `info` is what it is told about
    the session (mode, arguments), `handlers` extra host requests. Returns what the device
    side sent with ["exit", value]. `entry` is the frozen module whose main(path) runs;
    `device_write` takes the writes of the host-backed devices (host_devices.py);
    with board=None only `handlers` and console output (to `console`) are served.

    MicroPython runs in a session of its own, so the terminal's Ctrl-C reaches only this
    process, which tells the device side when it asks (the "interrupted" request). With
    `ctrl_c` (an interrupts.CtrlC) each key press is also written to the runner's interrupt
    pipe, which raises KeyboardInterrupt in REPL code that never asks (interrupt_gate.mjs);
    the runner ends when that pipe closes."""
    node = shutil.which("node")
    if node is None:
        raise RtdlError("the MicroPython runtime needs node (Node.js) on PATH")
    package = micropython_package()
    frozen_path = frozen_dir(imported_closure("remote_repl")
                             if entry == "rtdl_device.remote_repl" else None)
    to_child = os.pipe()
    from_child = os.pipe()
    interrupt = os.pipe() if ctrl_c is not None else None
    if interrupt is not None:
        os.set_blocking(interrupt[0], False)    # the runner's worker polls it
        os.set_blocking(interrupt[1], False)    # a runner behind on key presses drops some
    whole = dict(board_info(board), **info) if board is not None else dict(info)
    requests = dict(handlers, info=lambda: whole)
    command = [node, RUNNER, "--package", package, "--frozen", frozen_path,
               "--rfd", str(to_child[0]), "--wfd", str(from_child[1]), "--entry", entry]
    child_fds = [to_child[0], from_child[1]]
    if interrupt is not None:
        command += ["--ifd", str(interrupt[0])]
        child_fds.append(interrupt[0])
    proc = subprocess.Popen(command, pass_fds=child_fds, stdin=subprocess.DEVNULL,
                            start_new_session=True)
    for fd in child_fds:
        os.close(fd)
    if interrupt is not None:
        ctrl_c.notify = lambda: _poke(interrupt[1])
    rfile = os.fdopen(from_child[0], "rb")
    wfile = os.fdopen(to_child[1], "wb")
    try:
        value = BridgeServer(board, rfile, wfile, requests, console, device_write).serve()
    except BaseException:
        proc.kill()
        raise
    finally:
        wfile.close()
        rfile.close()
        status = proc.wait()
        if interrupt is not None:
            # only now: the runner takes the end of this pipe for its host's death
            ctrl_c.notify = None
            os.close(interrupt[1])
    if status != 0:
        raise RtdlError("the MicroPython runtime exited with status %d" % status)
    return value
