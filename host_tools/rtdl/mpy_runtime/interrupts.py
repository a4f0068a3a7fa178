"""Ctrl-C for a device side that runs in a MicroPython process: that process is in a session of
its own (the terminal's SIGINT reaches only this one), so this process keeps the key press
until the device side asks ("interrupted", or a run of the threads checking before each
slice), except while it waits at the terminal for a line: then the line is abandoned at once
and the device side gets KeyboardInterrupt as the answer to its readline. `notify` (set by
rtdl.mpy_runtime.serve) also tells the runner at once, for REPL code that never asks.

    ctrl_c = CtrlC()
    with ctrl_c.installed():
        ctrl_c.read_line(read, prompt[, words])   # KeyboardInterrupt when Ctrl-C is or was
                                         # pressed; Tab completes `words`
        ctrl_c.take()                    # was Ctrl-C pressed since the last take? (clears)
        ctrl_c.repl_poll(input_ready)    # "interrupt", "input" or None (repl.py's threads)
        ctrl_c.await_key(input_ready, console, prompt, ms)   # the prompt shown: "interrupt",
                                         # "input" (a key waits) or None after ms

May import: .completion, the standard library.
"""
import select
import signal
import sys
import termios
import threading

from .completion import completing


def terminal_input_ready():
    """A key waits at the terminal (stdin is a tty and readable now); None for piped input,
    whose lines must not race the threads (a piped session's transcript stays the same)."""
    if not sys.stdin.isatty():
        return None
    return lambda: bool(select.select([sys.stdin], [], [], 0)[0])


class PromptLine:
    """The REPL's prompt while module threads run between key presses (at a terminal): on
    `console` (an rtdl_board Console) it is erased before whatever they print and shown again
    by show(), so their lines never start after it; close() erases it for the line reader,
    which prints it itself."""

    ERASE = b"\r\x1b[K"

    def __init__(self, console, prompt):
        self.console = console
        self.sink = console.sink
        self.prompt = prompt.encode()
        self.shown = False
        console.sink = self._write

    def _write(self, data):
        if self.shown and data:
            self.shown = False
            self.sink(self.ERASE)
        self.sink(data)

    def show(self):
        if not self.shown:
            self.sink(self.prompt)
            self.shown = True

    def close(self):
        self.console.sink = self.sink
        if self.shown:
            self.sink(self.ERASE)


class CtrlC:
    def __init__(self):
        self.pending = False
        self.reading = False
        self.notify = None
        self.prompt_line = None
        self.saved_tty = None

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

    def await_key(self, input_ready, console, prompt, ms):
        """Show `prompt` and wait up to `ms` for a key: "interrupt" (Ctrl-C), "input" (a key
        waits, or input is piped: read it) or None (the module threads may run on)."""
        if input_ready is None:
            return "input"
        self._keys_mode()
        if self.prompt_line is None:
            self.prompt_line = PromptLine(console, prompt)
        self.prompt_line.show()
        ready = select.select([sys.stdin], [], [], max(ms, 0) / 1000.0)[0]
        if self.take():
            self.close_prompt()
            return "interrupt"
        return "input" if ready else None

    def _keys_mode(self):
        # From the first wait on, keys arrive one by one outside readline too (which sets
        # its own mode while it reads and comes back to this one): the first key of a line
        # ends the wait and is readline's. In the terminal's own line mode only Enter would,
        # and a Ctrl-D typed ahead would be lost when the mode changes. Echo stays on (the
        # prompt line is erased before readline redraws it), since readline does not echo
        # on a terminal it found without echo. The mode lasts until the session ends.
        if self.saved_tty is not None:
            return
        fd = sys.stdin.fileno()
        self.saved_tty = termios.tcgetattr(fd)
        keys = termios.tcgetattr(fd)
        keys[3] &= ~termios.ICANON
        keys[6][termios.VMIN] = 1
        keys[6][termios.VTIME] = 0
        termios.tcsetattr(fd, termios.TCSANOW, keys)

    def restore_terminal(self):
        self.close_prompt()
        if self.saved_tty is not None:
            termios.tcsetattr(sys.stdin.fileno(), termios.TCSANOW, self.saved_tty)
            self.saved_tty = None

    def close_prompt(self):
        if self.prompt_line is not None:
            self.prompt_line.close()
            self.prompt_line = None

    def take(self):
        pending = self.pending
        self.pending = False
        return pending

    def read_line(self, read, prompt, words=None):
        """read(prompt), Tab completing `words` (completion.py) when given."""
        self.close_prompt()
        if self.take():
            raise KeyboardInterrupt()
        self.reading = True
        try:
            with completing(words):
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
        self.ctrl_c.restore_terminal()   # the terminal as it was, whatever ended the session
        if self.previous is not None:
            signal.signal(signal.SIGINT, self.previous)
        return False
