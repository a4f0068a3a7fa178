"""The opt-in strict heap check (issue 10): Board(heap_check="strict") and `rtdl run
--heap-check=strict` find overflows past a block and writes after free that no heap header
shows - at the module's next heap call or at the latest when it ends - as a fault naming the
block, its size and where it was allocated; fresh memory is poisoned; a module that uses the
heap correctly runs through, and the heap is as before either way."""
import os
import subprocess
import sys

import pytest

import mpy_node

from rtdl.api import Board
from rtdl_device.rterror import RtdlError
from test_containment import contained, faulty  # noqa: F401  (the fixture)

STRICT_CASES = [
    # (case, what the fault says, whether it is found at a call or at the end)
    ("overflow", "rt_free: heap overflow: written 3 byte(s) past its end (0x01 at +26)"),
    ("overflow_at_end", "heap overflow: written 1 byte(s) past its end (0x01 at +24)"),
    ("underflow", "heap underflow: written 2 byte(s) before its start (0x01)"),
    ("use_after_free", "rt_free: use after free: the 24-byte block"),
    ("use_after_free_at_end", "use after free: the 24-byte block"),
    ("double_free", "rt_free: 0x"),
]


@pytest.fixture
def strict_board(firmware):
    return Board(firmware, heap_check="strict")


@pytest.mark.parametrize("case,what", STRICT_CASES, ids=[c[0] for c in STRICT_CASES])
def test_strict_mode_reports_the_block_its_size_and_allocation_site(
        strict_board, build_module, faulty, case, what):
    result = contained(strict_board, build_module, faulty("heap_strict"), case)
    message = str(result.fault)
    assert result.exit_code == 139, result
    assert message.startswith("heap_str") and what in message, message
    assert "allocated at heap_str" in message and "24-byte block 0x" in message, message
    if case == "double_free":
        assert "already free (double free" in message
    assert strict_board.kernel.heap_strict.quarantine == []


def test_the_same_misuse_passes_unnoticed_without_strict_mode(board, build_module, faulty):
    """What strict mode adds: these writes hit no header, so the normal check cannot see
    them (the heap is still as before afterwards)."""
    for case in ("overflow", "use_after_free"):
        result = contained(board, build_module, faulty("heap_strict"), case)
        assert (result.exit_code, result.fault) == (0, None), result


def test_a_correct_module_runs_through_with_fresh_memory_poisoned(strict_board, build_module,
                                                                  faulty):
    result = contained(strict_board, build_module, faulty("heap_strict"), "clean")
    assert (result.exit_code, result.fault) == (0, None), result
    assert result.output == ("fresh be calloc 00 usable 24\nrealloc kept "
                             "xxxxxxxxxxxxxxxxxxxxxxxx\nheap_strict: clean done\n")


def test_an_unknown_heap_check_is_one_clear_error(firmware):
    with pytest.raises(RtdlError, match="heap_check='loose': expected one of normal, strict"):
        Board(firmware, heap_check="loose")


def test_rtdl_run_heap_check_strict(tmp_path, faulty, firmware):
    module = str(tmp_path / "heap_strict.mo")
    with open(faulty("heap_strict"), "rb") as src, open(module, "wb") as dst:
        dst.write(src.read())
    result = subprocess.run([sys.executable, "-m", "rtdl.cli", "run", "--root", str(tmp_path),
                             "--heap-check=strict", module, "use_after_free"],
                            capture_output=True, text=True, timeout=120,
                            env=dict(os.environ, RTDL_FIRMWARE=firmware))
    assert result.returncode == 139, result
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and "use after free: the 24-byte block" in lines[0], result.stderr


def test_rtdl_run_heap_check_strict_is_the_same_under_the_micropython_runtime(
        tmp_path, faulty, firmware):
    # heapstrict is device side: under MicroPython it checks the same blocks, reports the
    # same line and exits the same way
    mpy_node.node()
    module = str(tmp_path / "heap_strict.mo")
    with open(faulty("heap_strict"), "rb") as src, open(module, "wb") as dst:
        dst.write(src.read())
    results = {}
    for runtime in ("cpython", "micropython"):
        for case in ("use_after_free", "clean"):
            results[runtime, case] = subprocess.run(
                [sys.executable, "-m", "rtdl.cli", "run", "--root", str(tmp_path),
                 "--runtime", runtime, "--heap-check=strict", module, case],
                capture_output=True, text=True, timeout=120,
                env=dict(os.environ, RTDL_FIRMWARE=firmware))
    fault = results["micropython", "use_after_free"]
    assert fault.returncode == 139, fault
    assert "use after free: the 24-byte block" in fault.stderr, fault.stderr
    clean = results["micropython", "clean"]
    assert clean.returncode == 0 and clean.stdout.startswith("fresh be calloc 00"), clean
    for case in ("use_after_free", "clean"):
        mpy, cpy = results["micropython", case], results["cpython", case]
        assert (mpy.returncode, mpy.stdout, mpy.stderr) == \
            (cpy.returncode, cpy.stdout, cpy.stderr)
