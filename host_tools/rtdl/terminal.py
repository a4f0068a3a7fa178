"""`rtdl shell` at a terminal: line editing, history and Tab completion through readline.

    term = Terminal(shell)           # shell: an msh.Msh over the board (or None, and
                                     # term.completer.shell = MshView(...) per line)
    line = term.read_line(prompt)    # None at Ctrl-D; Ctrl-C gives a fresh prompt line

History is kept across sessions in $XDG_CACHE_HOME/rtdl/shell_history (~/.cache when unset):
each line is appended as it is entered (readline trims the file to HISTORY_LINES), so
sessions side by side lose nothing and a killed session keeps what it ran.
Tab completes, by where the cursor is: the first word from the commands (built-ins, then
WORD for each WORD.mo in the working directory and /bin/); the argument of a command that
takes a module (list_module_sym) from the loaded modules; any other word from the device's
files (directories end in '/', so Tab goes on into them).
Only used when stdin is a terminal: piped input never loads readline, so a piped session
carries no escape sequences.
"""
import os
import sys

from rtdl_device import kernel as _kernel

HISTORY_LINES = 1000
# commands whose argument names a loaded module, not a file
MODULE_COMMANDS = ("list_module_sym",)


def history_path():
    cache = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(cache, "rtdl", "shell_history")


class MshView:
    """What the Completer reads of an msh that runs in another process (--runtime
    micropython): the command names and live module names it sent with its read request
    (rtdl_device.bridge_main), and the device's files, which are this process's."""

    class _Module:
        state = None             # live: the device side sends only modules not closed

        def __init__(self, name):
            self.name = name

    class _Kernel:
        def __init__(self, modules):
            self.modules = modules

    def __init__(self, state, files):
        self.commands = [(name,) for name in state.get("commands", ())]
        self.kernel = self._Kernel([self._Module(n) for n in state.get("modules", ())])
        self.files = files


class Completer:
    """What Tab offers for the word under the cursor, from the shell's live state."""

    def __init__(self, shell):
        self.shell = shell

    def candidates(self, line, begidx, text):
        if self.shell is None:       # msh elsewhere has sent no state (MshView) yet
            return []
        before = line[:begidx].split()
        if not before:
            found = self._commands(text)
            if "/" in text:
                found += self._files(text)
            return found
        if before[0] in MODULE_COMMANDS:
            return self._modules(text)
        return self._files(text)

    def _commands(self, text):
        names = [entry[0] for entry in self.shell.commands]
        for folder in (".", "/bin"):
            for name in self._listdir(folder):
                if name.endswith(".mo") and self.shell.files.isfile(folder + "/" + name):
                    names.append(name[:-3])
        return _matches(text, names, " ")

    def _modules(self, text):
        names = [m.name for m in self.shell.kernel.modules if m.state != _kernel.STAT_CLOSED]
        return _matches(text, names, " ")

    def _files(self, text):
        slash = text.rfind("/")
        folder, prefix = text[:slash + 1], text[slash + 1:]
        found = []
        for name in sorted(self._listdir(folder or ".")):
            if name.startswith(prefix):
                path = folder + name
                found.append(path + ("/" if self._isdir(path) else " "))
        return found

    def _listdir(self, folder):
        # a folder that is missing or outside the sandbox offers nothing, silently: Tab
        # is a question, not a command
        try:
            return self.shell.files.listdir(folder)
        except (OSError, _kernel.RtdlError):
            return []

    def _isdir(self, path):
        try:
            return self.shell.files.isdir(path)
        except (OSError, _kernel.RtdlError):
            return False


def _matches(text, names, end):
    seen = []
    for name in names:
        if name.startswith(text) and name + end not in seen:
            seen.append(name + end)
    return sorted(seen)


class Terminal:
    """readline over the user's terminal for msh's prompt (and the `python` REPL's)."""

    def __init__(self, shell, warn=None):
        import readline
        self.readline = readline
        self.completer = Completer(shell)
        self.warn = warn or (lambda text: sys.stderr.write(text + "\n"))
        self.history = history_path()
        self._matches = []
        readline.set_completer_delims(" \t")
        if "libedit" in (readline.__doc__ or ""):
            readline.parse_and_bind("bind ^I rl_complete")
        else:
            readline.parse_and_bind("tab: complete")
        self.use_msh_completion()
        readline.set_history_length(HISTORY_LINES)
        try:
            os.makedirs(os.path.dirname(self.history), exist_ok=True)
            if os.path.exists(self.history):
                readline.read_history_file(self.history)
            else:
                open(self.history, "a").close()
        except OSError as error:
            self._history_failed(error)

    def _history_failed(self, error):
        self.warn("rtdl shell: history not kept: %s: %s" % (self.history, error.strerror
                                                             or error))
        self.history = None

    def use_msh_completion(self):
        self.readline.set_completer(self._complete)

    def use_python_completion(self, namespace):
        import rlcompleter
        self.readline.set_completer(rlcompleter.Completer(namespace).complete)

    def _complete(self, text, state):
        if state == 0:
            rl = self.readline
            try:
                self._matches = self.completer.candidates(rl.get_line_buffer(),
                                                          rl.get_begidx(), text)
            except Exception:
                # readline drops a completer's exception silently; offer nothing instead
                self._matches = []
        if state < len(self._matches):
            return self._matches[state]
        return None

    def read_line(self, prompt):
        """One line, None at Ctrl-D. Ctrl-C abandons the line and prompts again."""
        while True:
            try:
                line = input(prompt)
            except EOFError:
                return None
            except KeyboardInterrupt:
                sys.stdout.write("\n")
                sys.stdout.flush()
                continue
            self.remember(line)
            return line

    def remember(self, line):
        """Keep a line read through readline in the history file (not an empty one)."""
        if line.strip() and self.history is not None:
            try:
                self.readline.append_history_file(1, self.history)
            except OSError as error:
                self._history_failed(error)

