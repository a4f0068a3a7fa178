"""The MicroPython REPL of msh `python` (both runtimes) at a pseudo-terminal, as a person uses it:
Ctrl-C stops a line's own pure-Python loop (KeyboardInterrupt raised inside MicroPython by the
runner's interrupt gate, not only in sleeps or waits) and the REPL goes on with its names; a
loop of dlmodule calls stops too; and no node runner outlives the shell."""
import os
import subprocess
import time

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
    return device_root(tmp_path_factory.mktemp("device"), build_module, ("hello",))


def runners_of(pid):
    """The node runner processes started (directly or not) by process `pid`."""
    out = subprocess.run(["ps", "-ww", "-eo", "pid=,ppid=,args="], capture_output=True,
                         text=True).stdout         # -ww: whole command lines, however long
    children, args = {}, {}
    for line in out.splitlines():
        fields = line.split(None, 2)
        if len(fields) < 3:
            continue
        children.setdefault(int(fields[1]), []).append(int(fields[0]))
        args[int(fields[0])] = fields[2]
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            todo.append(child)
            if "runner.mjs" in args[child]:
                found.append(child)
    return found


def gone(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    # a zombie is gone too (its parent has not reaped it yet)
    with open("/proc/%d/stat" % pid) as f:
        return f.read().split(") ")[1].startswith("Z")


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_ctrl_c_stops_a_pure_python_loop_in_the_repl(root, runtime, tmp_path):
    child = pty_shell.start(root, tmp_path / "cache", runtime)
    type_line(child, "python")
    child.expect_exact(">>> ")
    type_line(child, "n = 0")
    child.expect_exact(">>> ")
    type_line(child, "while True: n += 1")
    time.sleep(0.5)
    child.sendintr()
    child.expect_exact("KeyboardInterrupt")
    child.expect_exact(">>> ")
    # the loop really ran, and the REPL's names and the board are still there
    type_line(child, "print('counted', n > 0, dlmodule.find('hello'))")
    child.expect_exact("counted True None")
    child.expect_exact(">>> ")
    # a loop of board calls: the key press is taken when a call returns
    type_line(child, "while True: dlmodule.find('none')")
    time.sleep(0.5)
    child.sendintr()
    child.expect_exact("KeyboardInterrupt")
    child.expect_exact(">>> ")
    type_line(child, 'm = dlmodule.exec("/bin/hello.mo")')
    child.expect_exact("Hello, world")
    child.expect_exact(">>> ")
    # one key press, one KeyboardInterrupt: the next line runs untouched
    type_line(child, "print('after', 6 * 7)")
    child.expect_exact("after 42")
    child.expect_exact(">>> ")
    pty_shell.leave_repl(child)


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_no_runner_outlives_a_killed_shell(root, runtime, tmp_path):
    # the shell is killed while the REPL spins in Python: its runner must end by itself
    child = pty_shell.start(root, tmp_path / "cache", runtime)
    type_line(child, "python")
    child.expect_exact(">>> ")
    type_line(child, "while True: pass")
    time.sleep(0.3)
    runners = runners_of(child.pid)
    assert runners, "no runner found under the shell"
    child.kill(9)
    child.close(force=True)
    deadline = time.monotonic() + pty_shell.STEP
    while not all(gone(pid) for pid in runners) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert all(gone(pid) for pid in runners), runners
