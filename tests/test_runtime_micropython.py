"""`--runtime micropython`: the device side (msh, kernel, loader, heap, dlmodule, dlfcn) on real
MicroPython under Node against the unicorn board of the CPython process, over the bridge.
The same session must give the same bytes under both runtimes."""
import os
import re
import subprocess
import sys

import pytest

import mpy_node
from conftest import device_root

# hello, a module using dlopen, free, list_module, ps, a faulting module and list_symbols
# (msh has no pipe: the whole list is compared, and its first lines checked)
SESSION = ("hello\n"
           "dl_user lib.so lib_func\n"
           "free\n"
           "list_module\n"
           "ps\n"
           "fault_null\n"
           "list_symbols | head\n"
           "cd /bin\n"
           "ls\n"
           "no_such_command\n"
           "exit\n")


def rtdl(firmware, *args, **kw):
    env = dict(os.environ, RTDL_FIRMWARE=firmware)
    return subprocess.run([sys.executable, "-m", "rtdl.cli"] + [str(a) for a in args],
                          env=env, capture_output=True, timeout=180, **kw)


@pytest.fixture(scope="module")
def root(tmp_path_factory, build_module, firmware):
    mpy_node.node()
    return device_root(tmp_path_factory.mktemp("device"), build_module, ("hello", "dl_user", "fault_null"))


@pytest.fixture(scope="module")
def transcripts(root, firmware):
    out = {}
    for runtime in ("cpython", "micropython"):
        result = rtdl(firmware, "shell", "--root", root, "--runtime", runtime,
                      input=SESSION.encode())
        assert result.returncode == 0, result.stderr.decode()
        assert result.stderr == b"", result.stderr.decode()
        out[runtime] = result.stdout.decode()
    return out


def test_shell_transcripts_are_byte_identical(transcripts):
    assert transcripts["micropython"] == transcripts["cpython"]


def test_the_transcript_shows_each_command_working(transcripts):
    text = transcripts["micropython"]
    assert "msh />hello\nHello, world\nmsh />" in text
    assert "add_func(2, 3) = 5\n" in text and "dlclose = 0\n" in text
    assert "msh />free\ntotal memory: " in text
    assert ("msh />list_module\nmodule   ref      address \n-------- -------- ------------\n"
            "msh />ps\nthread   pri  status      sp     stack size\n") in text
    assert ("fault_null: writing to 0x00000000\nfault_nu: mem manage fault (DACCVIOL, data "
            "access violation) in main+0x") in text
    assert ("on thread 'fault_nu': write of 4 bytes at 0x00000000 (read-only memory); "
            "pc=") in text
    symbols = text.split("msh />list_symbols | head\n")[1].split("\n")[:10]
    assert len(symbols) == 10 and all(" => 0x" in line for line in symbols), symbols
    assert "msh /bin>ls\nDirectory /bin:\ndl_user.mo" in text
    assert "msh /bin>no_such_command\nno_such_command: command not found.\n" in text
    assert text.endswith("msh /bin>exit\n")


def test_run_hello_on_micropython(root, firmware):
    result = rtdl(firmware, "run", "--root", root, "--runtime", "micropython", root / "bin" / "hello.mo")
    assert (result.returncode, result.stdout, result.stderr) == (0, b"Hello, world\n", b"")


def test_run_verbose_reports_the_same_under_both_runtimes(root, firmware):
    # (options go before the module: what follows it is the module's argv)
    results = [rtdl(firmware, "run", "-v", "--root", root, "--runtime", rt, root / "bin" / "dl_user.mo",
                    "lib.so", "lib_func", cwd=str(root / "modules"))
               for rt in ("cpython", "micropython")]
    assert results[0].returncode == results[1].returncode == 0
    assert results[0].stdout == results[1].stdout and b"add_func(2, 3) = 5" in results[1].stdout
    assert results[0].stderr == results[1].stderr
    assert results[1].stderr.startswith(b"rtdl run: dl_user exited with 0; heap ")


def test_a_fault_exits_139_under_both_runtimes(root, firmware):
    results = [rtdl(firmware, "run", "--root", root, "--runtime", rt, root / "bin" / "fault_null.mo")
               for rt in ("cpython", "micropython")]
    assert [r.returncode for r in results] == [139, 139]
    assert results[0].stdout == results[1].stdout == b"fault_null: writing to 0x00000000\n"
    assert results[0].stderr == results[1].stderr
    assert results[1].stderr.startswith(b"rtdl run: error: fault_nu: mem manage fault "
                                        b"(DACCVIOL, data access violation) in main+0x")


def test_a_missing_module_file_is_one_line_under_micropython(root, firmware, tmp_path):
    (tmp_path / "junk.mo").write_bytes(b"not an ELF at all")
    result = rtdl(firmware, "run", "--root", tmp_path, "--runtime", "micropython", tmp_path / "junk.mo")
    assert result.returncode == 1 and result.stdout == b""
    lines = result.stderr.decode().splitlines()
    assert len(lines) == 1 and lines[0].startswith("rtdl run: error: "), lines


def test_msh_python_is_a_micropython_repl_on_the_live_board(root, firmware):
    session = ('python\n'
               'import sys, dlmodule, dlfcn\n'
               'sys.implementation.name\n'
               'm = dlmodule.exec("/bin/hello.mo")\n'
               'print(m.state, dlmodule.find("hello") is m)\n'
               'print(m.state, dlmodule.find("hello"))\n'
               'h = dlfcn.dlopen("lib.so")\n'
               'print(h.nref, h.name)\n'
               'for i in range(3):\n'
               '    print(i, end=" ")\n'
               '\n'
               '1/0\n'
               'exit()\n'
               'list_module\n'
               'python\n')
    result = rtdl(firmware, "shell", "--root", root, "--runtime", "micropython",
                  input=session.encode())
    assert result.returncode == 0 and result.stderr == b"", result.stderr.decode()
    out = result.stdout.decode()
    assert ">>> sys.implementation.name\n'micropython'\n" in out
    # exec returns at once; hello runs while the REPL waits for its next line
    assert ('>>> m = dlmodule.exec("/bin/hello.mo")\nHello, world\n'
            '>>> print(m.state, dlmodule.find("hello") is m)\n3 False\n') in out
    assert ">>> print(h.nref, h.name)\n1 lib\n" in out
    assert '...     print(i, end=" ")\n... \n0 1 2 >>> 1/0\n' in out
    assert ("Traceback (most recent call last):\n  File \"<stdin>\", line 1, in <module>\n"
            "ZeroDivisionError: divide by zero\n") in out
    # exit() leaves the REPL, msh shows the library still open; end of input leaves the
    # second REPL and then msh
    assert re.search(r">>> exit\(\)\nmsh />list_module\nmodule   ref      address \n"
                     r"-------- -------- ------------\nlib      1     0x[0-9a-f]{8}\n"
                     r"msh />python\nMicroPython [^\n]*\n>>> \nmsh />\n\Z", out), out
