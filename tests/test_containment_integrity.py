"""What outlives a module cannot be damaged by it (issue 10): a program that writes through a
wild pointer into another thread's struct rt_thread, into the control block of a semaphore a
library made, or into that library's code ends as a fault naming what it damaged: a control
block is compared and put back when it ends (integrity.py), code faults at the store
(imageprot.py). The library and a normal module then
work on the same board; the heap walks clean and is back to its size."""
import os
import shutil
import subprocess
import sys

import pytest

from test_containment import faulty  # noqa: F401  (the fixture)


@pytest.fixture
def with_library(board, faulty):
    library = board.load(faulty("intlib", lib=True))
    return board, library


def _run(board, build_module, path, case, library):
    before = board.heap.snapshot()
    result = board.exec(path, case, timeout=5)
    board.heap.check()
    assert board.heap.snapshot() == before, result
    kernel = board.kernel
    assert kernel.modules == [library] and kernel.threads == []
    # the library and a normal module work as before
    assert board.call(library, "lib_add", 2, 3) == 5
    assert board.call(library, "lib_take") == 1
    after = board.exec(build_module("hello.c"))
    assert (after.exit_code, after.fault, after.output) == (0, None, "Hello, world\n")
    assert board.heap.snapshot() == before
    return result


def test_another_threads_control_block_is_put_back_and_the_writer_faults(
        with_library, build_module, faulty):
    board, library = with_library
    idle = board.kernel.system.idle
    struct_before = board.memory.read(idle.tcb, 172)
    result = _run(board, build_module, faulty("scribble"), "idle", library)
    assert result.exit_code == 139, result
    message = str(result.fault)
    assert message.startswith("scribble"), message
    assert "thread 'tidle0' (control block at 0x%08x)" % idle.tcb in message, message
    assert "entry (+0x1c) was 0x" in message and "found 0x00001234" in message, message
    assert "current_priority (+0x44) was 0x1f, found 0x03" in message, message
    assert "put it back" in message
    assert board.memory.read(idle.tcb, 172) == struct_before


def test_a_semaphore_the_writer_does_not_own_is_put_back(with_library, build_module, faulty):
    board, library = with_library
    sem = board.call(library, "lib_sem", signed=False)
    struct_before = board.memory.read(sem, 36)
    result = _run(board, build_module, faulty("scribble"), "sem", library)
    assert result.exit_code == 139, result
    message = str(result.fault)
    assert "semaphore 'intsem' (control block at 0x%08x)" % sem in message, message
    assert "parent.parent.name (+0x0) was b'intsem" in message, message
    assert "value (+0x20) was 0x0001, found 0x004d" in message, message
    assert board.memory.read(sem, 36) == struct_before


def test_a_loaded_librarys_code_cannot_be_written(with_library, build_module, faulty):
    # its code pages are read-only for every module (imageprot.py), also for one holding
    # it open: the store faults and nothing needs putting back
    board, library = with_library
    add = board.symbol(library, "lib_add") & ~1
    code_before = board.memory.read(add, 4)
    result = _run(board, build_module, faulty("scribble"), "code", library)
    assert result.exit_code == 139, result
    message = str(result.fault)
    assert "mem manage fault (DACCVIOL" in message, message
    assert "write of 2 bytes at 0x%08x (image of module 'intlib': .text+0x" % add in message, \
        message
    assert board.memory.read(add, 4) == code_before


def test_damage_to_a_loaded_librarys_code_is_put_back(with_library, build_module, faulty):
    # what gets past the page protection (here the host's own write, which no page stops) is
    # found when the module that ran alone ends, put back and reported as its fault
    board, library = with_library
    add = board.symbol(library, "lib_add") & ~1
    code_before = board.memory.read(add, 4)
    board.memory.write(add, b"\x00\xde\x00\xde")
    result = _run(board, build_module, faulty("scribble"), "none", library)
    assert result.exit_code == 139, result
    message = str(result.fault)
    assert "module 'intlib' .text" in message and "at 0x%08x (4 bytes)" % add in message, \
        message
    assert "found 00de00de" in message, message
    assert board.memory.read(add, 4) == code_before


def test_a_module_that_writes_only_its_own_memory_is_not_reported(with_library, build_module,
                                                                  faulty):
    board, library = with_library
    result = _run(board, build_module, faulty("scribble"), "none", library)
    assert (result.exit_code, result.fault) == (0, None), result


@pytest.mark.parametrize("runtime", ["cpython", "micropython"])
def test_rtdl_run_reports_the_damage_in_one_line(tmp_path, faulty, firmware, runtime):
    shutil.copy(faulty("scribble"), str(tmp_path / "scribble.mo"))
    env = dict(os.environ, RTDL_FIRMWARE=firmware)
    result = subprocess.run([sys.executable, "-m", "rtdl.cli", "run", "--runtime", runtime,
                             "--root", str(tmp_path), str(tmp_path / "scribble.mo"), "idle"],
                            capture_output=True, text=True, timeout=300, env=env)
    assert result.returncode == 139, result
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result
    assert "thread 'tidle0'" in lines[0] and "entry (+0x1c)" in lines[0], lines


def test_a_scribbled_control_block_is_named_field_by_field_without_overlaps():
    # a whole struct rt_device overwritten: each byte in one entry - the innermost named
    # field, else the run up to the next one (padding: "+0x19", named by its offset)
    from rtdl_device import integrity
    fields = integrity._fields("rt_device", list(range(0x40)))
    covered = []
    for name, start, size in fields:
        covered.extend(range(start, start + size))
    assert covered == sorted(set(covered)) and covered[0] == 0, fields
    names = [name for name, _, _ in fields]
    assert "parent" not in names and "parent.name" in names and "open_flag" in names, names
    assert ("+0x19", 0x19, 1) in fields and ("flag", 0x1a, 2) in fields, fields
