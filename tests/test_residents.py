"""Board.exec runs a program against what the host loaded before it (its residents): a
library with threads of its own - a worker that wakes now and then, a server waiting for
ever for requests - serves one program after another. The run ends with the program; the
residents' threads stay as they are, since waiting for a request is idle, not a deadlock,
and neither a program's deadlock nor its timeout ends them."""
import re
import shutil

from rtdl import Board


def _threads(board):
    return sorted(thread.name for thread in board.kernel.threads)


def test_a_library_with_threads_serves_one_program_after_another(firmware, build_module):
    board = Board(firmware)
    library = board.load(build_module("reslib.c", lib=True))
    client = build_module("resclient.c")
    first = board.exec(client, timeout=5)
    assert (first.exit_code, first.fault, first.output) == (0, None, "reply 42\n"), first
    assert board.kernel.modules == [library] and library.fault is None
    assert _threads(board) == ["beat", "server"]
    beats = board.call(library, "reslib_beats")
    second = board.exec(client, timeout=5)
    assert (second.exit_code, second.fault, second.output) == (0, None, "reply 42\n"), second
    assert board.kernel.modules == [library] and _threads(board) == ["beat", "server"]
    # its worker ran alongside the program
    assert board.call(library, "reslib_beats") >= beats


def test_a_program_stuck_beside_a_waking_resident_ends_by_its_budget(firmware, build_module):
    board = Board(firmware)
    library = board.load(build_module("reslib.c", lib=True))
    result = board.exec(build_module("resclient.c"), "stuck", timeout=1)
    # the program waits for ever while the library's worker still wakes, which might wake
    # it: not a deadlock, so its budget ends it - and only it
    assert result.exit_code == 124, result
    assert re.match(r"resclien: timed out when the run's 1000 ms ran out: thread 'resclien' "
                    r"blocked on semaphore 'never'", str(result.fault)), result.fault
    assert board.kernel.modules == [library] and library.fault is None
    assert _threads(board) == ["beat", "server"]
    after = board.exec(build_module("resclient.c"), timeout=5)
    assert (after.exit_code, after.output) == (0, "reply 42\n"), after


def test_a_programs_deadlock_beside_a_waiting_resident_ends_the_program_only(
        firmware, build_module, tmp_path):
    board = Board(firmware)
    # the client finds the library by its module name, the file's stem
    server_only = str(tmp_path / "reslib.so")
    shutil.copy(build_module("reslib.c", lib=True, defines=("RESLIB_SERVER_ONLY",)),
                server_only)
    library = board.load(server_only)
    result = board.exec(build_module("resclient.c"), "stuck", timeout=5)
    # every thread waits for ever: the program's is a deadlock, the server's is idle
    assert result.exit_code == 124, result
    assert str(result.fault) == ("resclien: deadlock: every thread is blocked and none can "
                                 "wake the others: thread 'resclien' waits for ever on "
                                 "semaphore 'never' (value 0)"), result.fault
    assert board.kernel.modules == [library] and library.fault is None
    assert _threads(board) == ["server"]
    after = board.exec(build_module("resclient.c"), timeout=5)
    assert (after.exit_code, after.output) == (0, "reply 42\n"), after
