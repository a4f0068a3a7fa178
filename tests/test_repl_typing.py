"""msh `python` (both runtimes) at a pseudo-terminal: a module exec'ed from the REPL runs on
while the user types a line, key by key (the host's line editor, rtdl/line_editor.py, takes
the keys between the module's time slices): its lines come above the partial line, which is
drawn again below them, and the REPL then evaluates exactly what was typed. Editing keys
(Left, Backspace) and Up (the session's history) work in that editor."""
import os
import sys
import time

import pytest

import mpy_node
from conftest import device_root

pexpect = pytest.importorskip("pexpect")

STEP = 30          # seconds any one expected output may take (the machine is shared)
RUNTIMES = ("cpython", "micropython")
TICK_PERIOD = 0.1  # ticker.c prints every 100 ms of the board's time, which is the user's


@pytest.fixture(scope="module")
def root(tmp_path_factory, build_module, firmware):
    mpy_node.node()
    return device_root(tmp_path_factory.mktemp("device"), build_module, ("ticker",))


def start(root, runtime, tmp_path):
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "cache"), TERM="xterm")
    child = pexpect.spawn(sys.executable, ["-m", "rtdl.cli", "shell", "--root", str(root),
                                           "--runtime", runtime],
                          env=env, timeout=STEP, encoding="utf-8", dimensions=(24, 200))
    child.expect_exact("msh />")
    return child


def type_line(child, text):
    child.send(text)
    child.expect_exact(text)
    child.send("\r")


def leave(child):
    child.sendeof()
    child.expect_exact("msh />")
    child.sendeof()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_a_module_runs_while_a_line_is_typed(root, runtime, tmp_path):
    child = start(root, runtime, tmp_path)
    type_line(child, "python")
    child.expect_exact(">>> ")
    type_line(child, 'm = dlmodule.exec("/bin/ticker.mo", "ticker 1000")')
    child.expect_exact("tick 1\r\n")
    # the first key of the line: from now on the line is pending
    child.send("1")
    child.expect_exact(">>> 1")
    for key in "+1":
        time.sleep(3 * TICK_PERIOD)
        child.send(key)
    # a tick printed while the partial line was pending: it erased the line, and the line
    # came back below it as far as it was typed (nothing of it was lost or evaluated)
    child.expect(r">>> 1\r\x1b\[Ktick \d+\r\n>>> 1")
    child.expect_exact("+1")
    time.sleep(3 * TICK_PERIOD)
    child.send("\r")
    # the REPL evaluated exactly what was typed
    child.expect(r"\r\n(?:tick \d+\r\n)*2\r\n")
    child.expect_exact(">>> ")
    type_line(child, "print('alive', dlmodule.find('ticker') is m)")
    child.expect_exact("alive True")
    child.expect_exact(">>> ")
    leave(child)


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_editing_keys_and_history_in_the_repl_s_editor(root, runtime, tmp_path):
    child = start(root, runtime, tmp_path)
    type_line(child, "python")
    child.expect_exact(">>> ")
    type_line(child, "6 * 7")
    child.expect_exact("42\r\n")
    child.expect_exact(">>> ")
    # Up recalls the line; Left, a 9 before the 7, Right past the 7 and Backspace: "6 * 9"
    child.send("\x1b[A")
    child.expect_exact("6 * 7")
    child.send("\x1b[D")
    child.send("9\x1b[C\x7f")
    child.send("\r")
    child.expect_exact("54\r\n")
    child.expect_exact(">>> ")
    # a compound statement: its continuation lines go through the editor too
    child.send("for i in range(2):\r")
    child.expect_exact("... ")
    child.send("    print('row', i)\r")
    child.expect_exact("... ")
    child.send("\r")
    child.expect_exact("row 0\r\nrow 1\r\n")
    child.expect_exact(">>> ")
    leave(child)
