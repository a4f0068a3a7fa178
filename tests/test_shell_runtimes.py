"""What issue 12 asks of `rtdl shell` holds under both runtimes: `-c "cmd; cmd"` runs those
and exits with the last one's status, `cd ..` at / stays at /, a module's relative dlopen
follows RT-Thread's /modules/ rule, and at a terminal the history is kept in a file under the
user's cache folder (across sessions, Up recalls it)."""
import os
import re
import subprocess
import sys

import pytest

import mpy_node
import pty_shell
from conftest import device_root

RUNTIMES = pty_shell.RUNTIMES


@pytest.fixture(scope="module")
def root(tmp_path_factory, build_module, firmware):
    mpy_node.node()
    return device_root(tmp_path_factory.mktemp("device"), build_module, ("hello", "dl_user"))


def shell(root, runtime, firmware, *args, stdin=b""):
    return subprocess.run([sys.executable, "-m", "rtdl.cli", "shell", "--root", str(root),
                           "--runtime", runtime] + list(args), input=stdin,
                          env=dict(os.environ, RTDL_FIRMWARE=firmware), capture_output=True,
                          timeout=180)


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_dash_c_runs_commands_and_exits_with_the_last_status(root, runtime, firmware):
    result = shell(root, runtime, firmware, "-c", "cd ..; pwd; cd ../..; pwd; hello")
    assert (result.returncode, result.stderr) == (0, b""), result.stderr
    # no prompt, no echo: what the commands print, in order; stdin is never read
    assert result.stdout == b"/\n/\nHello, world\n"
    failed = shell(root, runtime, firmware, "-c", "hello; no_such_command")
    assert failed.returncode == 255
    assert failed.stdout == b"Hello, world\nno_such_command: command not found.\n"


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_a_relative_dlopen_follows_slash_modules(root, runtime, firmware):
    # from /bin, "lib.so" is /modules/lib.so; "modules/lib.so" is /modules/modules/lib.so
    result = shell(root, runtime, firmware, "-c",
                   "cd /bin; dl_user lib.so lib_func; dl_user modules/lib.so lib_func")
    out = result.stdout.decode()
    assert "add_func(2, 3) = 5" in out, out
    assert re.search(r"dlopen failed: .*/modules/modules/lib\.so", out), out


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_history_is_kept_under_the_cache_folder(root, runtime, firmware, tmp_path):
    pexpect = pytest.importorskip("pexpect")

    def session():
        return pty_shell.start(root, tmp_path / "cache", runtime, RTDL_FIRMWARE=firmware)

    child = session()
    child.send("hello\r")
    child.expect_exact("Hello, world")
    child.expect_exact("msh />")
    child.sendeof()
    child.expect(pexpect.EOF)
    child.close()
    history = tmp_path / "cache" / "rtdl" / "shell_history"
    assert "hello" in history.read_text().split("\n")
    # a new session: Up brings back the last session's line
    child = session()
    child.send("\x1b[A")
    child.expect_exact("hello")
    child.send("\r")
    child.expect_exact("Hello, world")
    child.expect_exact("msh />")
    pty_shell.end_shell(child)


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_tab_completes_commands_files_and_modules(root, runtime, firmware, tmp_path):
    pytest.importorskip("pexpect")
    child = pty_shell.start(root, tmp_path / "cache", runtime, RTDL_FIRMWARE=firmware)
    # a program of /bin/ as a command word: typed as is, "hell" is not found
    child.send("hell\t")
    child.expect_exact("o ")
    child.send("\r")
    child.expect_exact("Hello, world")
    child.expect_exact("msh />")
    # a file name inside the sandbox
    child.send("ls /mod\t")
    child.expect_exact("ules/")
    child.send("\r")
    child.expect_exact("lib.so")
    child.expect_exact("msh />")
    # a loaded module's name (the REPL loads lib; msh sees it)
    child.send("python\r")
    child.expect_exact(">>> ")
    child.send("h = dlfcn.dlopen('lib.so')\r")
    child.expect_exact(">>> ")
    child.sendeof()
    child.expect_exact("msh />")
    child.send("list_module_sym l\t")
    child.expect_exact("ib ")
    child.send("\r")
    child.expect_exact("add_func")
    child.expect_exact("msh />")
    pty_shell.end_shell(child)
