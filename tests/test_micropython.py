"""The portable tests on real MicroPython 1.27 (WebAssembly, npm package pinned in
package-lock.json) under Node, importing the device side only as frozen .mpy bytecode.

Skipped when node_modules or node is missing, except on CI (CI=true), where it fails:
`make mpy-test` / `make test` install them."""
import os
import re
import shutil
import subprocess
import time

import pytest

from rtdl import frozen

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RUNNER = os.path.join(ROOT, "tests", "mpy", "run_portable.mjs")
PACKAGE = os.path.join(ROOT, "node_modules", "@micropython", "micropython-webassembly-pyscript")
DATA = os.environ.get("RTDL_PORTABLE_DATA") or os.path.join(ROOT, "build", "portable-data")
ON_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _require(ok, why):
    if ok:
        return
    if ON_CI:
        pytest.fail("%s (CI=true: MicroPython tests must run; `make mpy-test` installs it)" % why)
    pytest.skip(why)


def test_portable_tests_on_micropython(tmp_path):
    node = shutil.which("node")
    _require(node is not None, "node not found")
    _require(os.path.isdir(PACKAGE), "node_modules missing: run `npm ci` (or `make mpy-test`)")
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
