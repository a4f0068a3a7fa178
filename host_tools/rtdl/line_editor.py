"""The line editor of msh `python` at a terminal (both runtimes): it is fed keys as they come
instead of blocking in readline, so between two keys the module threads run on, as on a
device whose REPL is one thread among others; what they print comes above the line being
typed, which is drawn again below it (as readline's rl_forced_update_display or
prompt_toolkit's patch_stdout do).

    editor = LineEditor(console, prompt, words, history)   # takes over console.sink
    editor.show()                  # the prompt and the line, if output has erased them
    done = editor.feed(data)       # bytes read from the terminal: None (the line goes on),
                                   # ("line", text) at Enter, ("eof",) at Ctrl-D on an empty line
    editor.close()                 # the console's sink back

Keys: printable text, Left/Right, Home/End (also Ctrl-A/Ctrl-E), Backspace, Delete, Ctrl-D,
Ctrl-K, Ctrl-U, Ctrl-W, Up/Down (also Ctrl-P/Ctrl-N) through `history` (ReadlineHistory: the
session's readline history, which holds msh's lines from the history file too), Tab
completing `words` as readline would (one match: inserted with a space; several: their
common part, and a second Tab lists them). A line longer than the terminal is wide wraps:
the editor keeps the row its cursor is on, so it is erased and walked row by row (one column
a character: wide characters are not measured). The terminal itself is set up by the caller
(rtdl.mpy_runtime.interrupts: no echo, no line mode; Ctrl-C stays a signal).
May import: the standard library.
"""
import codecs
import os
import sys

# a Python word may hold dots (dlmodule.exec): Tab splits at everything else that ends a name
PYTHON_DELIMS = " \t\n`~!@#$%^&*()-=+[{]}\\|;:'\",<>/?"

# escape sequences of the keys the editor knows (normal and application cursor mode)
_SEQUENCES = {
    "[A": "up", "OA": "up", "[B": "down", "OB": "down",
    "[C": "right", "OC": "right", "[D": "left", "OD": "left",
    "[H": "home", "OH": "home", "[1~": "home", "[7~": "home",
    "[F": "end", "OF": "end", "[4~": "end", "[8~": "end",
    "[3~": "delete",
}
_CONTROL = {
    "\x01": "home", "\x05": "end", "\x02": "left", "\x06": "right",
    "\x7f": "backspace", "\x08": "backspace", "\x04": "ctrl-d",
    "\x0b": "kill-end", "\x15": "kill-start", "\x17": "kill-word",
    "\x10": "up", "\x0e": "down", "\t": "tab", "\r": "enter", "\n": "enter",
    "\x0c": "redraw",
}


class ReadlineHistory:
    """The session's history: readline's, when the shell loaded it (so Up shows msh's lines
    and the REPL's alike, and the REPL's lines are in it for msh's Up as input() put them),
    else a list of this session's own."""

    def __init__(self):
        self.readline = sys.modules.get("readline")
        self.own = []

    def lines(self):
        rl = self.readline
        if rl is None:
            return list(self.own)
        return [rl.get_history_item(i) or ""
                for i in range(1, rl.get_current_history_length() + 1)]

    def add(self, line):
        if not line.strip():
            return
        if self.readline is None:
            self.own.append(line)
        else:
            self.readline.add_history(line)


class LineEditor:
    def __init__(self, console, prompt, words, history):
        self.console = console
        self.sink = console.sink
        self.prompt = prompt
        self.words = sorted(set(words or ()))
        self.history = history
        self.entries = history.lines() + [""]
        self.place = len(self.entries) - 1
        self.text = ""
        self.cursor = 0
        self.shown = False
        self.row = 0                 # the terminal's cursor: rows below the prompt's
        self.pending = ""            # an escape sequence not complete yet
        self.decoder = codecs.getincrementaldecoder("utf-8")("replace")
        self.tabbed = False
        console.sink = self._output

    # -- the display -------------------------------------------------------------------
    def _output(self, data):
        # a module's output: the line goes, the output comes, show() draws the line again
        if self.shown and data:
            self._write(self._to_start())
            self.shown = False
        self.sink(data)

    def _write(self, text):
        self.sink(text.encode("utf-8", "surrogateescape"))

    def show(self):
        if not self.shown:
            self._redraw()

    @staticmethod
    def _width():
        try:
            return max(os.get_terminal_size(sys.stdout.fileno()).columns, 1)
        except (OSError, ValueError):
            return 80

    def _to_start(self):
        # back to the prompt's first column and clear what the line covered (one row: the
        # row only; a line wrapped over several: the screen below too)
        up = "\x1b[%dA" % self.row if self.row else ""
        self.row = 0
        wrapped = len(self.prompt) + len(self.text) >= self._width()
        return "\r" + up + ("\x1b[J" if wrapped else "\x1b[K")

    def _end_row(self, written):
        # after `written` columns from a row's start; at the right margin the terminal waits
        # to wrap until the next character: a space and CR make it wrap now
        width = self._width()
        extra = " \r" if written and written % width == 0 else ""
        return written // width, extra

    def _redraw(self):
        # from the line's start (over what was shown) or on a fresh one (output erased it)
        text = (self._to_start() if self.shown else "") + self.prompt + self.text
        end = len(self.prompt) + len(self.text)
        self.row, extra = self._end_row(end)
        text += extra
        self.shown = True
        self._write(text + self._move(end, len(self.prompt) + self.cursor))

    def _move(self, at, to):
        """The sequence that takes the cursor from column `at` of the line to `to`."""
        width = self._width()
        rows = at // width - to // width
        self.row -= rows
        if rows == 0:
            step = at - to
            return "\x1b[%dD" % step if step > 0 else "\x1b[%dC" % -step if step < 0 else ""
        return (("\x1b[%dA" % rows) if rows > 0 else ("\x1b[%dB" % -rows)) + "\r" + \
            ("\x1b[%dC" % (to % width) if to % width else "")

    def close(self):
        self.console.sink = self.sink

    # -- keys --------------------------------------------------------------------------
    def feed(self, data):
        keys = self.pending + self.decoder.decode(data)
        self.pending = ""
        i = 0
        while i < len(keys):
            ch = keys[i]
            if ch == "\x1b":
                key, used = self._sequence(keys[i + 1:])
                if used is None:             # the rest of it comes with the next read
                    self.pending = keys[i:]
                    return None
                i += 1 + used
            else:
                key = _CONTROL.get(ch, ch)
                i += 1
            done = self._key(key)
            if done is not None:
                return done
        return None

    def _sequence(self, rest):
        """The key an escape sequence names and how many characters after ESC it took;
        (None, None) while incomplete; an unknown one is dropped whole."""
        if not rest:
            return None, None
        if rest[0] == "O":
            if len(rest) < 2:
                return None, None
            return _SEQUENCES.get(rest[:2], "ignore"), 2
        if rest[0] != "[":
            return "ignore", 0 if rest[0] == "\x1b" else 1
        j = 1
        while j < len(rest) and " " <= rest[j] <= "?":   # parameters, intermediates
            j += 1
        if j >= len(rest):
            return None, None
        return _SEQUENCES.get(rest[:j + 1], "ignore"), j + 1

    def _key(self, key):
        tab = key == "tab"
        if key == "enter":
            line = self.text
            self.show()
            self._write(self._move(len(self.prompt) + self.cursor,
                                   len(self.prompt) + len(self.text)) + "\n")
            self.shown = False
            self.history.add(line)
            return ("line", line)
        if key == "ctrl-d":
            if not self.text:
                return ("eof",)
            key = "delete"
        if key == "tab":
            self._complete()
        elif key == "left" and self.cursor > 0:
            self._step(-1)
        elif key == "right" and self.cursor < len(self.text):
            self._step(1)
        elif key == "home":
            self._set(self.text, 0)
        elif key == "end":
            self._set(self.text, len(self.text))
        elif key == "backspace" and self.cursor > 0:
            self._set(self.text[:self.cursor - 1] + self.text[self.cursor:], self.cursor - 1)
        elif key == "delete" and self.cursor < len(self.text):
            self._set(self.text[:self.cursor] + self.text[self.cursor + 1:], self.cursor)
        elif key == "kill-end":
            self._set(self.text[:self.cursor], self.cursor)
        elif key == "kill-start":
            self._set(self.text[self.cursor:], 0)
        elif key == "kill-word":
            start = len(self.text[:self.cursor].rstrip())
            while start > 0 and not self.text[start - 1].isspace():
                start -= 1
            self._set(self.text[:start] + self.text[self.cursor:], start)
        elif key in ("up", "down"):
            self._recall(-1 if key == "up" else 1)
        elif key == "redraw":
            self._redraw()
        elif len(key) == 1 and key >= " ":
            self._insert(key)
        self.tabbed = tab
        return None

    def _step(self, by):
        at = len(self.prompt) + self.cursor
        self.cursor += by
        self._write(self._move(at, at + by))

    def _set(self, text, cursor):
        self.text, self.cursor = text, cursor
        self._redraw()

    def _insert(self, text):
        at_end = self.cursor == len(self.text)
        self.text = self.text[:self.cursor] + text + self.text[self.cursor:]
        self.cursor += len(text)
        if at_end and self.shown:
            # the common case: the terminal's own echo, no more
            self.row, extra = self._end_row(len(self.prompt) + len(self.text))
            self._write(text + extra)
        else:
            self._redraw()

    def _recall(self, step):
        place = self.place + step
        if not 0 <= place < len(self.entries):
            return
        self.entries[self.place] = self.text     # an edited line is kept while browsing
        self.place = place
        self._set(self.entries[place], len(self.entries[place]))

    def _complete(self):
        start = self.cursor
        while start > 0 and self.text[start - 1] not in PYTHON_DELIMS:
            start -= 1
        word = self.text[start:self.cursor]
        found = [w for w in self.words if w.startswith(word)]
        if not found:
            return
        if len(found) == 1:
            self._insert(found[0][len(word):] + " ")
            return
        common = found[0]
        for other in found[1:]:
            while not other.startswith(common):
                common = common[:-1]
        if len(common) > len(word):
            self._insert(common[len(word):])
        elif self.tabbed:                # a second Tab: the matches, then the line again
            self._write("\n" + "  ".join(found) + "\n")
            self.shown = False
            self._redraw()
