"""The kernel's threads, scheduler and IPC from real modules: rt_thread_create and friends,
priority preemption at the service that wakes a thread, round robin by time slice, delays in
virtual time, semaphores, mutexes (priority inheritance), events and mailboxes, objects and
threads owned by a module and destroyed with it, the xPSR saved with each thread, deadlock
reports and the run's total time budget. Every run must leave the heap exactly as before."""
import os

import pytest

from rtdl_device import dlmodule
from rtdl_device import kernel

MODULES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "modules")


def expected(name):
    with open(os.path.join(MODULES, "expected", name + ".txt")) as f:
        return f.read()


def run_clean(board, path, *args, **kwargs):
    """Run a module: afterwards no module, thread or kernel object is left and the heap is
    exactly as before."""
    before = board.heap.snapshot()
    result = board.exec(path, *args, **kwargs)
    board.heap.check()
    assert board.heap.snapshot() == before, result
    assert board.kernel.modules == [] and board.kernel.threads == []
    assert board.kernel.objects == {}
    return result


@pytest.mark.parametrize("name", [
    "thr_pc",        # producer/consumer over a 2-entry mailbox, both directions block
    "thr_prio",      # a released high-priority thread runs before rt_sem_release returns
    "thr_inherit",   # priority inheritance: high gets the mutex before mid runs
    "thr_delay",     # sleepers of 30/10/20 ms wake in 10/20/30 order, exact ticks
    "thr_mutex",     # a mutex-protected counter with yields; recursive take, non-owner
    "thr_event",     # AND+CLEAR and OR waiters on an event set
])
def test_thread_module_prints_its_expected_output(board, build_module, name):
    result = run_clean(board, build_module(name + ".c"))
    assert result.exit_code == 0 and result.fault is None, result
    assert result.output == expected(name)


def test_a_woken_higher_priority_thread_preempts_at_the_release(board, build_module):
    out = run_clean(board, build_module("thr_prio.c")).output
    assert out.index("high: started") < out.index("main: releasing")   # startup preempts
    assert out.index("main: releasing") < out.index("high: woke up") < \
        out.index("main: release returned")
    assert "a 5-tick wait times out: -2" in out                         # -RT_ETIMEOUT


def test_priority_inheritance_prevents_inversion(board, build_module):
    out = run_clean(board, build_module("thr_inherit.c")).output
    assert out.index("high: got the mutex") < out.index("mid: runs") < \
        out.index("low: released")


def test_delays_wake_in_order_of_wake_time_in_virtual_time(board, build_module):
    start = board.kernel.tick
    out = run_clean(board, build_module("thr_delay.c")).output
    woke = [line.split(":")[0] for line in out.splitlines() if "woke after" in line]
    assert woke == ["sleeper 10", "sleeper 20", "sleeper 30"]
    for ms in (10, 20, 30):
        assert "sleeper %d: woke after %d ticks" % (ms, ms) in out
    assert board.kernel.tick - start == 37      # 30 ms of sleeping, then a 7-tick delay


def test_round_robin_gives_equal_priority_cpu_bound_threads_the_cpu(board, build_module):
    # each worker spins until the other is halfway: both finish only if slices alternate
    result = run_clean(board, build_module("thr_rr.c"), timeout=20)
    assert result.exit_code == 0 and result.fault is None, result
    lines = sorted(result.output.splitlines())
    assert lines == ["main: both workers finished, same work: yes",
                     "worker a: finished 400000 iterations",
                     "worker b: finished 400000 iterations"]
    assert board.kernel.tick > 0                # expired slices are what advanced time


def test_yields_interleave_and_the_mutex_loses_no_update(board, build_module):
    path = build_module("thr_mutex.c")
    assert "counter: 60 (expected 60)" in run_clean(board, path).output
    unlocked = run_clean(board, path, "nolock").output
    assert int(unlocked.split()[1]) < 60, unlocked  # the yields really interleave threads


def test_module_exit_stops_its_threads_and_deletes_its_objects(board, build_module):
    board.exec(build_module("hello.c"))         # libc's own buffers are allocated first
    result = run_clean(board, build_module("thr_exit.c"))
    assert result.exit_code == 3 and result.fault is None, result
    assert result.output == "thr_exit: main returns 3 with 6 threads and 4 objects alive\n"


def test_threads_waiting_on_a_deleted_object_wake_with_an_error(board, build_module):
    server, client = build_module("ipc_srv.c"), build_module("ipc_cli.c")
    before = board.heap.snapshot()
    srv = dlmodule.exec(server)
    cli = dlmodule.exec(client)
    board.run(timeout=5)
    out = board.console.take()
    assert srv.ret_code == 0 and cli.ret_code == 0 and cli.fault is None
    # ipc_srv ended 20 ticks after it started (at tick 20 unless a slice ran out first) and
    # its semaphore went with it: the waiter of the other module got -RT_ERROR at that tick
    end = out.split("ipc_srv: ends at tick ")[1].split()[0]
    assert out.index("ipc_srv: ends at tick ") < \
        out.index("ipc_cli: rt_sem_take returned -1 at tick %s\n" % end), out
    assert board.heap.snapshot() == before and board.kernel.objects == {}


def test_thread_api_create_delete_and_the_last_thread_ending(board, build_module):
    result = run_clean(board, build_module("thr_api.c"))
    assert result.exit_code == 0 and result.fault is None, result
    assert "must not happen" not in result.output
    assert result.output == ("bad priority: NULL, tiny stack: NULL, no entry: NULL\n"
                             "startup: 0, again: -1\n"
                             "delete blocked: 0, delete unborn: 0\n"
                             "self_deleter: deleting itself\n"
                             "main: deleting itself\n"
                             "last: the module's last thread returns\n")


def test_a_handle_of_the_wrong_kind_faults_naming_the_module(board, build_module):
    result = run_clean(board, build_module("thr_api.c"), "bad")
    assert result.exit_code == kernel.EXIT_FAULT
    message = str(result.fault)
    assert message.startswith("thr_api: rt_sem_take: 0x")
    assert "is not a semaphore (it is mutex 'm'" in message


def test_condition_flags_are_saved_with_each_thread(board, build_module):
    # thr_flags' counter loop keeps Z live across a block boundary while another thread
    # of equal priority leaves Z=1 at its own; without xPSR in the context it counts less
    result = run_clean(board, build_module("thr_flags.c"), timeout=20)
    assert result.exit_code == 0 and result.fault is None, result
    assert result.output == "thr_flags: counted 20000000 of 20000000\n"
    assert board.kernel.tick > 0                # 1-tick slices expired: the CPU changed hands


def test_cpu_run_restores_and_saves_xpsr(board):
    # The code tests Z and GE before setting any flag, so only a restored xPSR gets it past
    # its first loop; its `movs` then sets Z and clears N, which only a saved xPSR keeps.
    from unicorn import arm_const as A
    code = bytes.fromhex("fed1"        # 1: bne 1b        (spins unless Z=1)
                         "a1fa82f0"    #    sel r0, r1, r2 (per byte: GE ? r1 : r2)
                         "0023"        #    movs r3, #0    (Z=1, N=0)
                         "fee7")       # 2: b 2b
    block = board.heap.malloc(len(code))
    board.memory.write(block, code)
    board.memory.invalidate(block, len(code))
    z, n, t_bit, ge = 1 << 30, 1 << 31, 1 << 24, 0x5 << 16
    context = [0] * 17 + [None]
    context[1], context[2] = 0x11111111, 0x22222222
    context[13] = board.kernel_stack_top
    context[15] = block | 1
    context[16] = n | z | t_bit | ge
    board.uc.reg_write(A.UC_ARM_REG_XPSR, t_bit)      # the CPU's own flags: Z=0, GE=0
    assert board.cpu.run(context, 3000) is False      # the time slice ran out
    assert context[15] & ~1 == block + 8              # past the bne: Z was restored
    assert context[0] == 0x22112211                   # GE=0b0101 was restored
    assert context[16] & (n | z | ge) == z | ge       # movs's flags were saved
    board.heap.free(block)


def test_every_thread_blocked_for_ever_is_reported_at_once(board, build_module):
    # no timeout needed: the deadlock is found as soon as nothing can run
    result = run_clean(board, build_module("thr_deadlock.c"), timeout=0.5)
    assert result.exit_code == kernel.EXIT_DEADLOCK
    assert result.fault.kind == "deadlock"
    message = str(result.fault)
    assert message.startswith("thr_dead: deadlock: every thread is blocked")
    assert "timed out" not in message
    assert "thread 'thr_dead' waits for ever on semaphore 'never' (value 0)" in message
    assert "thread 'ab' waits for ever on mutex 'b' (held by thread 'ba')" in message
    assert "thread 'ba' waits for ever on mutex 'a' (held by thread 'ab')" in message
    assert result.output == "thr_deadlock: main waits for ever\n"


def test_the_timeout_is_a_budget_for_the_whole_run(board, build_module):
    # a computing module keeps the deadlocked one from being "all blocked": when the run's
    # budget is spent, both end with a timeout that says what each thread was doing;
    # a module that finishes in the meantime is untouched
    before = board.heap.snapshot()
    spin = dlmodule.exec(build_module("spin.c"))
    stuck = dlmodule.exec(build_module("thr_deadlock.c"))
    hello = dlmodule.exec(build_module("hello.c"))
    board.run(timeout=0.3)
    output = board.console.take()
    assert hello.ret_code == 0 and hello.fault is None
    assert spin.ret_code == stuck.ret_code == kernel.EXIT_TIMEOUT
    assert spin.fault.kind == stuck.fault.kind == "timeout"
    assert str(spin.fault) == ("spin: timed out when the run's 300 ms ran out: thread 'spin' "
                               "still running")
    message = str(stuck.fault)
    assert message.startswith("thr_dead: timed out when the run's 300 ms ran out: thread ")
    for part in ("thread 'thr_dead' blocked on semaphore 'never' (value 0)",
                 "thread 'ab' blocked on mutex 'b' (held by thread 'ba')",
                 "thread 'ba' blocked on mutex 'a' (held by thread 'ab')"):
        assert part in message, (message, output)
    assert "Hello, world" in output
    assert board.heap.snapshot() == before and board.kernel.threads == []
