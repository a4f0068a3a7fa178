"""`rtdl shell` at a terminal, driven through a pseudo-terminal as a person types: the arrows
recall history, Tab completes, Ctrl-C stops a spinning module and not the shell, Ctrl-D
leaves, and history outlives the session. Each step waits a bounded time for what the
person would see before typing on (a key typed before the prompt is read is flushed by a
Ctrl-C, as on any terminal)."""
import shutil

import pytest

import pty_shell
from pty_shell import PROMPT, type_line
from pty_shell import end_shell as leave

pytest.importorskip("pexpect")

STEP = 10          # seconds any one expected output may take
UP = "\x1b[A"


@pytest.fixture
def root(tmp_path, build_module, firmware):
    root = tmp_path / "root"
    (root / "bin").mkdir(parents=True)
    for name in ("hello", "spin"):
        shutil.copy(build_module(name + ".c"), str(root / "bin" / (name + ".mo")))
    shutil.copy(build_module("lib.c", lib=True), str(root / "lib.so"))
    return root


@pytest.fixture
def cache(tmp_path):
    return tmp_path / "cache"


def start(root, cache):
    return pty_shell.start(root, cache, columns=120, timeout=STEP)


def test_up_arrow_recalls_the_previous_command(root, cache):
    child = start(root, cache)
    type_line(child, "hello")
    child.expect_exact("Hello, world")
    child.expect_exact(PROMPT)
    type_line(child, "pwd")
    child.expect_exact("/\r\n" + PROMPT)
    child.send(UP + UP)             # pwd, then hello
    child.send("\r")
    child.expect_exact("Hello, world")
    child.expect_exact(PROMPT)
    assert "^[[A" not in child.before
    leave(child)


def test_tab_completes_a_command_and_a_file_name(root, cache):
    child = start(root, cache)
    child.send("hell\t")            # "hel" alone is ambiguous: help and hello
    child.expect_exact("hello ")
    child.send("\r")
    child.expect_exact("Hello, world")
    child.expect_exact(PROMPT)
    child.send("ls b\t")
    child.expect_exact("ls bin/")
    child.send("\r")
    child.expect_exact("Directory bin/:")
    child.expect(r"hello\.mo +\d+ +\r\nspin\.mo +\d+ +\r\n")
    child.expect_exact(PROMPT)
    # a first word with a '/' is a program file: completed inside the folder, then run
    child.send("bin/he\t")
    child.expect_exact("bin/hello.mo ")
    child.send("\r")
    child.expect_exact("Hello, world")
    child.expect_exact(PROMPT)
    # list_module_sym takes a loaded module: the one the REPL opened
    type_line(child, "python")
    child.expect_exact(">>> ")
    type_line(child, 'h = dlfcn.dlopen("/lib.so")')
    child.expect_exact(">>> ")
    type_line(child, "exit()")
    child.expect_exact(PROMPT)
    child.send("list_module_sym l\t")
    child.expect_exact("list_module_sym lib ")
    child.send("\r")
    child.expect(r"add_func   0x[0-9a-f]{8}")
    child.expect_exact(PROMPT)
    leave(child)


def test_ctrl_c_stops_the_spinning_module_and_the_shell_goes_on(root, cache):
    child = start(root, cache)
    type_line(child, "spin")
    child.expect_exact("spin: start")
    child.sendintr()
    child.expect_exact("spin: stopped by Ctrl-C (thread 'spin' killed)")
    child.expect_exact(PROMPT)
    type_line(child, "list_module")
    child.expect_exact("-------- -------- ------------\r\n" + PROMPT)   # spin is gone
    type_line(child, "hello")
    child.expect_exact("Hello, world")
    child.expect_exact(PROMPT)
    # at the prompt Ctrl-C drops the half-typed line and prompts again
    child.send("hel")
    child.expect_exact("hel")
    child.sendintr()
    child.expect_exact(PROMPT)
    type_line(child, "pwd")
    child.expect_exact("/\r\n" + PROMPT)
    leave(child)


def test_history_is_kept_across_sessions(root, cache):
    child = start(root, cache)
    type_line(child, "cd bin")
    child.expect_exact("msh /bin>")
    leave(child)
    history = cache / "rtdl" / "shell_history"
    assert history.read_text().splitlines()[-1] == "cd bin"
    child = start(root, cache)
    child.send(UP)
    child.expect_exact("cd bin")
    child.send("\r")
    child.expect_exact("msh /bin>")
    leave(child)
