"""The portable tests on real MicroPython 1.27 (WebAssembly, npm package pinned in
package-lock.json) under Node, importing the device side only as frozen .mpy bytecode.

Skipped when node_modules or node is missing, except on CI (CI=true), where it fails:
`make mpy-test` / `make test` install them."""
import os
import re
import subprocess
import time

import mpy_node
from mpy_node import DATA, ROOT, RUNNER
from rtdl import frozen


def test_portable_tests_on_micropython(tmp_path):
    node = mpy_node.node()
    out = str(tmp_path / "frozen")
    frozen.compile_frozen(out)
    cmd = [node, RUNNER, "--frozen", out]
    if os.path.isdir(DATA):
        cmd += ["--data", DATA]
    t0 = time.time()
    proc = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True, timeout=600)
    elapsed = time.time() - t0
    report = "%s\n%s\n(%.1f s)" % (proc.stdout, proc.stderr, elapsed)
    summary = re.findall(r"^(\d+) passed, (\d+) failed$", proc.stdout, re.M)
    assert summary, "no summary line:\n" + report
    passed, failed = (int(n) for n in summary[-1])
    assert failed == 0, report
    assert passed > 0, report
    assert proc.returncode == 0, report
    assert "from /lib/" in proc.stdout and ".mpy" in proc.stdout, report
