"""The firmware facts kept on disk (rtdl_board/firmware_cache.py) and the recorded start-up
(boot_image.py): what a cached or replayed boot gives is exactly what working it out gives."""
import os

import pytest

from rtdl_board import board as board_mod
from rtdl_board import firmware_cache

RAM = (0x20000000, 512 * 1024)


@pytest.fixture
def cache_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    return tmp_path


def _state(machine):
    heap = machine.heap
    return (bytes(machine.uc.mem_read(*RAM)), dict(heap.shadow), heap.used, heap.max_used,
            heap._lfree, machine.firmware_symbols, machine._functions,
            machine.kernel.firmware_data, machine.kernel.firmware_blocks)


def test_a_replayed_boot_is_the_booted_one(firmware, cache_home):
    first = board_mod.Board(firmware)
    assert first.recorded_boot is not None                 # ran for real, and recorded
    kinds = sorted(name.split("-")[0] for name in os.listdir(firmware_cache.directory()))
    assert kinds == ["board", "boot"]
    second = board_mod.Board(firmware)
    assert second.recorded_boot is None                    # replayed
    assert _state(second) == _state(first)


def test_a_replayed_board_runs_modules_as_a_booted_one(firmware, cache_home, build_module):
    from rtdl import Board
    hello = build_module("hello.c")
    outputs = []
    for _ in range(2):
        machine = Board(firmware)
        result = machine.exec(hello)
        outputs.append((result.exit_code, result.output, machine.heap.snapshot()))
    assert outputs[0] == outputs[1] and outputs[0][0] == 0


def test_a_damaged_or_foreign_cache_file_is_worked_out_again(cache_home):
    calls = []

    def compute():
        calls.append(1)
        return {"answer": 42}
    assert firmware_cache.cached("t", b"elf", compute) == {"answer": 42}
    (path,) = [os.path.join(firmware_cache.directory(), n)
               for n in os.listdir(firmware_cache.directory())]
    assert firmware_cache.cached("t", b"elf", compute) == {"answer": 42} and len(calls) == 1
    with open(path, "wb") as stream:
        stream.write(b"not marshal data")
    assert firmware_cache.cached("t", b"elf", compute) == {"answer": 42} and len(calls) == 2
    assert firmware_cache.cached("t", b"other elf", compute) == {"answer": 42}
    assert len(calls) == 3                                 # other bytes: another entry


def test_an_unwritable_cache_is_not_kept(tmp_path, monkeypatch):
    blocked = tmp_path / "file"
    blocked.write_text("a file where the cache folder would go")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    calls = []
    for _ in range(2):
        assert firmware_cache.cached("t", b"elf", lambda: calls.append(1) or 7) == 7
    assert len(calls) == 2
