"""Budgets (issue 10): a load's constructors (Board.load(timeout=)), a library a module
dlopens whose constructor never returns, and services called back to back over the largest
ranges the heap allows are all bounded by the timeout, through the API and `rtdl run
--timeout 1` (exit 124). Each ends long before the kernel's own 10 s limit for a call; the
bounds below are that limit's guard against a budget that is ignored, not performance
figures. Afterwards nothing of the module is left."""
import os
import shutil
import subprocess
import sys
import time

import pytest

from rtdl_device.rterror import ModuleFault
from test_containment import SVC_DEFINES, contained, faulty  # noqa: F401  (the fixture)

KERNEL_LIMIT_S = 10          # Kernel.call_timeout_us: what an ignored budget would take


def test_board_load_is_bounded_by_its_timeout(board, build_module, faulty):
    before = board.heap.snapshot()
    started = time.monotonic()
    with pytest.raises(ModuleFault) as caught:
        board.load(faulty("ctor_loop", lib=True), timeout=0.5)
    assert time.monotonic() - started < KERNEL_LIMIT_S / 2
    assert caught.value.kind == "timeout" and "ctor_loo" in str(caught.value)
    assert board.heap.snapshot() == before and board.kernel.modules == []
    assert board.kernel.call_timeout_us == KERNEL_LIMIT_S * 1000000     # put back
    contained(board, build_module, build_module("hello.c"))


def test_a_dlopened_constructor_that_never_returns_is_bounded(board, build_module, faulty):
    result = contained(board, build_module, faulty("dl_loop"),
                       faulty("ctor_loop", lib=True), timeout=1)
    assert result.exit_code == 124 and result.fault.kind == "timeout", result
    assert "dl_loop" in str(result.fault) and "dlopen returned" not in result.output


@pytest.mark.parametrize("case", ["pool", "queue", "calloc", "walk"])
def test_services_over_huge_ranges_back_to_back_end_on_time(board, build_module, faulty,
                                                            case):
    started = time.monotonic()
    result = contained(board, build_module, faulty("huge", SVC_DEFINES), case, timeout=1)
    assert time.monotonic() - started < KERNEL_LIMIT_S / 2
    assert result.exit_code == 124 and result.fault.kind == "timeout", result


def test_rtdl_run_timeout_bounds_dlopen_constructors_and_huge_services(tmp_path, faulty,
                                                                       firmware):
    shutil.copy(faulty("dl_loop"), str(tmp_path / "dl_loop.mo"))
    shutil.copy(faulty("ctor_loop", lib=True), str(tmp_path / "ctor_loop.so"))
    shutil.copy(faulty("huge", SVC_DEFINES), str(tmp_path / "huge.mo"))
    env = dict(os.environ, RTDL_FIRMWARE=firmware)
    for args in ([str(tmp_path / "dl_loop.mo"), "/ctor_loop.so"],
                 [str(tmp_path / "huge.mo"), "queue"]):
        result = subprocess.run([sys.executable, "-m", "rtdl.cli", "run", "--root",
                                 str(tmp_path), "--timeout", "1"] + args,
                                capture_output=True, text=True, env=env,
                                timeout=KERNEL_LIMIT_S - 2)
        assert result.returncode == 124, result
        assert "Traceback" not in result.stderr and len(result.stderr.splitlines()) == 1
