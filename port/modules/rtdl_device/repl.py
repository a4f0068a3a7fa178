"""msh's `python` command on MicroPython: a read-eval-print loop in the interpreter that runs the
device side, with RT-Thread's `dlmodule` and `dlfcn` imported, as on a device whose REPL is
one thread among the module threads.

    repl(kernel, read_line, write, timeout_us)   # read_line(prompt) -> str, None at EOF

Modules a line starts (dlmodule.exec) run while the REPL waits for its next line: the kernel
runs every ready thread before each prompt, so `dlmodule.find` shows a module gone once it
has ended. End of input (Ctrl-D) or exit() returns to msh. MicroPython only (compile's
"single" mode, sys.print_exception). Imports: builtins, io, sys, rterror.
"""
import builtins
import io
import sys

from .rterror import RtdlError

BANNER = ("MicroPython %s on the device side; dlmodule, dlfcn imported; "
          "Ctrl-D or exit() returns to msh\n")
_OPENERS = {"(": ")", "[": "]", "{": "}"}


def _leave(code=None):
    raise SystemExit(code)


def continues(source):
    """Whether the REPL asks for more lines: an open bracket or string, a trailing backslash,
    or a compound statement (ended by an empty line)."""
    depth = 0
    quote = None
    i = 0
    while i < len(source):
        c = source[i]
        if quote is not None:
            if c == "\\":
                i += 1
            elif source.startswith(quote, i):
                i += len(quote) - 1
                quote = None
        elif c == "#":
            while i < len(source) and source[i] != "\n":
                i += 1
            continue
        elif c in "\"'":
            quote = source[i:i + 3] if source[i:i + 3] in ('"""', "'''") else c
            i += len(quote) - 1
        elif c in _OPENERS:
            depth += 1
        elif c in ")]}":
            depth -= 1
        i += 1
    if quote is not None and len(quote) == 3 or depth > 0 or source.endswith("\\"):
        return True
    first = source.split("\n")[0].rstrip()
    return first.endswith(":") and not source.endswith("\n")


def repl(kernel, read_line, write, timeout_us):
    # ports built without MICROPY_PY_BUILTINS_EVAL_EXEC have no exec: no REPL there
    run = getattr(builtins, "exec", None)
    if run is None:
        write("python: this MicroPython has no exec(), so no REPL\n")
        return -1
    namespace = {"__name__": "__main__", "exit": _leave, "quit": _leave}
    run("import dlmodule, dlfcn", namespace)
    write(BANNER % ".".join(str(n) for n in sys.implementation.version[:3]))
    while True:
        kernel.run(timeout_us)
        line = read_line(">>> ")
        if line is None:
            write("\n")
            return 0
        source = line
        while continues(source):
            more = read_line("... ")
            if more is None or (more == "" and not source.endswith("\\")):
                source += "\n"
                break
            source += "\n" + more
        try:
            run(compile(source.rstrip("\n") + "\n", "<stdin>", "single"), namespace)
        except SystemExit:
            return 0
        except RtdlError as error:
            write("%s: %s\n" % (type(error).__name__, error))
        except Exception as error:     # as MicroPython's own REPL: report, go on
            write(_traceback(error))


def _traceback(error):
    """The traceback MicroPython's REPL prints: without this loop's own frame."""
    buf = io.StringIO()
    sys.print_exception(error, buf)
    lines = buf.getvalue().split("\n")
    return "\n".join(line for line in lines if "rtdl_device/repl.py" not in line)
