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
        ctrl_c.await_key(input_ready, console, prompt, ms[, words])   # the line being typed
                                         # shown (rtdl.line_editor): "interrupt", "input"
                                         # (it is complete: read_line gives it) or None

May import: rtdl.line_editor, the standard library.
"""
import os
import select
import signal
import sys
import termios
import threading

from rtdl.line_editor import LineEditor, ReadlineHistory


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
        self.editor = None
        self.finished = False        # the line the editor completed (None: Ctrl-D)
        self.history = ReadlineHistory()
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

    def await_key(self, input_ready, console, prompt, ms, words=None):
        """At a terminal, with `prompt` and the line typed so far shown (a LineEditor, Tab
        completing `words`), take the keys typed within `ms`: "interrupt" (Ctrl-C: the line
        is abandoned), "input" (the line is complete, or input is piped: read_line gives it)
        or None (not yet: the module threads may run on)."""
        if input_ready is None:
            return "input"
        self._keys_mode()
        if self.editor is None:
            self.editor = LineEditor(console, prompt, words, self.history)
        self.editor.show()
        ready = select.select([sys.stdin], [], [], max(ms, 0) / 1000.0)[0]
        if self.take():
            self.close_prompt()
            return "interrupt"
        if not ready:
            return None
        done = self.editor.feed(os.read(sys.stdin.fileno(), 4096))
        if done is None:
            return None
        self.close_prompt()
        self.finished = done[1] if done[0] == "line" else None
        return "input"

    def _keys_mode(self):
        # From the first wait on, keys arrive one by one, unechoed: the editor echoes them
        # itself, below whatever the threads print. In the terminal's own line mode only
        # Enter would pass, and a Ctrl-D typed ahead would be lost when the mode changes.
        # The mode lasts until the session ends; readline gets echo back while it reads
        # (read_line), since it does not echo on a terminal it found without echo.
        if self.saved_tty is not None:
            return
        fd = sys.stdin.fileno()
        self.saved_tty = termios.tcgetattr(fd)
        keys = termios.tcgetattr(fd)
        keys[3] &= ~(termios.ICANON | termios.ECHO)
        keys[6][termios.VMIN] = 1
        keys[6][termios.VTIME] = 0
        termios.tcsetattr(fd, termios.TCSANOW, keys)

    def _echo(self, on):
        fd = sys.stdin.fileno()
        mode = termios.tcgetattr(fd)
        mode[3] = mode[3] | termios.ECHO if on else mode[3] & ~termios.ECHO
        termios.tcsetattr(fd, termios.TCSANOW, mode)

    def restore_terminal(self):
        self.close_prompt()
        if self.saved_tty is not None:
            termios.tcsetattr(sys.stdin.fileno(), termios.TCSANOW, self.saved_tty)
            self.saved_tty = None

    def close_prompt(self):
        if self.editor is not None:
            self.editor.close()
            self.editor = None

    def take(self):
        pending = self.pending
        self.pending = False
        return pending

    def read_line(self, read, prompt):
        """The line the editor completed (await_key; at a terminal the REPL's lines come
        so, Tab completing there), else read(prompt): msh's lines, piped lines."""
        self.close_prompt()
        if self.take():
            self.finished = False
            raise KeyboardInterrupt()
        if self.finished is not False:
            line, self.finished = self.finished, False
            return line
        self.reading = True
        if self.saved_tty is not None:
            self._echo(True)
        try:
            return read(prompt)
        finally:
            self.reading = False
            if self.saved_tty is not None:
                self._echo(False)

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
