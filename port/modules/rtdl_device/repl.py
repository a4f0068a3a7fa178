"""msh's `python` command: a MicroPython read-eval-print loop with RT-Thread's `dlmodule` and
`dlfcn` imported, as on a device whose REPL is one thread among the module threads. The same
loop serves both runtimes: on --runtime micropython it runs in the interpreter of the device
side (LocalThreads over its kernel); on --runtime cpython in a MicroPython process of its own
whose dlmodule/dlfcn and threads are the host's, over the bridge (remote_repl.py).

    repl(threads, read_line, write)   # read_line(prompt) -> str, None at EOF

`threads` lets the module threads run while the REPL waits: `settle()` before each prompt
(every thread runs until it has ended or waits; at a terminal at most PROMPT_WAIT_MS, or
until the user starts typing), then at a terminal `wait_for_key(prompt, words)` (they go on,
their time passing as the user's, while the host's line editor takes the keys of the line,
until Enter; rtdl/line_editor.py), `sleep_ms(ms)` for time.sleep_ms and
time.sleep (the threads run for that many ticks, then the rest of the time passes); both raise
KeyboardInterrupt on Ctrl-C. So a module a line starts (dlmodule.exec) runs and
`dlmodule.find` shows it gone once it has ended; one that faults is reported as msh reports
it (run_threads). End of input (Ctrl-D) or exit() returns to
msh; Ctrl-C raises KeyboardInterrupt in the REPL, which reports it and prompts again.

Ctrl-C inside a line's own Python code (`while True: pass`), which never asks anybody, comes
through GATE: the runner raises KeyboardInterrupt in it directly while the gate is open
(rtdl/mpy_runtime/interrupt_gate.mjs). The gate is open only while a line's code runs and
shut around everything that talks to the board or the kernel (dlmodule, dlfcn, sleeping), so
the bridge and the kernel are never cut in half; a key press that came while it was shut is
raised when that call returns (`threads.interrupted()`, the host's record of it).
MicroPython only (compile's "single" mode, sys.print_exception). Imports: builtins, io, sys,
time, rterror.
"""
import builtins
import io
import sys
import time


from .rterror import RtdlError

PROMPT_WAIT_MS = 200
PACE_MS = 20       # at the prompt, threads run this many ticks per as long a wait for a key
BANNER = ("MicroPython %s on the device side; dlmodule, dlfcn imported; "
          "Ctrl-D or exit() returns to msh\n")
_OPENERS = {"(": ")", "[": "]", "{": "}"}


def _leave(code=None):
    raise SystemExit(code)


class Gate:
    """The runner's interrupt gate (/dev/rtdl_interrupt; without it, as in `rtdl run`, the
    gate does nothing and Ctrl-C reaches only code that asks)."""

    def __init__(self, path="/dev/rtdl_interrupt"):
        try:
            self._device = open(path, "wb")
        except OSError:
            self._device = None
        self.is_open = False

    def open(self):
        self.is_open = True
        if self._device is not None:
            self._device.write(b"o")

    def close(self):
        # once the runner has the byte, no KeyboardInterrupt can come until open()
        if self._device is not None:
            self._device.write(b"c")
        self.is_open = False

    def shut(self, fn, args=(), kwargs=None):
        """fn(*args, **kwargs) with the gate shut (and open again after, if it was)."""
        if not self.is_open:
            return fn(*args, **(kwargs or {}))
        self.close()
        try:
            return fn(*args, **(kwargs or {}))
        finally:
            self.open()


_GATE = []


def gate():
    """The one gate of this interpreter."""
    if not _GATE:
        _GATE.append(Gate())
    return _GATE[0]


class Guarded:
    """A module whose functions run with the gate shut; then a Ctrl-C pressed meanwhile
    raises KeyboardInterrupt (`interrupted()` asks the host), as a device's REPL thread is
    interrupted on its return from a kernel call."""

    def __init__(self, module, interrupted):
        self._module = module
        self._interrupted = interrupted

    def _completion_names(self):
        return dir(self._module)

    def __getattr__(self, name):
        value = getattr(self._module, name)
        if not callable(value) or isinstance(value, type):
            return value
        module = self

        def call(*args, **kwargs):
            g = gate()
            if not g.is_open:
                return value(*args, **kwargs)
            result = g.shut(value, args, kwargs)
            if g.shut(module._interrupted):
                raise KeyboardInterrupt()
            return result
        return call


def run_threads(kernel, timeout_us, until_tick, stop):
    """kernel.run for the REPL's waits, then for each module that faulted meanwhile the
    one-line report msh prints for its foreground module: the REPL goes on without it."""
    watched = [m for m in kernel.modules if m.fault is None]
    try:
        kernel.run(timeout_us, until_tick, stop)
    finally:
        for module in watched:
            if module.fault is not None:
                kernel.console.write(("%s\n" % module.fault).encode())


class LocalThreads:
    """The module threads of a kernel in this interpreter. `poll()` is asked before each
    time slice: "interrupt" (Ctrl-C was pressed: KeyboardInterrupt), "input" (the user has
    started typing: the prompt's wait is over, a sleep goes on) or None. At a terminal
    (`prompt_wait_ms` set) the prompt also comes after that long, so threads that never end
    do not hide it; they run on at the next wait. Piped input waits for the threads."""

    def __init__(self, kernel, timeout_us, poll, prompt_wait_ms=None, await_key=None):
        self.kernel = kernel
        self.await_key = await_key
        self.timeout_us = timeout_us
        self.poll = poll
        self.prompt_wait_ms = prompt_wait_ms
        self._why = None
        self._sleeping = False
        self._started = 0

    def _stop(self):
        why = self.poll()
        if why == "interrupt" or (why == "input" and not self._sleeping):
            self._why = why
        elif not self._sleeping and self.prompt_wait_ms is not None and \
                time.ticks_diff(time.ticks_ms(), self._started) >= self.prompt_wait_ms:
            self._why = "input"
        return self._why is not None

    def _run(self, until_tick, prompt=False):
        self._why = None
        self._sleeping = not prompt
        self._started = time.ticks_ms()
        run_threads(self.kernel, self.timeout_us if until_tick is None else 0, until_tick,
                    self._stop)
        if self._why == "interrupt":
            raise KeyboardInterrupt()

    def settle(self):
        # at a terminal, time passes as the user's from here on (wait_for_key): the threads
        # get PACE_MS ticks, not a jump over every sleep of theirs
        wait = self.prompt_wait_ms is not None and self.await_key is not None
        self._run(self.kernel.tick + PACE_MS if wait else None, prompt=True)

    def interrupted(self):
        """Was Ctrl-C pressed since the last poll (and forget it)?"""
        return self.poll() == "interrupt"

    def wait_for_key(self, prompt, words=None):
        """At a terminal, with the prompt shown: the threads run PACE_MS ticks, then the host
        takes the keys typed for as long (its line editor, Tab completing `words`), until
        the line is complete (read_line gives it then)."""
        if self.prompt_wait_ms is None or self.await_key is None:
            return
        while True:
            why = self.await_key(prompt, PACE_MS, words)
            words = None            # sent with the line's first wait only
            if why == "interrupt":
                raise KeyboardInterrupt()
            if why == "input":
                return
            self._run(self.kernel.tick + PACE_MS)

    def sleep_ms(self, ms):
        self._run(self.kernel.tick + max(int(ms), 0))


class _Time:
    """`time` inside the REPL: the real module, except that sleeping lets the module threads
    run (threads.sleep_ms), as a device's REPL thread sleeping gives them the CPU."""

    def __init__(self, real, threads):
        self._real = real
        self._threads = threads

    def __getattr__(self, name):
        return getattr(self._real, name)

    def _sleep(self, ms):
        start = self._real.ticks_ms()
        gate().shut(self._threads.sleep_ms, (ms,))
        left = ms - self._real.ticks_diff(self._real.ticks_ms(), start)
        if left > 0:
            self._real.sleep_ms(left)

    def sleep_ms(self, ms):
        self._sleep(int(ms))

    def sleep_us(self, us):
        self._sleep(int(us) // 1000)

    def sleep(self, seconds):
        self._sleep(int(seconds * 1000))


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


def completion_words(namespace):
    """What Tab may complete at the REPL's prompt, as MicroPython's REPL does: the names of
    the namespace and the builtins, and `name.attr` for each attribute of a name's value
    (a proxy names its own: `_completion_names`)."""
    words = set(dir(builtins))
    for name in namespace:
        words.add(name)
        if name.startswith("_"):
            continue
        value = namespace[name]
        names = getattr(type(value), "_completion_names", None)
        try:
            attrs = names(value) if names is not None else dir(value)
        except Exception:       # a value that cannot list itself offers nothing after "."
            attrs = ()
        for attr in attrs:
            if not attr.startswith("_"):
                words.add(name + "." + attr)
    return sorted(words)


def repl(threads, read_line, write, guard_modules=False, complete=False):
    """`guard_modules`: dlmodule and dlfcn are this interpreter's own (--runtime
    micropython), so the REPL sees them through Guarded. `complete` (at a terminal):
    threads.wait_for_key(prompt, words) gets completion_words for Tab (the host's line
    editor reads the line there)."""
    # ports built without MICROPY_PY_BUILTINS_EVAL_EXEC have no exec: no REPL there
    run = getattr(builtins, "exec", None)
    if run is None:
        write("python: this MicroPython has no exec(), so no REPL\n")
        return -1
    namespace = {"__name__": "__main__", "exit": _leave, "quit": _leave}
    real_time = sys.modules.get("time", time)
    sys.modules["time"] = _Time(real_time, threads)
    saved = {}
    g = gate()
    try:
        if guard_modules:
            for name in ("dlmodule", "dlfcn"):
                saved[name] = sys.modules.get(name) or __import__(name)
                sys.modules[name] = Guarded(saved[name], threads.interrupted)
        run("import dlmodule, dlfcn", namespace)
        write(BANNER % ".".join(str(n) for n in sys.implementation.version[:3]))
        while True:
            try:
                words = completion_words(namespace) if complete else None
                source = _read_source(threads, read_line, words)
                if source is None:
                    write("\n")
                    return 0
                code = compile(source, "<stdin>", "single")
                g.open()
                try:
                    run(code, namespace)
                finally:
                    g.close()
            except SystemExit:
                g.close()
                return 0
            except KeyboardInterrupt:
                g.close()
                threads.interrupted()     # this key press has been answered: forget it
                write("\nKeyboardInterrupt\n")
            except RtdlError as error:
                write("%s: %s\n" % (type(error).__name__, error))
            except Exception as error:     # as MicroPython's own REPL: report, go on
                write(_traceback(error))
    finally:
        g.close()
        sys.modules["time"] = real_time
        for name in saved:
            sys.modules[name] = saved[name]


def _read_source(threads, read_line, words=None):
    """The next statement, None at end of input; the threads run while it is awaited."""
    threads.settle()
    threads.wait_for_key(">>> ", words)
    line = read_line(">>> ")
    if line is None:
        return None
    source = line
    while continues(source):
        threads.wait_for_key("... ", words)
        more = read_line("... ")
        if more is None or (more == "" and not source.endswith("\\")):
            source += "\n"
            break
        source += "\n" + more
    return source.rstrip("\n") + "\n"


def _traceback(error):
    """The traceback MicroPython's REPL prints: without this loop's own frame."""
    buf = io.StringIO()
    sys.print_exception(error, buf)
    lines = buf.getvalue().split("\n")
    return "\n".join(line for line in lines if "rtdl_device/repl.py" not in line)
