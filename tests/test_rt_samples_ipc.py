"""RT-Thread's kernel samples that use IPC objects, timers and pools (tests/rt_samples/
kernel-sample/en, vendored unchanged) run as msh would run them - a two-line main calls the
sample's entry at priority 20 and sleeps while its threads run - and behave as RT-Thread
documents. The expected lines are derived from each sample's source and RT-Thread 5.x's
scheduling: priorities, FIFO/urgent queues, timer order, pool hand-over.

Samples that place static threads (rt_thread_init) or read a thread's priority from its
control block need the thread half of issue 9 in the firmware; until the firmware exports
rt_thread_init they are skipped with that reason."""
import os
import re
import subprocess

import pytest

from rtdl import Board
from rtdl.build import build_module

from test_rt_samples import SAMPLES, entry_of

MAIN = ("#include <rtthread.h>\nextern int %s(void);\n"
        "int main(void)\n{\n    %s();\n    rt_thread_mdelay(%d);\n    return 0;\n}\n")


@pytest.fixture(scope="module")
def run_sample(tmp_path_factory, firmware):
    out = tmp_path_factory.mktemp("kernel-sample-ipc")
    symbols = subprocess.run(["arm-none-eabi-nm", firmware], capture_output=True, text=True,
                             check=True).stdout
    has_static_threads = "__rtmsym_rt_thread_init" in symbols

    def run(source, sleep_ms, static_threads=True):
        if static_threads and not has_static_threads:
            pytest.skip("needs rt_thread_init and thread control blocks (issue 9 part B)")
        entry = entry_of(source)
        main = out / ("main_" + source)
        main.write_text(MAIN % (entry, entry, sleep_ms))
        path = build_module([os.path.join(SAMPLES, source), main],
                            out / (source[:-2] + ".mo"))
        board = Board(firmware)
        before = board.heap.snapshot()
        result = board.exec(str(path))
        assert result.exit_code == 0 and result.fault is None, result
        # whatever the sample left (threads, objects, timers) went with the module
        assert board.heap.snapshot() == before
        assert board.kernel.threads == [] and board.kernel.objects == {}
        return result.output.splitlines()
    return run


def test_timer_sample_periodic_ten_times_and_one_shot_at_tick_30(run_sample):
    # timer1 every 10 ticks, stopped in its 10th callback; timer2 once at 30, and at tick 30
    # timer2 (started at 0) is ahead of timer1 (restarted at 20) in the sorted timer list
    periodic = ["periodic timer is timeout %d" % n for n in range(10)]
    assert run_sample("timer_sample.c", 200, static_threads=False) == \
        periodic[:2] + ["one shot timer is timeout"] + periodic[2:] + \
        ["periodic timer was stopped! "]


def test_semaphore_sample_thread2_takes_each_release_at_once(run_sample):
    # thread1 (25) releases every 10th count up to 100; thread2 (24) waits and runs at once
    expected = ["create done. dynamic semaphore value = 0."]
    for n in range(1, 11):
        expected += ["thread1 release a dynamic semaphore.",
                     "thread2 take a dynamic semaphore. number = %d" % n]
    assert run_sample("semaphore_sample.c", 200) == expected


def test_mutex_sample_protects_both_counters(run_sample):
    # thread1 (8) holds the mutex over a 10 ms sleep; thread2 (7) gets it when released,
    # then keeps it, printing until number1 reaches 50
    assert run_sample("mutex_sample.c", 200) == \
        ["mutex protect ,number1 = mumber2 is %d" % n for n in range(1, 50)]


def test_event_sample_or_then_and(run_sample):
    assert run_sample("event_sample.c", 1500) == [
        "thread2: send event3",
        "thread1: OR recv event 0x8",
        "thread1: delay 1s to prepare the second event",
        "thread2: send event5",
        "thread2: send event3",
        "thread2 leave.",
        "thread1: AND recv event 0x28",
        "thread1 leave.",
    ]


def test_mailbox_sample_alternating_mails_then_over(run_sample):
    expected = []
    for n in range(10):
        expected += ["thread1: try to recv a mail",
                     "thread1: get a mail from mailbox, the content:%s"
                     % ("I'm a mail!" if n % 2 == 0 else "this is another mail!")]
    expected += ["thread1: try to recv a mail",
                 "thread1: get a mail from mailbox, the content:over"]
    assert run_sample("mailbox_sample.c", 2500) == expected


def test_msgq_sample_urgent_message_jumps_the_queue(run_sample):
    out = run_sample("msgq_sample.c", 1500)
    letters = [chr(ord("A") + n) for n in range(20)]
    sent = ["thread2: send %smessage - %s" % ("urgent " if c == "I" else "", c)
            for c in letters]
    assert [line for line in out if line.startswith("thread2")] == sent
    # A is taken at once; by the second receive (50 ms) I, sent urgent at 40 ms, is first
    received = ["A", "I"] + [c for c in letters[1:] if c != "I"]
    assert [line.rsplit(":", 1)[1] for line in out if line.startswith("thread1: recv")] == \
        received
    assert out[-1] == "thread1: detach mq "
    assert out.index("message queue stop send, thread2 quit") > out.index(sent[-1])


def test_memp_sample_hands_freed_blocks_to_the_waiting_thread(run_sample):
    # 4096 bytes of 80-byte blocks behind 4-byte headers: 48 blocks; thread1 (25) blocks on
    # the 49th; each block thread2 (26) frees goes straight to thread1, which preempts it
    expected = ["allocate No.%d" % n for n in range(48)]
    expected += ["thread2 try to release block", "release block 0", "allocate No.48",
                 "release block 1", "allocate No.49"]
    expected += ["release block %d" % n for n in range(2, 50)]
    assert run_sample("memp_sample.c", 200, static_threads=False) == expected


def test_producer_consumer_through_a_five_slot_ring(run_sample):
    out = run_sample("producer_consumer.c", 1000, static_threads=False)
    produced = [int(m) for m in re.findall(r"^the producer generates a number: (\d+)$",
                                           "\n".join(out), re.M)]
    consumed = re.findall(r"^the consumer\[(\d)\] get a number: (\d+)$", "\n".join(out), re.M)
    assert produced == list(range(1, 11))
    assert [(int(i), int(n)) for i, n in consumed] == [(n % 5, n + 1) for n in range(10)]
    # the consumer never gets ahead of the producer, which never gets 5 ahead of it
    for n in range(1, 11):
        made = out.index("the producer generates a number: %d" % n)
        got = out.index("the consumer[%d] get a number: %d" % ((n - 1) % 5, n))
        assert made < got
        if n > 5:
            assert out.index("the consumer[%d] get a number: %d" % ((n - 6) % 5, n - 5)) < made
    assert out[-2:] == ["the consumer sum is: 55", "the consumer exit!"]
    assert "the producer exit!" in out


def test_priority_inversion_thread3_inherits_thread2s_priority(run_sample):
    # thread3 (11) holds the mutex and spins; thread2 (10) blocks on it, so thread3 runs at
    # 10; thread1 (9) checks both at 100 ms
    assert run_sample("priority_inversion.c", 1000) == [
        "the priority of thread2 is: 10",
        "the priority of thread3 is: 11",
        "the priority of thread2 is: 10",
        "the priority of thread3 is: 10",
        "test OK.",
    ]
