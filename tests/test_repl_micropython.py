"""msh `python` is a MicroPython REPL under both runtimes, driven as a person would at a
terminal (a pseudo-terminal through pexpect) and with piped input: dlmodule/dlfcn act on the
shell's live board, a module exec'ed from the REPL runs while the REPL sleeps or waits for
its next line, dlmodule.find shows it gone once it ended, Ctrl-C raises KeyboardInterrupt in
the REPL (not the end of the shell) and Ctrl-D returns to msh."""
import os
import re
import subprocess
import sys

import pytest

import mpy_node
import pty_shell
from conftest import device_root
from pty_shell import type_line

pytest.importorskip("pexpect")

RUNTIMES = pty_shell.RUNTIMES


@pytest.fixture(scope="module")
def root(tmp_path_factory, build_module, firmware):
    mpy_node.node()
    return device_root(tmp_path_factory.mktemp("device"), build_module, ("hello", "spin", "thr_delay"))


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_repl_at_a_terminal(root, runtime, tmp_path):
    child = pty_shell.start(root, tmp_path / "cache", runtime)
    type_line(child, "python")
    child.expect_exact("dlmodule, dlfcn imported")
    child.expect_exact(">>> ")
    type_line(child, "import sys, time; print(sys.implementation.name + '!')")
    child.expect_exact("micropython!")
    child.expect_exact(">>> ")
    # hello runs while the REPL sleeps: its line comes before the print after the sleep
    type_line(child, 'm = dlmodule.exec("/bin/hello.mo"); time.sleep_ms(300); '
                     'print("gone:", dlmodule.find(m.name), m.name)')
    child.expect("Hello, world\r\ngone: None hello\r\n")
    child.expect_exact(">>> ")
    # Ctrl-C at the REPL's prompt: KeyboardInterrupt there, the REPL and its names live on
    child.sendintr()
    child.expect_exact("KeyboardInterrupt")
    child.expect_exact(">>> ")
    type_line(child, "print('still', m.name)")
    child.expect_exact("still hello")
    child.expect_exact(">>> ")
    # Ctrl-C in a long sleep, while a module spins on the board: KeyboardInterrupt in the
    # REPL, the module goes on running as another thread would
    type_line(child, 's = dlmodule.exec("/bin/spin.mo"); time.sleep_ms(600000)')
    child.expect_exact("spin: start")
    child.sendintr()
    child.expect_exact("KeyboardInterrupt")
    child.expect_exact(">>> ")
    type_line(child, "print('alive', dlmodule.find('spin') is s)")
    child.expect_exact("alive True")
    child.expect_exact(">>> ")
    # Ctrl-D leaves the REPL for msh, which still runs and sees the spinning module
    child.sendeof()
    child.expect_exact("msh />")
    type_line(child, "list_module")
    child.expect(r"spin +\d+ +0x[0-9a-f]{8}")
    child.expect_exact("msh />")
    pty_shell.end_shell(child)


def session(root, runtime, text, firmware):
    env = dict(os.environ, RTDL_FIRMWARE=firmware)
    result = subprocess.run([sys.executable, "-m", "rtdl.cli", "shell", "--root", str(root),
                             "--runtime", runtime], input=text.encode(), env=env,
                            capture_output=True, timeout=180)
    assert result.returncode == 0 and result.stderr == b"", result.stderr.decode()
    return result.stdout.decode()


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_a_module_runs_while_the_repl_sleeps(root, runtime, firmware):
    out = session(root, runtime,
                  'python\nimport time\n'
                  'm = dlmodule.exec("/bin/thr_delay.mo"); print("started", m.state)\n'
                  'n = m.name; time.sleep_ms(500); print("after sleep:", dlmodule.find(n))\n',
                  firmware)
    # exec returns at once (the module has not run yet); during the sleep it runs to its end
    started = out.index("started 1\n")
    done = out.index("main: tick advanced by ")
    after = out.index("after sleep: None\n")
    assert started < done < after, out
    assert out.endswith(">>> \nmsh />\n"), out


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_a_module_runs_while_the_repl_waits_for_input(root, runtime, firmware):
    out = session(root, runtime,
                  'python\nh = dlfcn.dlopen("lib.so")\n'
                  'dlmodule.find("lib") is h, h.nref\n'
                  'm = dlmodule.exec("/bin/hello.mo")\n'
                  'print(dlmodule.find("hello"), m.ret_code)\n', firmware)
    assert ">>> dlmodule.find(\"lib\") is h, h.nref\n(True, 1)\n" in out, out
    assert ('>>> m = dlmodule.exec("/bin/hello.mo")\nHello, world\n'
            '>>> print(dlmodule.find("hello"), m.ret_code)\nNone 0\n') in out, out


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_errors_of_the_board_are_micropython_exceptions(root, runtime, firmware):
    out = session(root, runtime,
                  'python\ntry:\n    dlfcn.dlopen("/no/such.so")\nexcept Exception as e:\n'
                  '    print(type(e).__name__, "no/such.so" in str(e))\n\n'
                  'dlmodule.no_such_name\n', firmware)
    assert "RtdlError True\n" in out or "HostOSError True\n" in out, out
    assert re.search(r"AttributeError: .*no_such_name", out), out


def test_ctrl_c_stops_an_msh_module_on_micropython_not_the_shell(root, tmp_path):
    # MicroPython runs in a session of its own: the key press reaches rtdl, which tells the
    # device side's msh at the module's next time slice
    child = pty_shell.start(root, tmp_path / "cache", "micropython")
    type_line(child, "spin")
    child.expect_exact("spin: start")
    child.sendintr()
    child.expect_exact("spin: stopped by Ctrl-C (thread 'spin' killed)")
    child.expect_exact("msh />")
    type_line(child, "hello")
    child.expect_exact("Hello, world")
    child.expect_exact("msh />")
    pty_shell.end_shell(child)
