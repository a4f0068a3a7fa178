"""rt_sem/mutex/event/mb/mq_control (svc_ipc_control.py) by ipc_ctl.c, with RT-Thread 5.x's
RT_IPC_CMD_RESET: each waiter (priority 15, above main's 20) wakes with -RT_ERROR and runs at
once, before the control call returns to main; the object is emptied, a semaphore takes the
value given. Unknown commands give -RT_ERROR, rt_mutex_control -RT_EINVAL."""
from test_rt_hooks import run_clean

EXPECTED_IPC_CTL = """\
sem waiter: -1
sem reset: 0, value 3
sem takes: 0 0 0, then -2
sem unknown command: -1
mutex control: -10
event waiter: -1
event reset: 0, set 0x0
mb waiter: -1
mb reset with a waiter: 0
mb reset: 0, entry 0, recv -2
mb after reset: 7
mq sender: -1
mq reset: 0, entry 0
mq recv after reset: -2
mq unknown command: -1
"""


def test_ipc_reset_wakes_waiters_and_empties_objects(board, build_module):
    result = run_clean(board, build_module("ipc_ctl.c"))
    assert result.exit_code == 0 and result.fault is None, result
    assert result.output == EXPECTED_IPC_CTL
