"""msh `python` under --runtime cpython: a MicroPython REPL (rtdl_device.remote_repl, in a
MicroPython process of its own) whose dlmodule and dlfcn are this process's, acting on the
live kernel and board of the shell; this file answers its requests. The REPL's module threads
run here, on this kernel, whenever the REPL waits (for a line, in time.sleep*): at a terminal
the line's wait lasts until it has been typed (Enter), in real time.

    python_repl(kernel, read_line, console, timeout_us)   # -> 0 when the REPL is left

Objects cross as refs (remote_repl.py describes the encoding); this side keeps every object
it has handed out alive for the REPL's lifetime, so a ref always means the same object.
May import: rtdl.mpy_runtime, rtdl_device (dlmodule, dlfcn), the standard library.
"""
import binascii
import time

from rtdl_device import dlfcn
from rtdl_device import dlmodule
from rtdl_device.repl import PACE_MS, PROMPT_WAIT_MS
from rtdl_device.repl import run_threads as run_reporting_faults

from . import serve
from .interrupts import CtrlC, terminal_input_ready


class HostObjects:
    """The objects the REPL holds refs to; ref n is objects[n]."""

    def __init__(self, roots):
        self.objects = []
        self.refs = {}
        for obj in roots:
            self.ref(obj)

    def ref(self, obj):
        found = self.refs.get(id(obj))
        if found is None:
            found = len(self.objects)
            self.objects.append(obj)
            self.refs[id(obj)] = found
        return found

    def encode(self, value):
        if value is None or isinstance(value, (bool, int, float, str)):
            return value
        if isinstance(value, (bytes, bytearray)):
            return {"$bytes": binascii.hexlify(bytes(value)).decode()}
        if isinstance(value, (list, tuple)):
            return [self.encode(v) for v in value]
        if isinstance(value, dict) and all(isinstance(k, str) for k in value):
            return dict((k, self.encode(v)) for k, v in value.items())
        return {"$ref": self.ref(value), "call": callable(value)}

    def decode(self, value):
        if isinstance(value, list):
            return [self.decode(v) for v in value]
        if isinstance(value, dict):
            if "$ref" in value:
                return self.objects[value["$ref"]]
            if "$bytes" in value:
                return binascii.unhexlify(value["$bytes"])
            return dict((k, self.decode(v)) for k, v in value.items())
        return value

    def request(self, what, ref, *rest):
        obj = self.objects[ref]
        if what == "attr":
            name = rest[0]
            if name.startswith("_"):
                # what the device side's own modules keep private stays so
                raise AttributeError("'%s' object has no attribute '%s'"
                                     % (type(obj).__name__, name))
            return self.encode(getattr(obj, name))
        if what == "call":
            args = self.decode(rest[0])
            kwargs = self.decode(rest[1])
            return self.encode(obj(*args, **kwargs))
        if what == "dir":
            return [n for n in dir(obj) if not n.startswith("_")]
        if what == "str":
            return str(obj)
        if what == "repr":
            return repr(obj)
        raise ValueError("remote REPL: no request '%s'" % what)


def python_repl(kernel, read_line, console, timeout_us):
    """Run the REPL until Ctrl-D or exit(); `read_line(prompt)` -> str or None at EOF;
    `console.write(bytes)` prints."""
    objects = HostObjects((dlmodule, dlfcn))
    ctrl_c = CtrlC()
    input_ready = terminal_input_ready()

    def run_threads(timeout, until_tick, prompt=False):
        # the same rule as repl.LocalThreads: typing ends the prompt's wait, not a sleep
        why = []
        started = time.monotonic()

        def stop():
            if not why:
                found = ctrl_c.repl_poll(input_ready if prompt else None)
                if found is None and prompt and input_ready is not None and \
                        time.monotonic() - started >= PROMPT_WAIT_MS / 1000.0:
                    found = "input"
                if found is not None:
                    why.append(found)
            return bool(why)
        run_reporting_faults(kernel, timeout, until_tick, stop)
        if why == ["interrupt"]:
            raise KeyboardInterrupt()
        return None

    def wait_key(prompt, words=None):
        # the line's wait at a terminal: the threads run in steps of PACE_MS ticks, each
        # followed by as long a wait for keys (the line editor), so a module's time passes
        # as the user's does, until the line is complete
        while True:
            why = ctrl_c.await_key(input_ready, console, prompt, PACE_MS, words)
            words = None
            if why == "interrupt":
                raise KeyboardInterrupt()
            if why == "input":
                return None
            run_threads(0, kernel.tick + PACE_MS)

    def request(*what):
        # a Ctrl-C pressed while the REPL's code was not open to it (interrupt_gate.mjs)
        # lands at its next use of the board, as in a loop of dlmodule calls
        if ctrl_c.take():
            raise KeyboardInterrupt()
        return objects.request(*what)

    handlers = {
        "dl": request,
        "interrupted": ctrl_c.take,
        "wait_key": wait_key,
        "readline": lambda prompt: ctrl_c.read_line(read_line, prompt),
        # at a terminal the prompt's wait goes on in wait_key, its ticks paced (LocalThreads)
        "settle": lambda: (run_threads(0, kernel.tick + PACE_MS, True) if input_ready
                           else run_threads(timeout_us, None, True)),
        "sleep": lambda ms: run_threads(0, kernel.tick + max(int(ms), 0)),
    }
    with ctrl_c.installed():
        return serve(None, {"mode": "repl", "terminal": input_ready is not None}, handlers, entry="rtdl_device.remote_repl",
                     console=console, ctrl_c=ctrl_c)
