"""`rtdl shell` at a pseudo-terminal, driven through pexpect as a person would type: what the
pty tests share. pexpect is imported when a session starts, so a suite that only partly needs
it is skipped only there."""
import os
import sys

import pytest

STEP = 30          # seconds any one expected output may take (the machine is shared)
RUNTIMES = ("cpython", "micropython")
PROMPT = "msh />"


def start(root, cache, runtime=None, columns=200, timeout=STEP, **env):
    """A shell on `root` (its history and caches under `cache`), at its first prompt."""
    pexpect = pytest.importorskip("pexpect")
    env = dict(os.environ, XDG_CACHE_HOME=str(cache), TERM="xterm", **env)
    argv = ["-m", "rtdl.cli", "shell", "--root", str(root)]
    if runtime is not None:
        argv += ["--runtime", runtime]
    child = pexpect.spawn(sys.executable, argv, env=env, timeout=timeout, encoding="utf-8",
                          dimensions=(24, columns))
    child.expect_exact(PROMPT)
    return child


def type_line(child, text):
    """Type `text`, see it echoed, press Enter."""
    child.send(text)
    child.expect_exact(text)
    child.send("\r")


def end_shell(child):
    """Ctrl-D at an empty prompt ends the shell with status 0."""
    pexpect = pytest.importorskip("pexpect")
    child.sendeof()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def leave_repl(child):
    """Ctrl-D ends the REPL (back at msh), a second one the shell."""
    child.sendeof()
    child.expect_exact(PROMPT)
    end_shell(child)
