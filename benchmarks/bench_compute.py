"""Module compute speed on the board against the same machine code on a bare unicorn.

crc32.so (CRC-32 bit by bit, no imports) is loaded on the board and `crc32_rounds` is called
through the board's cpu.call; then the board's RAM (module image and data) is copied into a
fresh Uc with nothing else - no firmware, no hooks - and the same function is run from the same
address. The ratio shows what the board adds to code that only computes (it should add nothing:
no per-instruction hooks). Then the same computation as a program (crc32.c + crc32_main.c) on
a module thread run by the kernel's scheduler in 10 ms time slices (Kernel.run): the ratio
shows what preemption costs a thread that computes alone. Prints; never asserts timings.

    .venv/bin/python benchmarks/bench_compute.py [--runs N]
"""
import argparse
import os
import statistics
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

import unicorn
from unicorn import arm_const

from rtdl import Board
from rtdl.build import build_module
from rtdl_board import memory as board_mod
from rtdl_device import dlmodule
from rtdl_device import kernel

DATA_SIZE = 4096
ROUNDS = 1024
RETURN = board_mod.RAM_BASE + board_mod.RAM_SIZE - 0x100     # `until` address, never executed


def bare_machine(ram):
    uc = unicorn.Uc(unicorn.UC_ARCH_ARM, unicorn.UC_MODE_THUMB)
    uc.ctl_set_cpu_model(arm_const.UC_CPU_ARM_CORTEX_M4)
    uc.mem_map(board_mod.RAM_BASE, board_mod.RAM_SIZE, unicorn.UC_PROT_ALL)
    uc.mem_write(board_mod.RAM_BASE, ram)
    return uc


def bare_call(uc, fn, args):
    for reg, value in zip((arm_const.UC_ARM_REG_R0, arm_const.UC_ARM_REG_R1,
                           arm_const.UC_ARM_REG_R2), args):
        uc.reg_write(reg, value)
    uc.reg_write(arm_const.UC_ARM_REG_SP, RETURN - 0x100)
    uc.reg_write(arm_const.UC_ARM_REG_LR, RETURN | 1)
    uc.emu_start(fn | 1, RETURN)
    return uc.reg_read(arm_const.UC_ARM_REG_R0)


def median(fn, runs):
    times, value = [], None
    for _ in range(runs):
        start = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), value


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="rtdl-bench-") as tmp:
        lib = str(build_module([os.path.join(ROOT, "benchmarks", "crc32.c")],
                               os.path.join(tmp, "crc32.so"), lib=True))
        machine = Board()
        module = machine.load(lib)
        data = machine.heap.malloc(DATA_SIZE)
        machine.memory.write(data, bytes((i * 131 + 7) & 0xFF for i in range(DATA_SIZE)))
        fn = machine.symbol(module, "crc32_rounds")
        call_args = (data, DATA_SIZE, ROUNDS)

        on_board, crc_board = median(lambda: machine.cpu.call(fn, call_args), args.runs)
        uc = bare_machine(machine.memory.read(board_mod.RAM_BASE, board_mod.RAM_SIZE))
        bare, crc_bare = median(lambda: bare_call(uc, fn, call_args), args.runs)

        program = str(build_module([os.path.join(ROOT, "benchmarks", "crc32.c"),
                                    os.path.join(ROOT, "benchmarks", "crc32_main.c")],
                                   os.path.join(tmp, "crc32_main.mo")))
        threaded = Board()
        slices = []

        def run_thread():
            dlmodule.exec(program, "crc32_main %d %d" % (DATA_SIZE, ROUNDS))
            tick = threaded.kernel.tick
            threaded.run(timeout=0)
            slices.append((threaded.kernel.tick - tick) // kernel.DEFAULT_TICK)
            return int(threaded.console.take().split()[-1], 16)
        on_thread, crc_thread = median(run_thread, args.runs)
    if not crc_board == crc_bare == crc_thread:
        raise SystemExit("the runs disagree: board 0x%08x, bare unicorn 0x%08x, thread 0x%08x"
                         % (crc_board, crc_bare, crc_thread))
    mbytes = DATA_SIZE * ROUNDS / 1e6
    print("CRC-32 of %d KiB x %d rounds = 0x%08x (median of %d runs)"
          % (DATA_SIZE // 1024, ROUNDS, crc_board, args.runs))
    print("  on the board (cpu.call)   %7.3f s  %6.2f MB/s" % (on_board, mbytes / on_board))
    print("  bare unicorn (emu_start)  %7.3f s  %6.2f MB/s" % (bare, mbytes / bare))
    print("  ratio board / bare        %7.2f x" % (on_board / bare))
    print("  on a module thread        %7.3f s  %6.2f MB/s  (%d time slices of %d ms)"
          % (on_thread, mbytes / on_thread, statistics.median(slices),
             kernel.DEFAULT_TICK * kernel.Kernel.tick_us // 1000))
    print("  ratio thread / bare       %7.2f x" % (on_thread / bare))


if __name__ == "__main__":
    main()
