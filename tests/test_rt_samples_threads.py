"""RT-Thread's kernel samples about threads and the system (thread_sample, interrupt_sample),
built unchanged with the two-line main of test_rt_samples.py and checked against what the
sample's source and RT-Thread 5.x's semantics say they do; and sched_api.c, a module of ours
for the services around them: suspend/resume, rt_thread_control, rt_thread_find,
rt_object_find, the struct rt_thread fields a module reads, a static thread, the scheduler
lock, errno per thread. Every run leaves the heap exactly as before."""
import re

from rtdl import Board

from test_rt_samples import built  # noqa: F401  (the fixture that builds a sample)


def run_clean(board, path):
    before = board.heap.snapshot()
    result = board.exec(path)
    board.heap.check()
    assert board.heap.snapshot() == before, result
    assert board.kernel.modules == [] and board.kernel.threads == []
    return result


def test_thread_sample_static_thread_runs_first_then_the_dynamic_one_counts(built, firmware):
    result = run_clean(Board(firmware), built("thread_sample.c"))
    assert result.exit_code == 0 and result.fault is None, result
    lines = result.output.splitlines()
    # thread1 (priority 25) is started first but thread2 (24, static: the module's own
    # struct and 1024-byte stack) runs first once main sleeps: main (20) created both,
    # then higher priority wins; thread2 prints its ten counts and returns (it ends).
    assert lines[:11] == ["thread2 count: %d" % i for i in range(10)] + ["thread2 exit"]
    counts = [int(m) for m in re.findall(r"^thread1 count: (\d+)$", result.output, re.M)]
    # thread1 counts every 500 ms while main's 1000 ms sleep lasts: at ticks 0 and 500
    # (1000 is main's wake-up, and main ends the module first: it is the higher priority)
    assert counts == [0, 1]
    assert len(lines) == 13


def test_interrupt_sample_counter_grows_by_each_threads_step(built, firmware):
    result = run_clean(Board(firmware), built("interrupt_sample.c"))
    assert result.exit_code == 0 and result.fault is None, result
    seen = {10: [], 20: []}
    for line in result.output.splitlines():
        m = re.match(r"^protect thread\[(\d+)\]'s counter is (\d+)$", line)
        assert m, line
        seen[int(m.group(1))].append(int(m.group(2)))
    # thread[no] adds no under rt_hw_interrupt_disable and sleeps no*10 ms: in main's
    # 1000 ms thread[10] runs at ticks 0, 100 .. 900 and thread[20] at 0, 200 .. 800; at
    # 1000 main, created first, wakes first and its return ends the module
    assert len(seen[10]) == 10 and len(seen[20]) == 5, seen
    everything = sorted(seen[10] + seen[20])
    for values in seen.values():
        assert values == sorted(values) and len(set(values)) == len(values)
    # each print follows its own increment: the values printed are the running sum
    assert everything[-1] == 10 * len(seen[10]) + 20 * len(seen[20])
    assert all(v % 10 == 0 for v in everything)


EXPECTED_SCHED_API = """\
find: 1
object_find: 1
init: stat 0, prio 10/10, stack 1024, name count
resume of a thread not suspended: -1
suspend: 0
suspended: stat 4, counted while suspended 0
resume: 0
resumed: counting again 1
change priority: 0 -> prio 15/15
close: 0, find after close: 0
sleeper: woken with -9
resume sleeper: 0
thread_init: 0
static object type 0x81
static: parameter 42, self is the module's struct: 1, stat 3
critical level 2
critical: other ran inside 0, level after 0
interrupts masked: other ran inside 0
unlocked: other ran 1
errno: main keeps 3, *_rt_errno() 3
errno: other thread keeps 7
"""


def test_thread_services_behave_as_rt_thread(board, build_module):
    result = run_clean(board, build_module("sched_api.c"))
    assert result.exit_code == 0 and result.fault is None, result
    assert result.output == EXPECTED_SCHED_API
