"""`rtdl shell [--root DIR] [--disk NAME=FILE] [--serial NAME=SPEC]`: RT-Thread's msh on the
emulated board, the device's `/` being DIR, with host-backed devices (device_options.py).

Reads command lines from stdin until EOF or `exit`, runs each with msh.Msh (rtdl_device/msh.py)
and streams everything the board prints to stdout. At a terminal, readline edits the line,
keeps history and completes with Tab (terminal.py). When stdin is not a terminal each line is
echoed after the prompt, as a device's console echoes what it receives, so a piped session
reads like a serial transcript. `-c "cmd; cmd"` runs those commands, with neither prompt nor
echo, and exits with the last one's status.

Ctrl-C while a module runs stops that module (msh.interrupt) and the shell goes on; at a
terminal's prompt it abandons the line. `python` opens a MicroPython REPL, in a MicroPython
process of its own whose dlmodule and dlfcn act on this shell's board and kernel
(rtdl.mpy_runtime.repl_host); Ctrl-C there raises KeyboardInterrupt in the REPL.
"""
import os
import signal
import sys

from rtdl_device import msh
from rtdl import device_options
from rtdl.api import Board
from rtdl.sandbox import SandboxFiles
from rtdl_device.rterror import RtdlError

EXIT_INTERRUPTED = msh.EXIT_INTERRUPTED
PYTHON_HELP = "MicroPython REPL (dlmodule, dlfcn imported); Ctrl-D returns."


def add_arguments(p):
    p.add_argument("--root", default=".",
                   help="host directory the device's / maps to (default: the current directory)")
    device_options.add_arguments(p)
    p.add_argument("--firmware", help="firmware ELF (default build/firmware/firmware.elf)")
    p.add_argument("--cpu", default="cortex-m4", help="CPU model (default cortex-m4)")
    p.add_argument("--timeout", type=float, default=60.0,
                   help="seconds a module may run (0: no limit; default 60)")
    p.add_argument("-c", dest="commands", metavar="COMMANDS",
                   help="run these ';'-separated commands, then exit with the last one's status")
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
    # file names that are not UTF-8 reach msh as surrogate escapes: print their own bytes
    _emit(text.encode("utf-8", "surrogateescape"))


def _line_error(line):
    """Why msh cannot take this line (the console hands it bytes a C string cannot hold or
    that are no text), or None."""
    if "\0" in line:
        return "msh: the command line holds a NUL byte (expected text without NUL)"
    for ch in line:
        if "\udc80" <= ch <= "\udcff":
            return ("msh: the command line holds byte 0x%02x, which is not UTF-8 (expected "
                    "UTF-8 text)" % (ord(ch) - 0xdc00))
    return None


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


def python_command(board, terminal, timeout_us):
    """The `python` msh command: a MicroPython REPL (rtdl.mpy_runtime.repl_host) whose
    dlmodule/dlfcn act on this board's kernel."""
    def run(argv):
        from rtdl.mpy_runtime.repl_host import python_repl
        board.activate()
        interactive = sys.stdin.isatty()
        if terminal is not None:
            # the REPL's names live in the other process: Tab offers nothing there
            terminal.readline.set_completer(None)
        try:
            return python_repl(board.kernel, lambda prompt: _read_line(prompt, interactive),
                               board.kernel.console, timeout_us)
        except RtdlError as error:
            _write_text("python: %s\n" % error)
            return -1
        finally:
            if terminal is not None:
                terminal.use_msh_completion()
    return run


def split_commands(text):
    """`-c`'s "cmd; cmd": split at ';' outside double quotes (msh's own quoting)."""
    commands, current, quoted = [], "", False
    for ch in text:
        if ch == '"':
            quoted = not quoted
        if ch == ";" and not quoted:
            commands.append(current)
            current = ""
        else:
            current += ch
    commands.append(current)
    return [c.strip() for c in commands if c.strip()]


def _execute(shell, line, interactive):
    """One command line with Ctrl-C bound to msh.interrupt while it runs: a module is
    stopped at its next time slice; anything else (a built-in, the REPL) gets the usual
    KeyboardInterrupt. Returns the command's value (None when interrupted)."""
    def on_sigint(signum, frame):
        if not shell.interrupt():
            raise KeyboardInterrupt
        if interactive:
            _write_text("\n")      # the terminal echoed ^C; the message goes on a line of its own
    error = _line_error(line)
    if error is not None:
        _write_text(error + "\n")
        return -1
    previous = signal.signal(signal.SIGINT, on_sigint)
    try:
        return shell.execute(line)
    except KeyboardInterrupt:
        _write_text("\n")
        return None
    finally:
        signal.signal(signal.SIGINT, previous)


def run(args):
    from rtdl_board.console import Console
    if not os.path.isdir(args.root):
        sys.stderr.write("rtdl shell: error: %s: no such directory (expected the directory "
                         "to serve as the device's /)\n" % args.root)
        return 2
    try:
        disks, serials = device_options.parse(args)
    except device_options.OptionError as error:
        sys.stderr.write("rtdl shell: error: %s\n" % error)
        return 2
    for name, spec in serials.items():
        if spec == "stdio":
            sys.stderr.write("rtdl shell: error: --serial %s=stdio: stdin and stdout are the "
                             "shell's console (expected pty, tcp:PORT or cmd:COMMAND)\n"
                             % name)
            return 2
    if args.runtime == "micropython":
        from rtdl.mpy_runtime.commands import shell
        interactive = sys.stdin.isatty()

        def read_line(prompt):
            return _read_line(prompt, interactive)
        terminal = None
        if interactive and args.commands is None:
            # line editing and the history file; Tab completes from what msh on the device
            # side sends with each read (rtdl.terminal.MshView)
            from rtdl.terminal import Terminal
            terminal = Terminal(None)
        return shell(args, Console(_emit), SandboxFiles(args.root), read_line, terminal,
                     disks, serials)
    try:
        files = SandboxFiles(args.root)
        board = Board(args.firmware, cpu=args.cpu, console=Console(_emit), files=files,
                      disks=disks, serials=serials)
    except RtdlError as error:
        sys.stderr.write("rtdl shell: error: %s\n" % error)
        return 1
    try:
        return _session(args, board, files)
    finally:
        board.close()


def _session(args, board, files):
    shell = msh.Msh(board.kernel, _write_text, files, int(args.timeout * 1000000))
    if hasattr(sys.stdin, "reconfigure"):
        # a line that is not UTF-8 gets one error from msh instead of ending the shell
        sys.stdin.reconfigure(errors="surrogateescape")
    interactive = sys.stdin.isatty()
    terminal = None
    if interactive and args.commands is None:
        from rtdl.terminal import Terminal
        terminal = Terminal(shell)
    shell.add_command("python", python_command(board, terminal, int(args.timeout * 1000000)),
                      PYTHON_HELP)
    if args.commands is not None:
        return _run_commands(shell, split_commands(args.commands))
    try:
        while not shell.exited:
            if terminal is not None:
                line = terminal.read_line(shell.prompt())
            else:
                line = _read_line(shell.prompt(), False)
            if line is None:
                _write_text("\n")
                break
            _execute(shell, line, interactive)
    except KeyboardInterrupt:
        # Ctrl-C at the prompt of a piped session: nobody can type a new line, so leave
        _write_text("\n")
        return EXIT_INTERRUPTED
    return 0


def _run_commands(shell, commands):
    value = 0
    for line in commands:
        if shell.exited:
            break
        value = _execute(shell, line, sys.stdin.isatty())
        if value is None:
            return EXIT_INTERRUPTED
    # an exit status is one byte: msh's -1 (not found, error) reads 255
    return value & 0xFF
