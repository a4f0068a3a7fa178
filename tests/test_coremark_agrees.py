"""CoreMark (rtthread-apps' port, benchmarks/coremark/, unchanged) computes on the board the
checksums the same build computes on a bare unicorn (benchmarks/bare_run.py): a guard against
anything of the board's - page protection, libc's guard, the stack walk - changing what a
module computes. `make bench` runs 100 iterations and times them; this runs 30 and does not."""
import importlib.util
import os

import pytest

from rtdl import Board
from rtdl.build import build_module
from rtdl_device import dlmodule

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FOLDER = os.path.join(ROOT, "benchmarks", "coremark")
SOURCES = ("core_list_join.c", "core_main.c", "core_matrix.c", "core_portme.c", "core_state.c",
           "core_util.c", "main.c")
ITERATIONS = 30


@pytest.fixture(scope="module")
def coremark(tmp_path_factory):
    return str(build_module([os.path.join(FOLDER, s) for s in SOURCES],
                            tmp_path_factory.mktemp("coremark") / "coremark.mo",
                            include_dirs=[FOLDER], defines=["CORE_MARK_HAS_FLOAT=1"],
                            extra_cflags=["-Wno-implicit-function-declaration"]))


def _checksums(text):
    return [line for line in text.splitlines() if "crc" in line.split(":")[0]]


def test_coremark_computes_on_the_board_what_it_computes_on_bare_unicorn(firmware, coremark):
    # benchmarks/ is no package: its bare machine is loaded from its file
    spec = importlib.util.spec_from_file_location(
        "bare_run", os.path.join(ROOT, "benchmarks", "bare_run.py"))
    bare_run = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bare_run)
    board = Board(firmware)
    board.activate()
    board.console.take()
    loaded = dlmodule.exec(coremark, coremark)      # loaded, main's thread not yet run
    board.memory.write32(board.symbol(loaded, "seed4_volatile"), ITERATIONS)
    board.run(0)
    on_board = board.console.take()
    out = []

    class Sink:
        def write(self, data):
            out.append(data)
    machine = bare_run.BareMachine(out=Sink())
    machine.load(coremark)
    machine.uc.mem_write(machine.symbols["seed4_volatile"], ITERATIONS.to_bytes(4, "little"))
    machine.run_main([coremark])
    on_bare = b"".join(out).decode()
    assert _checksums(on_board) and _checksums(on_board) == _checksums(on_bare), (on_board,
                                                                               on_bare)
    # (a run this short is never CoreMark's "valid" 10 s one: that ERROR! line is expected)
    for wrong in ("ERROR! list", "ERROR! matrix", "ERROR! state"):
        assert wrong not in on_board
