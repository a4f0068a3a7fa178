"""msh `python` (both runtimes) at a pseudo-terminal: a module exec'ed from the REPL runs on
while the REPL sits at its prompt waiting for the user (not only in time.sleep_ms), its time
passing as the user's; a module that faults prints the same one-line diagnostic as under msh
and the REPL goes on without it; Tab completes in the REPL."""
import os
import sys

import pytest

import mpy_node
import pty_shell
from conftest import device_root
from pty_shell import type_line
from pty_shell import leave_repl as leave

pytest.importorskip("pexpect")

RUNTIMES = pty_shell.RUNTIMES


@pytest.fixture(scope="module")
def root(tmp_path_factory, build_module, firmware):
    mpy_node.node()
    return device_root(tmp_path_factory.mktemp("device"), build_module,
                       ("ticker", "fault_null", "hello"))


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_a_module_runs_while_the_repl_waits_at_its_prompt(root, runtime, tmp_path):
    child = pty_shell.start(root, tmp_path / "cache", runtime)
    type_line(child, "python")
    child.expect_exact(">>> ")
    type_line(child, 'm = dlmodule.exec("/bin/ticker.mo", "ticker 8")')
    child.expect_exact("tick 1\r\n")
    # nobody types: the ticks go on while the prompt is shown (their time is the user's, so
    # they do not all come at once before it), each erasing it and the prompt coming back
    child.expect_exact(">>> \r\x1b[Ktick 3\r\n>>> ")
    type_line(child, "print('alive', dlmodule.find('ticker') is m)")
    child.expect_exact("alive True")
    child.expect_exact("ticker: done")
    # the prompt comes back after the module's last line, and the module is gone
    child.expect_exact(">>> ")
    type_line(child, "print('gone', dlmodule.find('ticker'), m.ret_code)")
    child.expect_exact("gone None 0")
    child.expect_exact(">>> ")
    leave(child)


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_a_faulting_module_exec_ed_from_the_repl_is_reported_and_gone(root, runtime, firmware):
    import subprocess
    text = ('fault_null\npython\nm = dlmodule.exec("/bin/fault_null.mo")\n'
            'print("gone:", dlmodule.find(m.name), m.name)\nprint("the REPL goes on")\n')
    result = subprocess.run([sys.executable, "-m", "rtdl.cli", "shell", "--root", str(root),
                             "--runtime", runtime], input=text.encode(),
                            env=dict(os.environ, RTDL_FIRMWARE=firmware),
                            capture_output=True, timeout=180)
    assert result.returncode == 0 and result.stderr == b"", result.stderr.decode()
    out = result.stdout.decode()
    # msh's own report of the fault, then the REPL's for the same module: the same line
    msh_part, repl_part = out.split(">>> ", 1)
    lines = msh_part.split("\n")
    report = lines[lines.index("fault_null: writing to 0x00000000") + 1]
    assert report.startswith("fault_nu: ") and "0x00000000" in report, out
    assert ('m = dlmodule.exec("/bin/fault_null.mo")\nfault_null: writing to 0x00000000\n'
            + report + "\n>>> ") in repl_part, out
    assert "gone: None fault_nu\n" in repl_part, out
    assert "the REPL goes on\n" in repl_part, out


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_tab_completes_in_the_repl(root, runtime, tmp_path):
    child = pty_shell.start(root, tmp_path / "cache", runtime)
    type_line(child, "python")
    child.expect_exact(">>> ")
    type_line(child, "hello_path = '/bin/hello.mo'")
    child.expect_exact(">>> ")
    # a name of the REPL, then an attribute of the module behind it, then a name of its own
    # (typed as is, "dlmod.exe(hello_pa)" is a NameError: only the completions make it run)
    child.send("dlmod\t")
    child.expect_exact("ule")           # the common part of dlmodule and dlmodule.*
    child.send(".exe\t")
    child.expect_exact("c")
    child.send("(hello_pa\t")
    child.expect_exact("th")
    child.send(")\r")
    assert child.expect_exact(["Hello, world", "Error"]) == 0, child.before
    child.expect_exact(">>> ")
    # back in msh, Tab completes msh's words again, not the REPL's
    child.sendeof()
    child.expect_exact("msh />")
    if runtime == "cpython":     # msh's own completion lives in the CPython shell
        child.send("list_mod\t")
        child.expect_exact("ule")
        child.send("\r")
        child.expect_exact("module   ref")     # list_module's table
        child.expect_exact("msh />")
    pty_shell.end_shell(child)
