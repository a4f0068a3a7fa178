"""CoreMark (rtthread-apps' port, vendored unchanged in coremark/) on the board against the same
build on bare_run's machine. Its ITERATIONS (36,000, hours on an emulator) is read at run time
from the volatile `seed4_volatile`, so both sides set that variable in the loaded image before
main runs, as a debugger would; iterations per second of host time, load included."""
import os

from common import HERE, best, row

import bare_run
from rtdl import Board
from rtdl_device import dlmodule

KEY = "coremark"
SOURCES = ("core_list_join.c", "core_main.c", "core_matrix.c", "core_portme.c", "core_state.c",
           "core_util.c", "main.c")


def run(ctx):
    folder = os.path.join(HERE, "coremark")
    module = ctx.build("coremark", [os.path.join(folder, s) for s in SOURCES],
                       include_dirs=[folder], defines=["CORE_MARK_HAS_FLOAT=1"],
                       extra_cflags=["-Wno-implicit-function-declaration"])
    iterations = 2 if ctx.tiny else 100
    board = Board()

    def on_board():
        board.activate()
        board.console.take()
        loaded = dlmodule.exec(module, module)     # loaded, main's thread not yet run
        board.memory.write32(board.symbol(loaded, "seed4_volatile"), iterations)
        board.run(0)
        return board.console.take()
    out = []

    def on_bare():
        del out[:]                                 # each run's output alone is compared
        machine = bare_run.BareMachine(out=Sink(out))
        machine.load(module)
        machine.uc.mem_write(machine.symbols["seed4_volatile"], iterations.to_bytes(4, "little"))
        return machine.run_main([module])
    rtdl, result = best(on_board, ctx.runs)
    bare, _ = best(on_bare, ctx.runs)
    # A run this short cannot be CoreMark's "validated" 10 s one; what must hold is that both
    # computed the same checksums and none of them is one CoreMark knows to be wrong.
    board_crcs, bare_crcs = _checksums(result), _checksums(b"".join(out).decode())
    if not board_crcs or board_crcs != bare_crcs or "ERROR! list" in result \
            or "ERROR! matrix" in result or "ERROR! state" in result:
        raise SystemExit("coremark: the board and the bare unicorn disagree:\n%s\n%s"
                         % (board_crcs, bare_crcs))
    return row(KEY, "CoreMark, %d iterations" % iterations, iterations / rtdl, "iter/s",
               iterations / bare, "same build on bare unicorn", rtdl / bare)


def _checksums(text):
    return [line for line in text.splitlines() if "crc" in line.split(":")[0]]


class Sink(list):
    def __init__(self, into):
        self.into = into

    def write(self, data):
        self.into.append(data)
