"""msh `python` (both runtimes) at a pseudo-terminal: a module exec'ed from the REPL runs on
while the user types a line, key by key (the host's line editor, rtdl/line_editor.py, takes
the keys between the module's time slices): its lines come above the partial line, which is
drawn again below them, and the REPL then evaluates exactly what was typed. Editing keys
(Left, Backspace) and Up (the session's history) work in that editor."""
import time

import pytest

import mpy_node
import pty_shell
from conftest import device_root
from pty_shell import type_line
from pty_shell import leave_repl as leave

pytest.importorskip("pexpect")

RUNTIMES = pty_shell.RUNTIMES
TICK_PERIOD = 0.1  # ticker.c prints every 100 ms of the board's time, which is the user's


@pytest.fixture(scope="module")
def root(tmp_path_factory, build_module, firmware):
    mpy_node.node()
    return device_root(tmp_path_factory.mktemp("device"), build_module, ("ticker",))


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_a_module_runs_while_a_line_is_typed(root, runtime, tmp_path):
    child = pty_shell.start(root, tmp_path / "cache", runtime)
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
    child = pty_shell.start(root, tmp_path / "cache", runtime)
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
