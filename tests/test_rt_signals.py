"""Signals (svc_signal.py) with RT-Thread 5.x's semantics, by sig_api.c: the mask lets no
signal through at first, rt_signal_unmask runs a pending one at once on the caller, SIG_IGN
drops a signal and SIG_DFL does nothing, rt_signal_wait takes a signal of its set without its
handler, a thread blocked on a semaphore is woken with -RT_EINTR and runs the handler itself,
a READY thread runs it on its own stack the next time it is scheduled, then goes on where it
was, and one suspended by rt_thread_suspend is resumed to run it. The heap is exactly as
before afterwards."""
from test_rt_hooks import run_clean

EXPECTED_SIG_API = """\
install: first 1, again returns it 1, bad signo 1
kill: bad signo -10
kill masked: 0, handled 0, pending 1
unmask: handled 1 on main 1, pending 0, errno -9
kill unmasked: 0, handled 2
masked again: handled 2
SIG_IGN: old is on_signal 1
ignored: handled 2, pending 0
SIG_DFL: old is SIG_DFL 1, handled 2
replaced: handled 102
wait pending: 0, si_signo 31, pending 0
wait nothing: -2, timeout -2, bad set -10
waiter: take returned -9, handled 1 on itself 1, errno -9
spinner: handled before it ran 0
spinner: handled 1 on itself 1, in its stack 1, went on 1
suspended spinner: stat 4
suspended spinner: handled 1, stat 2
sigwait: 0, si_signo 31, si_code 1, handled 0
"""


def test_signal_services_behave_as_rt_thread(board, build_module):
    result = run_clean(board, build_module("sig_api.c"))
    assert result.exit_code == 0 and result.fault is None, result
    assert result.output == EXPECTED_SIG_API


def test_waiting_for_a_signal_nobody_can_send_is_a_deadlock(board, build_module):
    result = run_clean(board, build_module("sig_deadlock.c"))
    assert result.output == "sig_deadlock: waiting\n"
    assert result.exit_code == 124, result
    assert "waits for ever on a signal (rt_signal_wait)" in str(result.fault)


EXPECTED_INTERRUPTIBLE = """\
sem -9
mutex -9
event -9
mb send -9
mb recv -9
mq send -9
mq recv -9
handled 7
sem 0, event 0 (0x1), mb recv 0 (7), mq recv 1 (z)
timeout -2
"""


def test_the_interruptible_waits_end_with_eintr_on_a_signal_and_else_as_the_plain_calls(
        board, build_module):
    # RT-Thread 5.x's _interruptible forms (firmware_stub/src/ipc_interruptible.c)
    result = run_clean(board, build_module("ipc_interruptible.c"))
    assert result.exit_code == 0 and result.fault is None, result
    assert result.output == EXPECTED_INTERRUPTIBLE
