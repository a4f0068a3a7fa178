"""`rtdl shell` as a user runs it: a subprocess fed a script on stdin, its stdout a transcript
of the device's console (prompt, echoed line, output)."""
import os
import re
import shutil
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def shell(script, *args):
    return subprocess.run([sys.executable, "-m", "rtdl.cli", "shell"] + [str(a) for a in args],
                          input=script, capture_output=True, text=True, timeout=120)


@pytest.fixture
def root(tmp_path, build_module, firmware):
    (tmp_path / "bin").mkdir()
    shutil.copy(build_module("hello.c"), str(tmp_path / "bin" / "hello.mo"))
    shutil.copy(build_module("lib.c", lib=True), str(tmp_path / "lib.so"))
    return tmp_path


def test_script_runs_hello_list_module_free_then_exit(root, firmware):
    result = shell("hello\nlist_module\nfree\nexit\nhello\n", "--root", root)
    assert result.returncode == 0 and result.stderr == ""
    transcript = re.match(
        r"msh />hello\nHello, world\n"
        r"msh />list_module\nmodule   ref      address \n-------- -------- ------------\n"
        r"msh />free\ntotal memory: (\d+)\nused memory : (\d+)\nmaximum allocated memory: (\d+)\n"
        r"msh />exit\n\Z", result.stdout)
    assert transcript, "unexpected transcript:\n" + result.stdout
    total, used, max_used = (int(n) for n in transcript.groups())
    from rtdl import Board
    assert total == Board(firmware).heap.info()[0]
    # hello's image and stack were in use once and are back in the heap
    assert used < max_used < total


def test_end_of_input_ends_the_shell_with_status_0(root):
    result = shell("cd bin\nls\n", "--root", root)
    assert result.returncode == 0 and result.stderr == ""
    size = os.path.getsize(str(root / "bin" / "hello.mo"))
    assert result.stdout == ("msh />cd bin\nmsh /bin>ls\nDirectory /bin:\n%-20s%-25d\nmsh /bin>\n"
                             % ("hello.mo", size))


def test_python_repl_shares_the_device_state_with_msh(root):
    # the REPL is MicroPython (a process of its own) acting on this shell's kernel
    result = shell('python\nimport sys; sys.implementation.name\nh = dlfcn.dlopen("/lib.so")\n'
                   'print(h.nref, h.name)\nexit()\nlist_module\n', "--root", root)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert ">>> import sys; sys.implementation.name\n'micropython'\n" in out
    assert ">>> print(h.nref, h.name)\n1 lib\n>>> exit()\nmsh />list_module\n" in out
    assert re.search(r"\nlib      1     0x[0-9a-f]{8}\nmsh />\n\Z", out), out


def test_root_must_be_a_directory(tmp_path):
    result = shell("", "--root", tmp_path / "nosuch")
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == ("rtdl shell: error: %s: no such directory (expected the directory "
                             "to serve as the device's /)\n" % (tmp_path / "nosuch"))
