"""RT-Thread's msh console over the kernel: built-in commands with RT-Thread's output layouts
(components/finsh/msh.c, cmd.c, msh_file.c, libdl/dlmodule.c, src/mem.c) and its rule for
running a module by name.

    shell = Msh(kernel, write)       # write(text) prints on the console
    shell.execute("list_module")     # -> the command's return value

A word that names a command a loaded module registered (MSH_CMD_EXPORT, FINSH_FUNCTION_EXPORT;
finsh_exports.py) runs it on a thread of that module, and `help` lists them after the
built-ins; they go with their module.
A line whose first word is no command runs a module, as msh_exec_module does:
`hello` tries `hello.mo` in the working directory, then `/bin/hello.mo`; a word containing
`.mo` is tried as given, then under `/bin/`. Unlike RT-Thread, whose shell returns while the
module's thread runs on, the module runs to its end (kernel.run) before execute returns, and
execute returns main's exit code. `interrupt()` (Ctrl-C) stops that module: it ends as a
faulting one does, with a message naming it, and execute returns 130.

Files come from `files` (default: the kernel's): `read`, `listdir`, `isdir`, `isfile`, `size`,
`chdir`, `getcwd`, with device paths ('/' is the device's root; relative paths start at the
working directory). OsFiles gives them over the device's own file system.
Imports: os, kernel, loader, devices, msh_file, rterror.
"""
import os

from . import kernel as _kernel
from . import loader
from . import devices
from .msh_file import add_file_commands
from .rterror import ModuleFault, RtdlError

RT_NAME_MAX = loader.RT_NAME_MAX
_S_IFDIR = 0x4000
_S_IFMT = 0xF000

# RT-Thread's thread states (rtdef.h RT_THREAD_INIT..CLOSE) as list_thread prints them
_THREAD_STATES = {0: " init   ", 1: " ready  ", 2: " suspend", 3: " running", 4: " close  "}


# 128 + SIGINT, what a POSIX shell reports for a program ended by Ctrl-C
EXIT_INTERRUPTED = 130


def normalize_path(cwd, path, clamp=False):
    """dfs_normalize_path: `path` made absolute against `cwd`, with '.', '..' and repeated
    '/' resolved. A '..' above '/' gives None, unless `clamp`: then it stays at '/', as
    dfs_normalize_path keeps the topmost root (what `cd ..` at '/' needs)."""
    if not path.startswith("/"):
        path = cwd + "/" + path
    parts = []
    for part in path.split("/"):
        if part == "" or part == ".":
            continue
        if part == "..":
            if not parts:
                if clamp:
                    continue
                return None
            parts.pop()
        else:
            parts.append(part)
    return "/" + "/".join(parts)


class _StoppableCpu:
    """The kernel's CPU while msh runs a module: after `Msh.interrupt()` the next slice of
    any thread faults before it starts, so the kernel ends the module by its fault path
    (threads released, memory freed) at a point where its own state is consistent."""

    def __init__(self, cpu, shell):
        self._cpu = cpu
        self._shell = shell

    def __getattr__(self, name):
        return getattr(self._cpu, name)

    def run(self, context, timeout_us=0):
        shell = self._shell
        if shell.interrupted:
            thread = shell.kernel.current
            name = thread.module.name if thread is not None and thread.module else "kernel"
            raise ModuleFault("%s: stopped by Ctrl-C (thread '%s' killed)"
                                      % (name, thread.name if thread else "?"))
        return self._cpu.run(context, timeout_us)


class OsFiles:
    """The device's own file system through `os` (MicroPython's VFS, or the host's as is)."""

    device_fs = True             # paths are the device's: RT-Thread's /modules/ rule applies

    def read(self, path):
        with open(path, "rb") as f:
            return f.read()

    def _mode(self, path):
        try:
            return os.stat(path)[0]
        except OSError:
            return None

    def isdir(self, path):
        mode = self._mode(path)
        return mode is not None and (mode & _S_IFMT) == _S_IFDIR

    def isfile(self, path):
        mode = self._mode(path)
        return mode is not None and (mode & _S_IFMT) != _S_IFDIR

    def size(self, path):
        return os.stat(path)[6]

    def listdir(self, path):
        return os.listdir(path)

    def chdir(self, path):
        os.chdir(path)

    def getcwd(self):
        return os.getcwd()


class Msh:
    """RT-Thread's msh over `kernel`; `write(text)` prints; `timeout_us` bounds each run of a
    module's thread (0: no limit). `exited` turns true after the `exit` command."""

    def __init__(self, kernel, write, files=None, timeout_us=60000000):
        self.kernel = kernel
        self.write = write
        if files is None:
            files = kernel.files
        # the kernel's default reader only reads; directories need the device's file system
        self.files = files if hasattr(files, "listdir") else OsFiles()
        self.timeout_us = timeout_us
        self.exited = False
        self.interrupted = False
        self.running = False         # a module is loading or running (interrupt() applies)
        # (name, handler(argv) -> int, description): RT-Thread's descriptions, help's order
        self.commands = [
            ("help", self.cmd_help, "RT-Thread shell help."),
            ("ps", self.cmd_ps, "List threads in the system."),
            ("free", self.cmd_free, "Show the memory usage in the system."),
            ("list_thread", self.cmd_list_thread, "list thread"),
            ("list_module", self.cmd_list_module, "list modules in system"),
            ("list_device", self.cmd_list_device, "list device in system"),
            ("list_module_sym", self.cmd_list_module_sym, "list sym in the module"),
            ("list_symbols", self.cmd_list_symbols, "list symbols information"),
            ("ls", self.cmd_ls, "List information about the FILEs."),
            ("cd", self.cmd_cd, "Change the shell working directory."),
            ("pwd", self.cmd_pwd, "Print the name of the current working directory."),
            ("exit", self.cmd_exit, "Leave msh."),
        ]
        add_file_commands(self)      # cat, echo, mkdir, rm, cp, mv (msh_file.py)

    def interrupt(self):
        """Ctrl-C: stop the module that is running (safe to call from a signal handler: it
        only sets a flag the next time slice looks at). True when a module was running."""
        if self.running:
            self.interrupted = True
        return self.running

    def add_command(self, name, handler, description):
        """Register a command (MSH_CMD_EXPORT): handler(argv) -> int."""
        self.commands.append((name, handler, description))

    def prompt(self):
        """finsh's prompt: 'msh ' + the working directory + '>'."""
        return "msh %s>" % self.files.getcwd()

    def execute(self, line):
        """Run one command line (msh_exec); returns the command's value, -1 when not found."""
        line = line.rstrip("\r\n").lstrip(" \t")
        if not line:
            return 0
        end = 0
        while end < len(line) and line[end] not in " \t":
            end += 1
        name = line[:end]
        try:
            for entry in self.commands:
                if entry[0] == name:
                    return entry[1](_kernel.split_command(line))
            for module, command in self.module_commands():
                if command.name == name:
                    return self.run_command(module, command, line)
            path = self._find_module(name)
            if path is None:
                self.write("%s: command not found.\n" % name)
                return -1
            return self.run_module(path, line)
        except RtdlError as error:
            self.write("%s\n" % error)
            return -1
        except OSError as error:
            # a file system error (permissions, I/O) ends the command, not the shell
            self.write("%s: %s\n" % (name, error))
            return -1

    def _find_module(self, name):
        """msh_exec_module's search: the program file for command word `name`, or None."""
        if name.find(".mo") >= 0 or name.find(".MO") >= 0:
            candidates = (name, "/bin/" + name)
        else:
            candidates = (name + ".mo", "/bin/" + name + ".mo")
        for path in candidates:
            if self.files.isfile(path):
                return path
        return None

    def run_module(self, path, line):
        """dlmodule_exec(path, line) and run the module to its end; main's exit code."""
        k = self.kernel

        def start():
            try:
                module = k.drive(k.load_steps(path))
                try:
                    k.create_main_thread(module, line)
                except RtdlError:
                    k.drive(k.destroy_steps(module))
                    raise
            except RtdlError as error:
                k.set_error(error)
                raise
            return module
        module = self._in_foreground(start)
        if module.fault is not None:
            self.write("%s\n" % module.fault)
        if self.interrupted:
            return EXIT_INTERRUPTED
        return module.ret_code

    def _in_foreground(self, start):
        """Run what `start()` makes (it returns it) as the shell's foreground job, to the end
        of every thread, on a CPU that Ctrl-C can stop."""
        k = self.kernel
        cpu = k.cpu
        k.cpu = _StoppableCpu(cpu, self)
        self.interrupted = False
        self.running = True
        try:
            job = start()
            k.run(self.timeout_us)
        finally:
            self.running = False
            k.cpu = cpu
        return job

    def module_commands(self):
        """[(module, finsh_exports.Command)] that loaded modules registered with
        MSH_CMD_EXPORT/FINSH_FUNCTION_EXPORT, in load order; a built-in of the same name
        wins (execute looks there first). They go when their module is unloaded."""
        found = []
        for module in self.kernel.modules:
            if module.state != _kernel.STAT_CLOSED and module.image is not None:
                for command in module.image.commands:
                    found.append((module, command))
        return found

    def run_command(self, module, command, line):
        """A module's msh command, cmd(argc, argv) on a thread of the module (finsh's
        'tshell'); like a module run, it returns once that thread and every thread it
        started have ended. A fault in it ends the module (and its commands), not the
        shell. Returns the command's result, or the module's exit code when it faulted."""
        k = self.kernel
        thread = self._in_foreground(
            lambda: k.lifecycle.create_command_thread(module, command, line))
        if module.fault is not None and module.state == _kernel.STAT_CLOSED:
            self.write("%s\n" % module.fault)
            return EXIT_INTERRUPTED if self.interrupted else module.ret_code
        value = thread.exit_value or 0
        return value - (1 << 32) if value & 0x80000000 else value

    # ---------------------------------------------------------------- built-ins ---------
    def cmd_help(self, argv):
        self.write("RT-Thread shell commands:\n")
        for entry in self.commands:
            self.write("%-16s - %s\n" % (entry[0], entry[2]))
        for module, command in self.module_commands():
            self.write("%-16s - %s\n" % (command.name, command.desc))
        self.write("\n")
        return 0

    def cmd_ps(self, argv):
        if len(argv) == 2 and argv[1] == "-m":
            return self.cmd_list_module(argv)
        return self.cmd_list_thread(argv)

    def cmd_list_thread(self, argv):
        """RT-Thread's columns up to `stack size`: the kernel keeps no stack fill pattern,
        time slice or thread error, so `max used`, `left tick` and `error` are left out."""
        self.write("%-*s pri  status      sp     stack size\n" % (RT_NAME_MAX, "thread"))
        self.write("-" * RT_NAME_MAX + " ---  ------- ---------- ----------\n")
        # RT-Thread lists the newest thread first, so the shell and idle threads (systhreads),
        # made at boot, come last
        # while a module's command runs, its thread is the shell's (named 'tshell', as
        # RT-Thread runs commands on tshell itself), so the idle system tshell is not listed
        names = [thread.name for thread in self.kernel.threads]
        system = tuple(t for t in self.kernel.system.threads if t.name not in names)
        for thread in tuple(self.kernel.threads) + system:
            used = 0
            if thread.context is not None and thread.stack_top:
                used = (thread.stack_top - thread.context[13]) & 0xFFFFFFFF
            self.write("%-*.*s %3d %s 0x%08x 0x%08x\n"
                       % (RT_NAME_MAX, RT_NAME_MAX, thread.name, thread.priority,
                          _THREAD_STATES.get(thread.state, " ?      "), used, thread.stack_size))
        return 0

    def cmd_list_module(self, argv):
        self.write("module   ref      address \n")
        self.write("-------- -------- ------------\n")
        for module in self.kernel.modules:
            if module.state != _kernel.STAT_CLOSED:
                # RT-Thread's "%-*.*s %-04d  0x%08x": C ignores the 0 of "%-04d", MicroPython
                # pads with zeros on the right ("1000"), so the 0 is left out here
                self.write("%-*.*s %-4d  0x%08x\n" % (RT_NAME_MAX, RT_NAME_MAX, module.name,
                                                     module.nref, module.mem_space))
        return 0

    def cmd_list_device(self, argv):
        """cmd.c's list_device: name, class and ref count, the newest device first (RT-Thread
        puts each new object at the head of its class's list)."""
        self.write("%-*.*s         type         ref count\n" % (RT_NAME_MAX, RT_NAME_MAX,
                                                               "device"))
        self.write("-" * RT_NAME_MAX + " -------------------- ----------\n")
        names = devices.CLASS_NAMES
        for device in reversed(self.kernel.devices.devices):
            kind = device.device_class
            self.write("%-*.*s %-20s %-8d\n" % (RT_NAME_MAX, RT_NAME_MAX, device.name,
                                               names[kind if kind < len(names) else -1],
                                               device.ref_count))
        return 0

    def cmd_list_module_sym(self, argv):
        if len(argv) != 2:
            self.write("Wrong argument\n")
            return -1
        module = self.kernel.find(argv[1])
        if module is None:
            self.write("mod %s not found\n" % argv[1])
            return -1
        self.write("sym   address \n")
        self.write("-------- ------------\n")
        symbols = module.symbols
        for name in sorted(symbols):
            self.write("%s   0x%08x\n" % (name, symbols[name]))
        return 0

    def cmd_list_symbols(self, argv):
        for line in self.kernel.symbols.list_symbols():
            self.write(line + "\n")
        return 0

    def cmd_free(self, argv):
        total, used, max_used = self.kernel.heap.info()
        self.write("total memory: %d\n" % total)
        self.write("used memory : %d\n" % used)
        self.write("maximum allocated memory: %d\n" % max_used)
        return 0

    def cmd_ls(self, argv):
        path = argv[1] if len(argv) > 1 else self.files.getcwd()
        if not self.files.isdir(path):
            self.write("No such directory\n")
            return 0
        self.write("Directory %s:\n" % path)
        for name in sorted(self.files.listdir(path)):
            full = path.rstrip("/") + "/" + name
            if self.files.isdir(full):
                self.write("%-20s%-25s\n" % (name, "<DIR>"))
            else:
                self.write("%-20s%-25d\n" % (name, self.files.size(full)))
        return 0

    def cmd_cd(self, argv):
        if len(argv) == 1:
            self.write("%s\n" % self.files.getcwd())
        elif len(argv) == 2:
            # dfs_normalize_path keeps the topmost root: `cd ..` at '/' stays at '/'
            target = normalize_path(self.files.getcwd(), argv[1], True)
            try:
                self.files.chdir(target)
            except (OSError, RtdlError):
                self.write("No such directory: %s\n" % argv[1])
        return 0

    def cmd_pwd(self, argv):
        self.write("%s\n" % self.files.getcwd())
        return 0

    def cmd_exit(self, argv):
        self.exited = True
        return 0
