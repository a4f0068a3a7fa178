"""msh (port/modules/msh.py) against a booted board whose / is a sandbox of built modules:
RT-Thread's output layouts, its rule for running a module by name, and the sandbox's refusal
of paths that leave it."""
import os
import re
import shutil

import pytest
from elftools.elf.elffile import ELFFile

from rtdl_device import msh
from rtdl_board.console import Console
from rtdl import Board
from rtdl.sandbox import FileError, SandboxEscape, SandboxFiles
from rtdl_device.rterror import RtdlError


class Session:
    """A board booted over a sandbox, with msh; `take()` returns everything printed since the
    last take - msh's own lines and the modules' output, in order."""

    def __init__(self, firmware, root):
        self.printed = []
        self.files = SandboxFiles(root)
        self.board = Board(firmware, console=Console(self._module_output), files=self.files)
        self.msh = msh.Msh(self.board.kernel, self.printed.append)

    def _module_output(self, data):
        self.printed.append(data.decode())

    def take(self):
        text = "".join(self.printed)
        del self.printed[:]
        return text

    def run(self, line):
        """(return value, output) of one command line."""
        value = self.msh.execute(line)
        return value, self.take()


@pytest.fixture
def sandbox(tmp_path, build_module):
    """/bin/hello.mo (hello), /apps/hello.mo (a retcode.mo that returns 42), /bin/argv.mo,
    /bin/thread_cfg.mo, /bin/fault_null.mo, /lib.so; outside.txt sits beside the root."""
    root = tmp_path / "root"
    for folder in ("bin", "apps"):
        (root / folder).mkdir(parents=True)
    shutil.copy(build_module("hello.c"), str(root / "bin" / "hello.mo"))
    shutil.copy(build_module("retcode.c"), str(root / "apps" / "hello.mo"))
    for name in ("argv", "thread_cfg", "fault_null"):
        shutil.copy(build_module(name + ".c"), str(root / "bin" / (name + ".mo")))
    shutil.copy(build_module("lib.c", lib=True), str(root / "lib.so"))
    (tmp_path / "outside.txt").write_text("not for the device\n")
    return root


@pytest.fixture
def session(firmware, sandbox):
    return Session(firmware, str(sandbox))


def test_unknown_command_runs_the_module_from_bin(session):
    assert session.run("hello") == (0, "Hello, world\n")
    assert session.board.kernel.modules == [], "the module ran to its end and was destroyed"


def test_the_working_directory_comes_before_bin(session):
    assert session.run("cd /apps") == (0, "")
    assert session.msh.prompt() == "msh /apps>"
    assert session.run("hello") == (42, "retcode: returning 42\n")


def test_a_command_with_mo_is_tried_as_given_then_under_bin(session):
    assert session.run("apps/hello.mo") == (42, "retcode: returning 42\n")
    assert session.run("hello.mo") == (0, "Hello, world\n")            # not in /, so /bin
    assert session.run("/bin/hello.mo") == (0, "Hello, world\n")


def test_module_gets_the_line_as_typed(session):
    value, output = session.run('argv one "two words"')
    assert value == 0
    assert output == "argc=3\nargv[0]=<argv>\nargv[1]=<one>\nargv[2]=<two words>\n"


def test_command_not_found_uses_rt_threads_wording(session):
    assert session.run("nosuch arg1 arg2") == (-1, "nosuch: command not found.\n")
    assert session.run("nosuch.mo") == (-1, "nosuch.mo: command not found.\n")


def test_a_faulting_module_is_reported_and_the_shell_goes_on(session):
    value, output = session.run("fault_null")
    assert value == 139
    lines = output.splitlines()
    assert lines[0] == "fault_null: writing to 0x00000000"
    assert lines[1].startswith("fault_nu") and "0x00000000" in lines[1]
    assert session.run("hello") == (0, "Hello, world\n")


def test_list_module_layout_with_a_loaded_library(session):
    lib = session.board.dlopen("/lib.so")
    session.board.dlopen("lib.so")               # the same module, one more reference
    value, output = session.run("list_module")
    assert value == 0
    lines = output.split("\n")
    assert lines[:2] == ["module   ref      address ", "-------- -------- ------------"]
    row = re.match(r"^(.{8}) (.{4})  0x([0-9a-f]{8})$", lines[2])
    assert row, "list_module row %r is not '%%-8.8s %%-4d  0x%%08x'" % lines[2]
    assert row.group(1) == "lib     " and row.group(2) == "2   "
    # the address is where the library's code really is: add_func runs from there
    base = int(row.group(3), 16)
    assert base == lib.mem_space and base <= lib.symbols["add_func"] < base + lib.mem_size
    assert session.board.call(lib, "add_func", 2, 3) == 5
    assert lines[3:] == [""]
    assert session.run("ps -m")[1] == output


def test_list_module_sym_lists_the_librarys_functions(session):
    lib = session.board.dlopen("/lib.so")
    output = session.run("list_module_sym lib")[1]
    assert output.splitlines()[:2] == ["sym   address ", "-------- ------------"]
    assert "add_func   0x%08x" % lib.symbols["add_func"] in output.splitlines()
    assert session.run("list_module_sym nosuch") == (-1, "mod nosuch not found\n")


def test_list_symbols_prints_printf_at_the_firmwares_address(session, firmware):
    with open(firmware, "rb") as stream:
        symbols = ELFFile(stream).get_section_by_name(".symtab")
        printf = symbols.get_symbol_by_name("printf")[0]["st_value"]
    output = session.run("list_symbols")[1]
    assert "printf => 0x%08x" % printf in output.splitlines()
    assert len(output.splitlines()) == len(session.board.exports.entries)


def test_free_prints_the_heaps_figures(session):
    session.board.dlopen("/lib.so")
    output = session.run("free")[1]
    total, used, max_used = session.board.heap.info()
    assert output == ("total memory: %d\nused memory : %d\nmaximum allocated memory: %d\n"
                      % (total, used, max_used))
    assert 0 < used <= max_used < total


def test_ps_shows_a_module_thread_with_its_configured_priority_and_stack(session):
    from rtdl_device import dlmodule
    session.board.activate()
    dlmodule.exec("/bin/thread_cfg.mo")          # thread created, not run yet
    lines = session.run("ps")[1].splitlines()
    assert lines[:2] == ["thread   pri  status      sp     stack size",
                         "-------- ---  ------- ---------- ----------"]
    # thread_cfg.c sets dlmodule_thread_priority 12 and dlmodule_thread_stacksize 3072
    system = ["tshell    20  running 0x00000000 0x00001000",
              "tidle0    31  ready   0x00000000 0x00000400"]
    assert lines[2:] == ["thread_c  12  ready   0x00000000 0x%08x" % 3072] + system
    session.board.run()
    assert session.take().startswith("thread_cfg: priority 12, stack_size 3072\n")
    assert session.run("list_thread")[1].splitlines()[2:] == system


def test_ls_cd_pwd_over_the_sandbox(session, sandbox):
    output = session.run("ls")[1]
    assert output == ("Directory /:\n" + "%-20s%-25s\n" % ("apps", "<DIR>")
                      + "%-20s%-25s\n" % ("bin", "<DIR>")
                      + "%-20s%-25d\n" % ("lib.so", os.path.getsize(str(sandbox / "lib.so"))))
    assert session.run("ls /bin")[1].splitlines()[1].startswith("argv.mo ")
    assert session.run("ls /nosuch")[1] == "No such directory\n"
    assert session.run("cd bin") == (0, "")
    assert session.run("pwd")[1] == "/bin\n"
    assert session.run("cd")[1] == "/bin\n"
    assert session.run("cd /nosuch")[1] == "No such directory: /nosuch\n"
    assert session.run("cd ../apps") == (0, "")
    assert session.msh.prompt() == "msh /apps>"


def test_help_lists_every_command(session):
    lines = session.run("help")[1].splitlines()
    assert lines[0] == "RT-Thread shell commands:"
    names = [entry[0] for entry in session.msh.commands]
    assert [line.split(" - ")[0].rstrip() for line in lines[1:-1]] == names
    for name in ("list_module", "list_symbols", "free", "ps", "ls", "cd", "pwd", "exit"):
        assert "%-16s - " % name in session.run("help")[1]


def test_exit_ends_the_session(session):
    assert not session.msh.exited
    assert session.run("exit") == (0, "")
    assert session.msh.exited


def test_sandbox_keeps_paths_inside(session, sandbox, tmp_path):
    files = session.files
    # '..' at '/' stays at '/', as dfs_normalize_path keeps the topmost root
    for path in ("../outside.txt", "/../outside.txt", "bin/../../outside.txt"):
        with pytest.raises(FileError) as error:
            files.read(path)
        assert str(error.value) == "/outside.txt: no such file or directory"
    # a host path is a device path here: it cannot name a host file outside the root
    with pytest.raises(OSError):
        files.read(str(tmp_path / "outside.txt"))
    # nor can a symbolic link inside the root that points out of it
    os.symlink(str(tmp_path / "outside.txt"), str(sandbox / "link.txt"))
    with pytest.raises(SandboxEscape) as error:
        files.read("/link.txt")
    assert str(error.value) == ("/link.txt: a symbolic link that leads outside the device's "
                                "file system")
    # a module's dlopen goes through the same files
    with pytest.raises(RtdlError) as error:
        session.board.dlopen("/../outside.so")
    assert "/outside.so: no such file or directory" in str(error.value)
    assert session.run("../hello") == (-1, "../hello: command not found.\n")
    assert session.run("../bin/hello") == (0, "Hello, world\n")
    assert session.run("cd ..") == (0, "") and files.getcwd() == "/"
    assert files.read("bin/../lib.so") == (sandbox / "lib.so").read_bytes()


def test_normalize_path_follows_dfs_rules():
    assert msh.normalize_path("/", "bin") == "/bin"
    assert msh.normalize_path("/bin", "../apps//x/./y") == "/apps/x/y"
    assert msh.normalize_path("/bin", "/") == "/"
    assert msh.normalize_path("/", "..") is None
