"""Property-based fuzzing of service arguments (issue 10): random pointers (unmapped, flash,
the firmware's data, heap headers, the kernel stack, the module's own memory), sizes,
handles and flags into every service of services.SERVICES through a module that issues
`SVC #n` itself. Whatever the arguments, Board.exec returns (never raises), the module ends
with a normal or a fault exit code, nothing of it is left and the heap is as before.

Bounded in `make test` (RTDL_FUZZ_EXAMPLES, default 30); `make fuzz` runs it longer."""
import os

import pytest
from hypothesis import HealthCheck, example, given, settings, strategies as st

from rtdl_device.services import SERVICES

from test_containment import faulty  # noqa: F401  (the fixture building faulty modules)

EXAMPLES = int(os.environ.get("RTDL_FUZZ_EXAMPLES", "30"))
# services that end the run by design are fuzzed like the others: they must end cleanly too
POINTERS = st.sampled_from([0, 1, 0x30000000, 0xFFFFFFFF, 0xFFFFFFFC, 0x100, 0x3000,
                            0x20000000, 0x20000010, 0x20001000, 0x20004000, 0x20004800,
                            0x2007DFF0, 0x2007E000, 0x2007FFF0, 0x2007FFFC, 0x80000000])
NUMBERS = st.one_of(st.sampled_from([0, 1, 2, 3, 4, 8, 16, 255, 256, 0x7FFFFFFF, 0x80000000,
                                     0xFFFFFFFF, 0x10000, 0x10001]),
                    st.integers(0, 0xFFFFFFFF))
ARG = st.one_of(POINTERS, NUMBERS)


@pytest.fixture(scope="module")
def fuzz_board(firmware):
    from rtdl import Board
    return Board(firmware)


def _number(name):
    return [entry[0] for entry in SERVICES].index(name)


# found by `make fuzz`: rt_thread_init wrote its struct and the stack's canary into flash
@example(number=_number("rt_thread_init"), args=[1, 0, 1, 0, 1, 0xFFFFFFFF])
# and rt_mp_create kept its blocks when the name was not readable
@example(number=_number("rt_mp_create"), args=[0x80000, 1, 1, 0, 0, 0])
@settings(max_examples=EXAMPLES, deadline=None, derandomize=not os.environ.get("RTDL_FUZZ_RANDOM"),
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(number=st.integers(0, len(SERVICES) - 1), args=st.lists(ARG, min_size=6, max_size=6))
def test_any_arguments_to_any_service_are_contained(fuzz_board, faulty, build_module,
                                                    number, args):
    board = fuzz_board
    before = board.heap.snapshot()
    flash = board.memory.read(0, 0x10000)
    result = board.exec(faulty("svc_any"), number, *["0x%x" % a for a in args], timeout=2)
    # an exit code is whatever the module passed to exit(); a fault has its own
    assert isinstance(result.exit_code, int), result
    if result.fault is not None:
        assert result.exit_code in (124, 134, 139), result
    board.heap.check()
    assert board.heap.snapshot() == before, (SERVICES[number][0], args, result)
    kernel = board.kernel
    assert kernel.modules == [] and kernel.threads == [] and kernel.objects == {}, result
    assert board.memory.read(0, 0x10000) == flash
    if result.fault is not None:
        assert "Traceback" not in str(result.fault)
