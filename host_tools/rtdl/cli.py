"""The `rtdl` command line: a table of subcommands, each a module with add_arguments(parser)
and run(args) -> exit code. Every error is one line on stderr, never a traceback."""
import gc
import importlib
import os
import sys

# (command, module in the rtdl package, help). Modules are imported only for the command that
# runs: `rtdl verify` must not pay for unicorn, nor `rtdl build` for pyelftools.
COMMANDS = (
    ("build", "build", "compile and link a module (.mo program or .so library)"),
    ("run", "run_cmd", "run a module on the emulated board, as dlmodule_exec would"),
    ("symtab", "symtab_cmd", "list the firmware's exported symbols (RTMSymTab)"),
    ("verify", "verify", "check ahead of time that modules load on one exact firmware"),
    ("exports", "exports", "write the C source of an RTM_EXPORT table for lists and modules"),
    ("sdk", "sdk", "export headers, Makefile fragment, CMake toolchain and rtua.py to a directory"),
    ("shell", "shell_cmd", "RT-Thread's msh on the emulated board, its / a host directory"),
)


def command_module(module_name):
    return importlib.import_module("rtdl." + module_name)


def parser(selected=None):
    """The argument parser; with `selected` (a command name) only that command's, else all
    of them (the top-level help and a misspelt command name list every command). Every
    subparser costs a few hundred microseconds of every run, and argparse itself is imported
    only here (`rtdl run`'s common form never needs it: run_cmd.quick_args)."""
    import argparse
    top = argparse.ArgumentParser(prog="rtdl", description="RT-Thread dynamic modules on an "
                                  "emulated Cortex-M: build, run, inspect, verify.")
    sub = top.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name, module_name, help_text in COMMANDS:
        if selected is not None and selected != name:
            continue
        p = sub.add_parser(name, help=help_text, description=help_text)
        if selected is None or selected == name:
            module = command_module(module_name)
            module.add_arguments(p)
            p.set_defaults(handler=module.run)
    return top


def _selected_command(argv):
    names = [c[0] for c in COMMANDS]
    for arg in argv:
        if not arg.startswith("-"):
            return arg if arg in names else None
    return None


class _loading:
    """While the command's modules load. The cycle collector has nothing to find then (every
    object made lives as long as the process), but its passes over the growing heap cost
    ~5 ms of a 0.07 s `rtdl run`: it is off until they are loaded, and gc.freeze() then moves
    them all out of its sight for good, so its later passes and the one at exit skip them.
    And the device side's modules each try `from micropython import const` (MicroPython's
    compile-time constants), which on CPython searches the whole import path in vain, ~85 us
    a module: the failure is found once and remembered until they are loaded."""

    def __enter__(self):
        self.collecting = gc.isenabled()
        gc.disable()
        self.no_micropython = False
        if "micropython" not in sys.modules:
            try:
                import micropython      # noqa: F401 (a CPython that has one keeps it)
            except ImportError:
                sys.modules["micropython"] = None       # import fails at once
                self.no_micropython = True
        return self

    def __exit__(self, *exc):
        if self.no_micropython and sys.modules.get("micropython", 0) is None:
            del sys.modules["micropython"]
        gc.freeze()
        if self.collecting:
            gc.enable()
        return False


def _arguments(argv):
    """The parsed command line: `rtdl run`'s common form without argparse (run_cmd.quick_args),
    anything else through the parser of the one command named."""
    if argv and argv[0] == "run":
        module = command_module("run_cmd")
        args = module.quick_args(argv[1:])
        if args is not None:
            args.command = "run"
            args.handler = module.run
            return args
    return parser(_selected_command(argv)).parse_args(argv)


def main(argv=None):
    own = argv is None       # the process's own command line: its exit is main's (below)
    if own:
        argv = sys.argv[1:]
    with _loading():
        args = _arguments(argv)
    try:
        code = args.handler(args)
    except KeyboardInterrupt:
        sys.stderr.write("rtdl %s: interrupted\n" % args.command)
        code = 130
    except BrokenPipeError:
        # `rtdl symtab | head`: the reader left; say nothing more (stdout is gone).
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = 0
    if own and args.command == "run":
        _exit_now(code)
    return code


def _exit_now(code):
    """End the process at once with `code` once stdout and stderr are flushed: tearing the
    interpreter down (every module, the engine's objects) cost ~3 ms of a 0.07 s `rtdl run`
    and does nothing a finished run needs. The board has closed its devices by then and the
    module's files are the host's own descriptors (sandbox_io.py), written as it went, and no
    atexit handler of rtdl's is pending. Where a flush fails, the ordinary exit reports it."""
    for stream in (sys.stdout, sys.stderr):
        if stream is not None:          # None: started with the descriptor closed
            try:
                stream.flush()
            except Exception:
                return
    os._exit(code)


if __name__ == "__main__":
    sys.exit(main())
