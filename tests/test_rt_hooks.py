"""Idle and scheduler hooks and the system threads tidle0/tshell (svc_hooks.py, systhreads.py),
with RT-Thread 5.x's semantics: hooks_api.c checks the hook list's size and return codes, the
idle hooks running on tidle0 while main sleeps, the scheduler hook seeing each switch, and
tidle0/tshell as real threads; hooks left set go with their module; a faulting idle hook is
its module's fault. Every run leaves the heap exactly as before."""
from rtdl import Board
from test_rt_samples_threads import run_clean

EXPECTED_HOOKS_API = """\
tidle0: found 1, gethandler 1, prio 31, stat 2, static 1
tshell: found 1, prio 20, stat 4, object_find 1
sethook: 0 0 0 0, fifth -3
delhook: unknown -6, d 0, d again -6, same hook twice 0
idle hooks: a ran 1, b ran 1, on tidle0 1
after delhook: a ran again 0
switch hooks_a -> peer
switch peer -> hooks_a
switch hooks_a -> tidle0
switch tidle0 -> peer
switch peer -> tidle0
switch tidle0 -> hooks_a
after sethook(NULL): 0 more
"""


def test_hooks_and_system_threads_behave_as_rt_thread(build_module, firmware):
    # peer (priority 10) takes the CPU from main (20) at its startup and gives it back when
    # it sleeps; with both asleep tidle0 runs; peer ends at tick 5, main wakes at 10
    board = Board(firmware)
    result = run_clean(board, build_module("hooks_api.c"))
    assert result.exit_code == 0 and result.fault is None, result
    assert result.output == EXPECTED_HOOKS_API
    # the hooks it left set went with it: another module runs without them
    hooks = board.kernel.hooks
    assert hooks.idle_hooks == [None] * 4 and hooks.sched_hook is None
    again = run_clean(board, build_module("hello.c"))
    assert again.output == "Hello, world\n"
    # the system threads are as they were, and not left on the module's code
    assert board.kernel.system.idle.module is None


def test_a_faulting_idle_hook_is_its_modules_fault(build_module, firmware):
    board = Board(firmware)
    result = run_clean(board, build_module("hooks_fault.c"))
    assert result.output.startswith("hooks_fault: setting the hook\n")
    assert "not reached" not in result.output
    # named by module (its name, cut to RT_NAME_MAX), what ran it and the thread it ran on
    assert result.fault is not None
    assert str(result.fault).startswith("hooks_fa: idle hook: mem manage fault ")
    assert "on thread 'tidle0'" in str(result.fault)
    assert "0x00000000" in str(result.fault)
    assert board.kernel.hooks.idle_hooks == [None] * 4
    assert run_clean(board, build_module("hello.c")).output == "Hello, world\n"
