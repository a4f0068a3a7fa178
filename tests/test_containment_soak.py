"""Soak (issue 10, `make test-long` only): thousands of load/exec cycles in one process
leave host memory flat - the translated code of a freed module image is dropped at unload
(lifecycle.free_memory -> memory.invalidate -> unicorn's ctl_remove_cache). Cycles:
RTDL_SOAK_CYCLES (default 6000)."""
import os

import pytest

CYCLES = int(os.environ.get("RTDL_SOAK_CYCLES", "6000"))
pytestmark = pytest.mark.skipif(not os.environ.get("RTDL_LONG"),
                                reason="soak test: run by `make test-long`")


def rss_kib():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024


def test_host_memory_stays_flat_over_many_load_exec_cycles(board, build_module):
    path = build_module("hello.c")
    before = board.heap.snapshot()
    warm = CYCLES // 10
    for _ in range(warm):                        # allocator pools and caches settle
        assert board.exec(path).exit_code == 0
    start = rss_kib()
    for _ in range(CYCLES - warm):
        assert board.exec(path).exit_code == 0
    grown = rss_kib() - start
    # `make test-long` shows this line with PYTEST_ADDOPTS=-s
    print("soak: %d cycles, RSS %d KiB after %d warm-up cycles, %d KiB at the end (%+d KiB)"
          % (CYCLES, start, warm, start + grown, grown))
    assert board.heap.snapshot() == before
    # ~2 KB a cycle before the cache was flushed: 5,400 cycles would have grown ~10 MiB
    assert grown < 2048, "RSS grew by %d KiB over %d cycles" % (grown, CYCLES - warm)
