"""Kernel IPC objects of issue 9 part A from real modules: message queues, memory pools and
software timers with their error returns and timeouts, static objects (_init/_detach) whose
C struct fields stay true, object lookups, and modules that leave objects behind or fault in
a timer callback. Every run must leave the heap, the threads and the objects as before.
Expected lines follow RT-Thread 5.x's src/ipc.c, src/mempool.c and src/timer.c."""
import re

import pytest

from test_threads import run_clean


def lines(result):
    assert result.exit_code == 0 and result.fault is None, result
    return result.output.splitlines()


def same(out, expected):
    """Line by line; `{N}` in an expected line is a tick count of at least N. A time slice
    that runs out on a loaded host advances the tick (virtual time counts computing too), so
    elapsed ticks may exceed what the program waited, never fall short of it."""
    assert len(out) == len(expected), out
    for got, want in zip(out, expected):
        if "{" not in want:
            assert got == want, out
            continue
        pattern = r"(\d+)".join(re.escape(part) for part in re.split(r"\{\d+\}", want))
        found = re.match(pattern + "$", got)
        assert found, (got, want)
        for value, least in zip(found.groups(), re.findall(r"\{(\d+)\}", want)):
            assert int(value) >= int(least), (got, want)


def test_message_queue_errors_urgent_timeouts_and_a_static_queue(board, build_module):
    same(lines(run_clean(board, build_module("kobj_mq.c"))), [
        "create: msg_size 4 max_msgs 2 entry 0 type 6",      # RT_Object_Class_MessageQueue
        "send ab -> 0",
        "send cdef -> 0",
        "send x (full) -> -3",                               # -RT_EFULL
        "urgent x (full) -> -3",
        "entry 2",
        "recv -> 2 ab",                                      # 5.x: the length received
        "recv into 2 bytes -> 2 cd",                         # cut to the buffer
        "send 5 bytes (too long) -> -1",                     # -RT_ERROR: over msg_size
        "recv empty -> -2",                                  # -RT_ETIMEOUT at once
        "recv 5 ticks -> -2 after {5} ticks",
        "urgent first: 21",
        "send_wait (full) -> 0 after {10} ticks",              # until drain takes one
        "send_wait 5 ticks (full) -> -2 after {5} ticks",
        "waiter: recv -> -1",                                # deleted under the waiter
        "delete -> 0",
        "init small pool -> -10",                            # -RT_EINVAL: no message fits
        "init -> 0",
        "static: name smq type 0x86 max_msgs 5",             # 64 / (4 + 8-byte header)
        "find -> 1, type 6, system object 1",
        "static entry 1",
        "detach -> 0, find -> 0",
    ])


def test_memory_pool_blocks_timeouts_waiters_and_a_static_pool(board, build_module):
    same(lines(run_clean(board, build_module("kobj_mp.c"))), [
        "block_size 12 total 3 free 3",                      # 10 aligned to RT_ALIGN_SIZE
        "three blocks: 1, stride 16, free 0",                # each behind a 4-byte header
        "empty: 00000000",
        "5 ticks: 00000000 after {5} ticks",                   # RT_NULL on timeout
        "free a",
        "taker: got a: 1",                                   # the waiter gets it at once
        "free count 0",
        "free count 1",
        "loser: got 00000000",                               # pool deleted under it
        "delete -> 0",
        "init -> 0",
        "static: total 4 free 4 type 0x88",                  # 100 / (20 + 4)
        "first block at +4, free 3",
        "free 4, detach -> 0",
    ])


def test_freeing_a_pointer_of_no_pool_is_the_modules_fault(board, build_module):
    result = run_clean(board, build_module("kobj_mp_badfree.c"))
    assert result.exit_code == 139 and "not reached" not in result.output
    assert "rt_mp_free" in str(result.fault) and "not a block of any memory pool" in \
        str(result.fault)


def test_soft_and_hard_timers_fire_in_their_contexts_with_control_commands(board,
                                                                           build_module):
    same(lines(run_clean(board, build_module("kobj_timer.c"))), [
        "type 10, flag 0x6",                                 # PERIODIC | SOFT, deactivated
        "started: flag 0x7, timeout_tick +3",
        "soft 1 at +{3} in thread timer",                      # the timer thread
        "hard once at +{5}, thread 0",                         # the tick interrupt: no thread
        "soft 2 at +{6} in thread timer",
        "soft 3 at +{9} in thread timer",
        "stop -> 0, again -> -1, once flag 0x0",             # a one-shot timer deactivates
        "get time 3",
        "set time 7 stops it: state 0 init_tick 7",
        "one shot now: flag 0x5 state 1",
        "soft 1 at +{7} in thread timer",
        "soft fired 1 time(s)",
        "delete -> 0",
        "static type 0x8a name st",
        "hard static at +{2}, thread 0",
        "detach -> 0",
    ])


@pytest.mark.parametrize("kind", ["soft", "hard"])
def test_a_faulting_timer_callback_is_its_modules_fault(board, build_module, kind):
    result = run_clean(board, build_module("kobj_timer_fault.c"), kind)
    assert result.exit_code == 139 and "not reached" not in result.output
    assert "0x10000000" in str(result.fault) and "kobj_tim" in str(result.fault)
    if kind == "hard":       # its callback runs on the kernel stack: the line names it once
        line = str(result.fault)
        assert line.startswith("kobj_tim: hard timer '") and line.count(": ") == 3, line


def test_static_objects_keep_their_struct_fields_true(board, build_module):
    assert lines(run_clean(board, build_module("kobj_static.c"))) == [
        "sem_init -> 0",
        "sem: name ssem type 0x82 flag 1 value 2",           # | RT_Object_Class_Static
        "taken: value 1",
        "released twice: value 3",
        "mutex: owner is me 1, hold 2",
        "released: owner 00000000 hold 0",
        "event set 0x5",
        "received 0x1, set 0x4",
        "event detach -> 0, type now 0",
        "mb: size 4 entry 2 in 2 out 0 pool 11 22",
        "recv 11, urgent 33: entry 2 out 0 pool[0] 33",      # urgent goes before out
        "next 33",
        "mb detach -> 0",
    ]


def test_deleting_a_static_object_is_the_modules_fault(board, build_module):
    result = run_clean(board, build_module("kobj_static_delete.c"))
    assert result.exit_code == 139 and "not reached" not in result.output
    assert "rt_sem_delete" in str(result.fault) and "_detach" in str(result.fault)
