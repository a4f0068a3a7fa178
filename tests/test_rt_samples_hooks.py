"""RT-Thread's kernel samples about hooks and signals (idlehook_sample, scheduler_hook,
signal_sample), built unchanged with the two-line main of test_rt_samples.py and checked
against what the sample's source and RT-Thread 5.x's semantics say they do. Every run leaves
the heap exactly as before."""
import re

from rtdl import Board

from test_rt_samples import built  # noqa: F401  (the fixture that builds a sample)
from test_rt_samples_threads import run_clean


def test_scheduler_hook_sample_prints_every_switch(built, firmware):
    # main ("schedul": the module's name in its struct, cut to RT_NAME_MAX - 1) sets the
    # hook and starts two equal-priority threads (20, like main) that print and sleep
    # 1000 ms; with all three asleep the idle thread has the CPU; at 2500 ms main wakes
    # and ends the module
    result = run_clean(Board(firmware), built("scheduler_hook.c", 2500))
    assert result.exit_code == 0 and result.fault is None, result
    rounds = ["from: %s -->  to: thread1 ", "thread 1 is running",
              "from: thread1 -->  to: thread2 ", "thread 2 is running",
              "from: thread2 -->  to: tidle0 "]
    expected = []
    for first in ("schedul", "tidle0", "tidle0"):
        expected += [rounds[0] % first] + rounds[1:]
    expected.append("from: tidle0 -->  to: schedul ")
    assert result.output.splitlines() == expected


def test_idlehook_sample_counts_idle_calls_while_thread1_sleeps(built, firmware):
    board = Board(firmware)
    # idle time is host time here (the idle thread runs its hooks while the ticks pass):
    # a tenth of a millisecond per tick keeps the sample's 2.5 s of sleeping short
    board.kernel.tick_us = 100
    result = run_clean(board, built("idlehook_sample.c", 3000))
    assert result.exit_code == 0 and result.fault is None, result
    lines = result.output.splitlines()
    idle = [i for i, line in enumerate(lines) if line.startswith("enter idle hook ")]
    others = [line for i, line in enumerate(lines) if i not in idle]
    # thread1 (priority 20) resets the count and sleeps 500 ms, five times, then deletes
    # the hook and ends
    assert others == ["enter thread1.", "thread1 delay 500ms."] * 5 + \
        ["delete idle hook.", "thread1 finish."]
    # the hook prints every 10000th call; its first call (on a fresh idle thread, right
    # after thread1's first reset) prints 0; nothing after the hook is deleted
    assert idle and idle[0] == 2 and lines[2] == "enter idle hook 0 times."
    for i in idle:
        count = int(re.match(r"^enter idle hook (\d+) times\.$", lines[i]).group(1))
        assert count % 10000 == 0
        assert i < lines.index("delete idle hook.")
    assert board.kernel.hooks.idle_hooks == [None] * 4


def test_signal_sample_handler_runs_on_thread1_and_it_counts_on(built, firmware):
    # thread1 (25) installs and unmasks SIGUSR1 and counts every 100 ms; main (20) sleeps
    # 300 ms and sends the signal: thread1's handler runs on thread1 before its count 3,
    # then thread1 goes on counting to 9. SIGUSR1 is newlib's 30.
    result = run_clean(Board(firmware), built("signal_sample.c", 1200))
    assert result.exit_code == 0 and result.fault is None, result
    counts = ["thread1 count : %d" % i for i in range(10)]
    assert result.output.splitlines() == counts[:3] + ["thread1 received signal 30"] + counts[3:]
