"""`rtdl run [--root DIR] [--disk NAME=FILE] [--serial NAME=SPEC] MODULE [ARGS...]`: boot the board, dlmodule_exec the module, stream
its console to stdout and exit with main's return value. Only what the module printed reaches
stdout. DIR (default: the current directory) is the device's `/`, a SandboxFiles as for
`rtdl shell`: MODULE is a host path inside DIR and runs from its device path, and everything
the module loads is read from DIR alone. --disk and --serial give the board host-backed
devices (device_options.py)."""
import os
import sys
import types

from rtdl import device_options
from rtdl.api import Board
from rtdl.sandbox import SandboxFiles, device_path_of, show
from rtdl_device.rterror import RtdlError


# The options' defaults, read by add_arguments and by quick_args alike.
DEFAULTS = {"root": ".", "firmware": None, "cpu": "cortex-m4", "timeout": 60.0,
            "heap_check": "normal", "runtime": "cpython", "verbose": False}


def add_arguments(p):
    p.add_argument("module", help="the .mo file to run")
    p.add_argument("args", nargs=argparse_remainder(), help="arguments passed to main")
    p.add_argument("--root", default=DEFAULTS["root"],
                   help="host directory the device's / maps to (default: the current directory)")
    device_options.add_arguments(p)
    p.add_argument("--firmware", default=DEFAULTS["firmware"],
                   help="firmware ELF (default build/firmware/firmware.elf)")
    p.add_argument("--cpu", default=DEFAULTS["cpu"], help="CPU model (default cortex-m4)")
    p.add_argument("--timeout", type=float, default=DEFAULTS["timeout"],
                   help="seconds the module may run (0: no limit; default 60)")
    p.add_argument("--heap-check", choices=("normal", "strict"), default=DEFAULTS["heap_check"],
                   help="strict: redzones around the module's blocks, poisoned fresh memory "
                        "and a quarantine for freed blocks, so overflows and writes after "
                        "free are reported (slower; default normal)")
    p.add_argument("--runtime", choices=("cpython", "micropython"), default=DEFAULTS["runtime"],
                   help="what runs the device side: this CPython (default) or real MicroPython "
                        "under Node, against the same board")
    p.add_argument("--verbose", "-v", action="store_true", default=DEFAULTS["verbose"],
                   help="report exit code and heap use on stderr, and for a CPU fault the "
                        "registers, fault status and a backtrace")


def quick_args(argv):
    """The parsed arguments of the commonest command lines, `[--root DIR] MODULE [ARGS...]`,
    without argparse: importing it and building the parser cost ~3 ms of a 0.07 s run (it
    pulls in gettext, locale and shutil). None for anything else (other options, help, an
    option-like MODULE or DIR, and the `--` argparse treats specially): the full parser then
    reads it, so every answer and every error stays argparse's (tests/test_cli.py checks the
    two agree)."""
    root = DEFAULTS["root"]
    if len(argv) >= 2 and argv[0] == "--root":
        root, argv = argv[1], argv[2:]
        if not root or root.startswith("-"):
            return None
    if not argv or not argv[0] or argv[0].startswith("-") or "--" in argv[1:]:
        return None
    args = types.SimpleNamespace(**DEFAULTS)
    args.module, args.args, args.root = argv[0], list(argv[1:]), root
    device_options.set_defaults(args)
    return args


def argparse_remainder():
    import argparse
    return argparse.REMAINDER


def _stdout_sink(data):
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()


def run(args):
    from rtdl_board.console import Console
    if len(args.args) > 7:
        sys.stderr.write("rtdl run: error: %d arguments given; RT-Thread passes at most 8 "
                         "including the module name\n" % len(args.args))
        return 2
    for arg in args.args:
        if '"' in arg:
            sys.stderr.write("rtdl run: error: argument %r contains '\"', which RT-Thread's "
                             "command line cannot quote\n" % arg)
            return 2
    for number, arg in enumerate(args.args, 1):
        try:
            arg.encode("utf-8")
        except UnicodeError:
            sys.stderr.write("rtdl run: error: argument %d (%s) is not UTF-8 text, which is "
                             "what main's argv holds here\n" % (number, show(arg)))
            return 2
    if not os.path.isdir(args.root):
        sys.stderr.write("rtdl run: error: %s: no such directory (expected the directory "
                         "to serve as the device's /)\n" % show(args.root))
        return 2
    device = device_path_of(args.module, args.root)
    if device is None:
        sys.stderr.write("rtdl run: error: %s: outside the root %s (expected a module inside "
                         "--root, the device's /)\n" % (show(args.module), show(args.root)))
        return 2
    try:
        disks, serials = device_options.parse(args)
    except device_options.OptionError as error:
        sys.stderr.write("rtdl run: error: %s\n" % error)
        return 2
    if args.runtime == "micropython":
        from rtdl.mpy_runtime.commands import run_module
        return run_module(args, Console(_stdout_sink), device, SandboxFiles(args.root),
                          disks, serials)
    try:
        device.encode("utf-8")
    except UnicodeError:
        sys.stderr.write("rtdl run: error: %s: the module's path is not UTF-8 text, which "
                         "is what argv[0] holds here\n" % show(device))
        return 2
    try:
        files = SandboxFiles(args.root)
        try:
            files.stat(device)
        except OSError as error:
            sys.stderr.write("rtdl run: error: %s\n" % error)
            return 2
        board = Board(args.firmware, cpu=args.cpu, console=Console(_stdout_sink), files=files,
                      disks=disks, serials=serials, heap_check=args.heap_check)
        try:
            result = board.exec(device, *args.args, timeout=args.timeout)
        finally:
            board.close()
    except RtdlError as error:
        sys.stderr.write("rtdl run: error: %s\n" % error)
        return 1
    if args.verbose:
        total, used, max_used = board.heap_info()
        sys.stderr.write("rtdl run: %s exited with %d; heap %d/%d bytes used, max %d\n"
                         % (result.module.name, result.exit_code, used, total, max_used))
    if result.fault is not None:
        sys.stderr.write("rtdl run: error: %s\n" % result.fault)
        if args.verbose and result.fault_report is not None:
            # RT-Thread's fault handler dump: registers, fault status, thread, backtrace
            for line in result.fault_report.lines():
                sys.stderr.write("rtdl run: %s\n" % line)
    return result.exit_code & 0xFF
