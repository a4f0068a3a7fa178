"""`rtdl run` and `rtdl shell` with `--runtime micropython`: the host halves. They print what
rtdl.run_cmd and rtdl.shell_cmd print for the same session, byte for byte; only where the
device side runs differs."""
import sys

from rtdl_board.board import Board
from rtdl_device.rterror import RtdlError

from . import serve
from .host_devices import HostDevices
from .interrupts import CtrlC, terminal_input_ready


_FILE_METHODS = ("read", "listdir", "isdir", "isfile", "size", "chdir", "getcwd")


# the modules' file operations (rtdl_device.bridge_fileio): which arguments come as hex
_HEX_ARGS = {"open_file": (0,), "file_stat": (0,), "unlink": (0,), "rmdir": (0,),
             "mkdir": (0,), "rename": (0, 1), "fd_write": (1,)}
_FILE_IO = ("fd_read", "fd_seek", "fd_truncate", "fd_sync", "fd_stat", "fd_entries",
            "fd_close") + tuple(_HEX_ARGS)


def files_handler(files):
    def handle(method, *args):
        if method in _FILE_IO and hasattr(files, method):
            args = [bytes.fromhex(a) if i in _HEX_ARGS.get(method, ()) else a
                    for i, a in enumerate(args)]
            value = getattr(files, method)(*args)
            if method == "fd_entries":
                value = [[name.hex(), is_dir] for name, is_dir in value]
            return value
        if method not in _FILE_METHODS or not hasattr(files, method):
            raise RtdlError("%s: the host's files cannot %s" % (args[0] if args else "", method))
        return getattr(files, method)(*args)
    return handle


def _serve_with_devices(board, info, handlers, disks, serials, **options):
    """serve() with the host ends of `disks` and `serials` opened here for the session (a
    bad option raises BoardDeviceError before MicroPython starts) and closed after it."""
    ends = HostDevices(disks, serials)
    try:
        handlers = dict(handlers, **ends.handlers())
        return serve(board, dict(info, devices=ends.listed()), handlers,
                     device_write=ends.write, **options)
    finally:
        ends.close()


def run_module(args, console, device_path, files, disks=None, serials=None):
    """Returns the exit status of rtdl run: the module at `device_path` of the sandbox
    `files`, the same one the CPython runtime uses, with the board's devices `disks` and
    `serials` (device_options.parse)."""
    try:
        board = Board(args.firmware, cpu=args.cpu, console=console, boot=False)
        result = _serve_with_devices(
            board, {"mode": "run", "module": device_path, "args": list(args.args),
                    "timeout_us": int(args.timeout * 1000000),
                    "heap_check": args.heap_check},
            {"files": files_handler(files)}, disks, serials)
        if "error" in result:
            raise RtdlError(result["error"])
    except RtdlError as error:
        sys.stderr.write("rtdl run: error: %s\n" % error)
        return 1
    if args.verbose:
        total, used, max_used = result["heap"]
        sys.stderr.write("rtdl run: %s exited with %d; heap %d/%d bytes used, max %d\n"
                         % (result["name"], result["exit_code"], used, total, max_used))
    if result["fault"] is not None:
        sys.stderr.write("rtdl run: error: %s\n" % result["fault"])
    return result["exit_code"] & 0xFF



PYTHON_HELP = "MicroPython REPL (dlmodule, dlfcn imported); Ctrl-D returns."


def shell(args, console, files, read_line, terminal=None, disks=None, serials=None):
    """rtdl shell: msh on MicroPython; lines are read here (read_line(prompt) -> str or
    None at EOF), so the terminal and the echo of piped input are the CPython shell's.
    `terminal` (rtdl.terminal.Terminal, at a terminal): Tab completes msh's words from the
    state msh sends with each read, and msh's lines are kept in the history file."""
    def readline(prompt, words=None, msh_state=None):
        if terminal is None:
            return ctrl_c.read_line(read_line, prompt)
        from rtdl.terminal import MshView
        terminal.completer.shell = MshView(msh_state, files) if msh_state is not None else None
        line = ctrl_c.read_line(read_line, prompt)
        if line is not None and msh_state is not None:
            terminal.remember(line)      # msh's lines go to the history file, as on CPython
        return line

    ctrl_c = CtrlC()
    input_ready = terminal_input_ready()
    commands = None
    if args.commands is not None:
        from rtdl.shell_cmd import split_commands
        commands = split_commands(args.commands)
        input_ready = None
    try:
        board = Board(args.firmware, cpu=args.cpu, console=console, boot=False)
        with ctrl_c.installed():
            result = _serve_with_devices(
                board, {"mode": "shell", "timeout_us": int(args.timeout * 1000000),
                        "python_help": PYTHON_HELP, "terminal": input_ready is not None,
                        "commands": commands},
                {"files": files_handler(files),
                 "readline": readline,
                 "interrupted": ctrl_c.take,
                 "repl_poll": lambda: ctrl_c.repl_poll(input_ready),
                 "await_key": lambda prompt, ms, words=None: ctrl_c.await_key(
                     input_ready, console, prompt, ms, words)},
                disks, serials, ctrl_c=ctrl_c)
        if "error" in result:
            raise RtdlError(result["error"])
    except RtdlError as error:
        sys.stderr.write("rtdl shell: error: %s\n" % error)
        return 1
    return result.get("status", 0)
