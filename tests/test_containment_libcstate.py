"""libc's state cannot be damaged by a module (issue 10, item 4): each module thread runs
libc on its own newlib reent (libcstate.py: errno, strtok, rand, dtoa's buffers), which the
kernel points _impure_ptr at on every switch, and newlib's global reent - with the template
threads' reents are made from - is on the firmware's read-only pages, so a module's wild
store there faults at the store, naming it. Threads of two programs keep their own state
across their turns, the next module prints as after boot and the heap is back to its
size."""
import os
import re
import shutil
import subprocess
import sys

import pytest

from test_containment import contained, faulty  # noqa: F401  (the fixture)
from test_containment_fwprot import LIBC_STATE_OUTPUT, fault_line

ISO_A = "a: a1 10.25 a2 11.25 a3 12.25 rand ok errno ok\n"
ISO_B = "b: b1 20.25 b2 21.25 b3 22.25 rand ok errno ok\n"
STORES = [
    # (argv[1], object, offset, where the store is)
    ("word", "impure_data", 0, r"main\+0x[0-9a-f]+"),             # its errno
    ("word", "impure_data", 8, r"main\+0x[0-9a-f]+"),             # its _stdout
    ("memset", "impure_data", 0x2e0, r"firmware memset\+0x[0-9a-f]+"),   # fopen's list head
    ("word", "rtdl_reent_template", 4, r"main\+0x[0-9a-f]+"),
]


def test_the_global_reent_is_read_only_and_libc_runs_on_the_system_reent(board):
    sym = board.firmware_symbols
    start, end = board.firmware_variables
    for name in ("impure_data", "rtdl_reent_template"):
        assert start <= sym[name] < end, name
    assert sym["rtdl_system_reent"] >= end            # libc's writable state, behind them
    assert board.memory.read32(sym["_impure_ptr"]) == sym["rtdl_system_reent"]
    # the streams are one set, on libc's pages (not in the global reent, nor the heap)
    stdout = board.memory.read32(sym["impure_data"] + 8)
    assert board.memory.read32(sym["rtdl_system_reent"] + 8) == stdout
    libc = board.libc_guard.region
    assert end <= libc[0] and libc[0] <= sym["rtdl_system_reent"] < libc[1]
    assert sym["rtdl_stdio_files"] <= stdout < libc[1]
    assert not any(addr <= stdout < addr + size for addr, size, _ in board.kernel.firmware_blocks)


@pytest.mark.parametrize("case,name,offset,where", STORES,
                         ids=["%s-%s+%d" % (s[0], s[1], s[2]) for s in STORES])
def test_a_wild_store_into_the_global_reent_faults_at_the_store(
        board, build_module, faulty, case, name, offset, where):
    address = board.firmware_symbols[name] + offset
    before = board.memory.read(address, 16)
    result = contained(board, build_module, faulty("libc_write"), case, "%x" % address)
    assert result.exit_code == 139, result
    assert result.output == "libc_write: %s\n" % case        # nothing after the store ran
    size = 16 if case == "memset" else 4
    # (the module's name is its file's stem cut to 8 characters, as RT-Thread's)
    line = fault_line("libc_wri", where, size, address, "firmware data: %s" % name,
                      "on thread 'libc_wri'")
    if case == "memset":      # memset may store the 16 bytes in wider or narrower pieces
        line = re.compile(line.pattern.replace("write of 16 bytes", r"write of \d+ bytes"))
    assert line.match(str(result.fault)), result.fault
    assert board.memory.read(address, 16) == before
    after = board.exec(build_module("libc_state.c"))
    assert (after.exit_code, after.fault, after.output) == (0, None, LIBC_STATE_OUTPUT)


def test_a_module_cannot_free_its_threads_reent(board, build_module, faulty):
    result = contained(board, build_module, faulty("libc_write"), "free")
    assert result.exit_code == 139, result
    assert re.match(r"libc_wri: rt_free: 0x[0-9a-f]{8} is a block of thread 'libc_wri', "
                    r"which a module may not free$", str(result.fault)), result.fault


def test_threads_of_two_programs_keep_their_own_strtok_rand_errno(board, build_module,
                                                                 tmp_path):
    other = str(tmp_path / "libc_is2.mo")
    shutil.copy(build_module("libc_iso.c"), other)
    result = contained(board, build_module, build_module("libc_iso.c"), "a", other)
    assert (result.exit_code, result.fault) == (0, None), result
    assert sorted(result.output.splitlines(True)) == [ISO_A, ISO_B], result.output


def test_a_thread_runs_on_its_own_reent_and_libc_is_back_on_the_systems_after(board,
                                                                             build_module):
    sym = board.firmware_symbols
    kernel = board.kernel
    seen = []
    switch = kernel.libc.enter

    def enter(thread):
        reent = switch(thread)
        seen.append((thread.name, thread.module is not None, reent))
        return reent
    kernel.libc.enter = enter
    try:
        result = board.exec(build_module("hello.c"))
    finally:
        del kernel.libc.enter
    assert result.output == "Hello, world\n"
    own = [reent for name, module, reent in seen if module]
    assert own and sym["rtdl_system_reent"] not in own and sym["impure_data"] not in own
    assert board.memory.read32(sym["_impure_ptr"]) == sym["rtdl_system_reent"]


def _run(firmware, root, runtime, *args):
    return subprocess.run([sys.executable, "-m", "rtdl.cli", "run", "--root", str(root),
                           "--runtime", runtime] + [str(a) for a in args],
                          capture_output=True, text=True, timeout=180,
                          env=dict(os.environ, RTDL_FIRMWARE=firmware))


@pytest.mark.parametrize("runtime", ["cpython", "micropython"])
def test_rtdl_run_names_the_global_reent_and_keeps_threads_apart(
        tmp_path, board, build_module, faulty, firmware, runtime):
    if runtime == "micropython":
        import mpy_node
        mpy_node.node()
    shutil.copy(faulty("libc_write"), str(tmp_path / "libc_write.mo"))
    address = board.firmware_symbols["impure_data"] + 8
    result = _run(firmware, tmp_path, runtime, tmp_path / "libc_write.mo", "word",
                  "%x" % address)
    assert result.returncode == 139, result
    assert result.stdout == "libc_write: word\n"
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    assert "write of 4 bytes at 0x%08x (firmware data: impure_data); pc=" % address \
        in lines[0], lines[0]
    shutil.copy(build_module("libc_iso.c"), str(tmp_path / "libc_iso.mo"))
    shutil.copy(build_module("libc_iso.c"), str(tmp_path / "libc_is2.mo"))
    result = _run(firmware, tmp_path, runtime, tmp_path / "libc_iso.mo", "a", "/libc_is2.mo")
    assert result.returncode == 0, result
    assert sorted(result.stdout.splitlines(True)) == [ISO_A, ISO_B], result.stdout


def test_flushing_every_stream_with_a_read_stream_open_needs_no_global_store(
        tmp_path, firmware, build_module):
    from rtdl import Board
    from rtdl.sandbox import SandboxFiles
    (tmp_path / "in.txt").write_text("xyz\n")
    shutil.copy(build_module("libc_flush.c"), str(tmp_path / "libc_flush.mo"))
    board = Board(firmware, files=SandboxFiles(str(tmp_path)))
    result = board.exec("/libc_flush.mo", "/in.txt")
    # (the unclosed FILE's buffer stays libc's, as on RT-Thread: docs/ARCHITECTURE.md)
    assert (result.exit_code, result.fault) == (0, None), result
    assert result.output == "first x\nflushed, next y\n"
