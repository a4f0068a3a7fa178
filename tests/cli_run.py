"""`rtdl run` as the user types it, in a process of its own: the tests that pin the one line a
module's fault ends in, and its exit code, under either runtime."""
import os
import subprocess
import sys


def rtdl_run(firmware, root, runtime, *args):
    """`rtdl run --root ROOT --runtime RUNTIME ARGS...` with firmware FIRMWARE: the
    CompletedProcess, its output as text."""
    return subprocess.run([sys.executable, "-m", "rtdl.cli", "run", "--root", str(root),
                           "--runtime", runtime] + [str(a) for a in args],
                          capture_output=True, text=True, timeout=180,
                          env=dict(os.environ, RTDL_FIRMWARE=firmware))
