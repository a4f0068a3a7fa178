"""Ctrl-C for a device side that runs in a MicroPython process: that process is in a session of
its own (the terminal's SIGINT reaches only this one), so this process keeps the key press
until the device side asks ("interrupted", or a run of the threads checking before each
slice), except while it waits at the terminal for a line: then the line is abandoned at once
and the device side gets KeyboardInterrupt as the answer to its readline. `notify` (set by
rtdl.mpy_runtime.serve) also tells the runner at once, for REPL code that never asks.

    ctrl_c = CtrlC()
    with ctrl_c.installed():
        ctrl_c.read_line(read, prompt)   # KeyboardInterrupt when Ctrl-C is or was pressed
        ctrl_c.take()                    # was Ctrl-C pressed since the last take? (clears)
        ctrl_c.repl_poll(input_ready)    # "interrupt", "input" or None (repl.py's threads)

May import: the standard library.
"""
import select
import signal
import sys
import threading


def terminal_input_ready():
    """A key waits at the terminal (stdin is a tty and readable now); None for piped input,
    whose lines must not race the threads (a piped session's transcript stays the same)."""
    if not sys.stdin.isatty():
        return None
    return lambda: bool(select.select([sys.stdin], [], [], 0)[0])


class CtrlC:
    def __init__(self):
        self.pending = False
        self.reading = False
        self.notify = None

    def _on_sigint(self, signum, frame):
        if self.reading:
            self.reading = False
            raise KeyboardInterrupt()
        self.pending = True
        if self.notify is not None:
            self.notify()

    def repl_poll(self, input_ready):
        """What stops the REPL's wait for threads: "interrupt", "input" (a key is waiting
        at the terminal: `input_ready()`) or None."""
        if self.take():
            return "interrupt"
        if input_ready is not None and input_ready():
            return "input"
        return None

    def take(self):
        pending = self.pending
        self.pending = False
        return pending

    def read_line(self, read, prompt):
        if self.take():
            raise KeyboardInterrupt()
        self.reading = True
        try:
            return read(prompt)
        finally:
            self.reading = False

    def installed(self):
        return _Installed(self)


class _Installed:
    def __init__(self, ctrl_c):
        self.ctrl_c = ctrl_c
        self.previous = None

    def __enter__(self):
        # signal handlers belong to the main thread (an API caller's thread keeps its own)
        if threading.current_thread() is threading.main_thread():
            self.previous = signal.signal(signal.SIGINT, self.ctrl_c._on_sigint)
        return self.ctrl_c

    def __exit__(self, *exc):
        if self.previous is not None:
            signal.signal(signal.SIGINT, self.previous)
        return False
