"""Tab in msh `python` (both runtimes): the REPL runs in MicroPython, but its lines are read
here with readline, so with each line it asks for it sends the words Tab may complete (its
names, the builtins, and `name.attr` for their attributes, as MicroPython's own REPL
completes: repl.completion_words) and readline completes from those while the line is typed.

    with completing(words):     # readline's completer offers `words` (when readline is in use)
        line = input(prompt)

May import: the standard library.
"""
import sys

# a Python word may hold dots (dlmodule.exec): split at everything else that ends a name
PYTHON_DELIMS = " \t\n`~!@#$%^&*()-=+[{]}\\|;:'\",<>/?"


class completing:
    def __init__(self, words):
        self.words = sorted(set(words or ()))
        self.readline = sys.modules.get("readline") if words else None
        self.matches = []

    def complete(self, text, state):
        if state == 0:
            self.matches = [w for w in self.words if w.startswith(text)]
        return self.matches[state] if state < len(self.matches) else None

    def __enter__(self):
        rl = self.readline
        if rl is not None:
            self.previous = (rl.get_completer(), rl.get_completer_delims())
            rl.set_completer_delims(PYTHON_DELIMS)
            rl.set_completer(self.complete)
        return self

    def __exit__(self, *exc):
        rl = self.readline
        if rl is not None:
            rl.set_completer(self.previous[0])
            rl.set_completer_delims(self.previous[1])
        return False
