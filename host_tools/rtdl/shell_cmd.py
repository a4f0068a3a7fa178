"""`rtdl shell [--root DIR]`: RT-Thread's msh on the emulated board, the device's `/` being DIR.

Reads command lines from stdin until EOF or `exit`, runs each with msh.Msh (port/modules/msh.py)
and streams everything the board prints to stdout. When stdin is not a terminal each line is
echoed after the prompt, as a device's console echoes what it receives, so a piped session
reads like a serial transcript. `python` opens a Python REPL on the interpreter that runs the
device side - on the host that is CPython, with dlmodule, dlfcn, kernel and board imported.
"""
import code
import os
import sys

from rtdl_device import dlfcn
from rtdl_device import dlmodule
from rtdl_device import msh
from rtdl.api import Board
from rtdl.sandbox import SandboxFiles
from rtdl_device.rterror import RtdlError

PYTHON_HELP = "Python REPL (host: CPython; dlmodule, dlfcn imported); exit() returns."


def add_arguments(p):
    p.add_argument("--root", default=".",
                   help="host directory the device's / maps to (default: the current directory)")
    p.add_argument("--firmware", help="firmware ELF (default build/firmware/firmware.elf)")
    p.add_argument("--cpu", default="cortex-m4", help="CPU model (default cortex-m4)")
    p.add_argument("--timeout", type=float, default=60.0,
                   help="seconds a module may run (0: no limit; default 60)")
    p.add_argument("--runtime", choices=("cpython", "micropython"), default="cpython",
                   help="what runs msh and the device side: this CPython (default) or real "
                        "MicroPython under Node, against the same board")


def _emit(data):
    # one byte stream for msh, modules and the REPL: flush text written through sys.stdout
    # (input() prompts, print in the REPL) before writing bytes beside it
    sys.stdout.flush()
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()


def _write_text(text):
    _emit(text.encode())


def _read_line(prompt, interactive):
    """One line without its newline, or None at EOF."""
    if interactive:
        try:
            return input(prompt)
        except EOFError:
            return None
    _write_text(prompt)
    line = sys.stdin.readline()
    if not line:
        return None
    _write_text(line if line.endswith("\n") else line + "\n")
    return line.rstrip("\r\n")


class _LeaveRepl:
    """exit()/quit() inside the REPL: back to msh. The builtin ones close stdin first, which
    would end msh too."""

    def __repr__(self):
        return "Use exit() or Ctrl-D (i.e. EOF) to return to msh"

    def __call__(self, code=None):
        raise SystemExit(code)


class _Repl(code.InteractiveConsole):
    """Reads its lines the way msh does (echoed when stdin is not a terminal)."""

    def __init__(self, namespace, interactive):
        code.InteractiveConsole.__init__(self, namespace, filename="<msh python>")
        self.interactive = interactive

    def raw_input(self, prompt=""):
        line = _read_line(prompt, self.interactive)
        if line is None:
            raise EOFError
        return line


def python_command(board):
    """The `python` msh command: an InteractiveConsole over the device-side modules."""
    def run(argv):
        board.activate()
        leave = _LeaveRepl()
        namespace = {"dlmodule": dlmodule, "dlfcn": dlfcn, "kernel": board.kernel,
                     "board": board, "exit": leave, "quit": leave}
        console = _Repl(namespace, sys.stdin.isatty())
        try:
            console.interact(banner="Python %s on the device side (CPython on the host); "
                             "dlmodule, dlfcn, kernel, board imported; exit() returns to msh"
                             % sys.version.split()[0], exitmsg="")
        except SystemExit:
            pass
        return 0
    return run


def run(args):
    from rtdl_board.console import Console
    if not os.path.isdir(args.root):
        sys.stderr.write("rtdl shell: error: %s: no such directory (expected the directory "
                         "to serve as the device's /)\n" % args.root)
        return 2
    if args.runtime == "micropython":
        from rtdl.mpy_runtime.commands import shell
        interactive = sys.stdin.isatty()
        return shell(args, Console(_emit), SandboxFiles(args.root),
                     lambda prompt: _read_line(prompt, interactive))
    try:
        files = SandboxFiles(args.root)
        board = Board(args.firmware, cpu=args.cpu, console=Console(_emit), files=files)
    except RtdlError as error:
        sys.stderr.write("rtdl shell: error: %s\n" % error)
        return 1
    shell = msh.Msh(board.kernel, _write_text, files, int(args.timeout * 1000000))
    shell.add_command("python", python_command(board), PYTHON_HELP)
    interactive = sys.stdin.isatty()
    while not shell.exited:
        line = _read_line(shell.prompt(), interactive)
        if line is None:
            _write_text("\n")
            break
        shell.execute(line)
    return 0
