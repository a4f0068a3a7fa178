"""Where the real MicroPython (WebAssembly under Node) lives for the tests that run it, and the
rule for when it is missing: skip on a developer's machine, fail on CI (CI=true), where
`make test` must have installed it."""
import os
import shutil

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RUNNER = os.path.join(ROOT, "tests", "mpy", "run_portable.mjs")
PACKAGE = os.path.join(ROOT, "node_modules", "@micropython", "micropython-webassembly-pyscript")
DATA = os.environ.get("RTDL_PORTABLE_DATA") or os.path.join(ROOT, "build", "portable-data")
ON_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def require(ok, why):
    if ok:
        return
    if ON_CI:
        pytest.fail("%s (CI=true: MicroPython tests must run; `make mpy-test` installs it)" % why)
    pytest.skip(why)


def node():
    """The node executable with the MicroPython package installed, else skip/fail."""
    path = shutil.which("node")
    require(path is not None, "node not found")
    require(os.path.isdir(PACKAGE), "node_modules missing: run `npm ci` (or `make mpy-test`)")
    return path
