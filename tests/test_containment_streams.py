"""Streams a module leaves behind cost the heap nothing once the last module has gone
(issue 10, item 2: the used bytes are what they were before): the FILE blocks fopen adds
past the firmware's own FILEs, the buffers libc gave the streams, a grown ungetc buffer and
the Bigints dtoa allocated on the system reent are libc's blocks, which nothing points at
once libc's state is put back (port/modules/rtdl_device/libcfiles.py). Files left open are
flushed at the module's exit, as before."""
import shutil

import pytest

from rtdl import Board
from rtdl.sandbox import SandboxFiles

from test_containment import faulty  # noqa: F401  (the fixture)

CTOR = "files_left: ctor 2.500\n"


@pytest.fixture
def sandbox(tmp_path, faulty):
    root = tmp_path / "root"
    root.mkdir()
    shutil.copy(faulty("files_left"), str(root / "files_left.mo"))
    return root


def _board(firmware, root, build_module):
    board = Board(firmware, files=SandboxFiles(str(root)))
    shutil.copy(build_module("hello.c"), str(root / "hello.mo"))
    first = board.exec("/hello.mo")          # anything a first run keeps is kept by now
    assert first.output == "Hello, world\n"
    return board


@pytest.mark.parametrize("case", ["open", "closed"])
def test_files_a_module_opened_cost_the_heap_nothing_after_it(firmware, sandbox,
                                                              build_module, case):
    board = _board(firmware, sandbox, build_module)
    before = board.heap.snapshot()
    for _ in range(3):                       # no run keeps more than the one before
        result = board.exec("/files_left.mo", case)
        assert (result.exit_code, result.fault) == (0, None), result
        assert result.output == CTOR + "files_left: %s 12\n" % case
        board.heap.check()
        assert board.heap.snapshot() == before
    # what went into the files left open reached them: dlmodule_exit flushes every stream
    for i in range(12):
        assert (sandbox / ("left%d.txt" % i)).read_text() == "line %d of %s\n" % (i, case)
    assert board.exec("/hello.mo").output == "Hello, world\n"


def test_a_grown_ungetc_buffer_costs_the_heap_nothing_after_it(firmware, sandbox,
                                                             build_module):
    (sandbox / "left0.txt").write_text("xyz\n")
    board = _board(firmware, sandbox, build_module)
    before = board.heap.snapshot()
    result = board.exec("/files_left.mo", "ungetc")
    assert (result.exit_code, result.fault) == (0, None), result
    assert result.output == CTOR + "files_left: read x\nfiles_left: ungetc h\n"
    assert board.heap.snapshot() == before


def test_files_of_a_module_that_faulted_cost_the_heap_nothing_after_it(firmware, sandbox,
                                                                     build_module):
    board = _board(firmware, sandbox, build_module)
    before = board.heap.snapshot()
    result = board.exec("/files_left.mo", "fault")
    assert result.exit_code == 139, result
    assert "write of 4 bytes at 0x00000100" in str(result.fault)
    assert board.heap.snapshot() == before
    again = board.exec("/files_left.mo", "closed")     # every FILE is free again
    assert (again.exit_code, again.output) == (0, CTOR + "files_left: closed 12\n"), again
    assert board.heap.snapshot() == before
