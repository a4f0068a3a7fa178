"""Other threads' stacks cannot be damaged by a module (issue 10): while its code runs, the
stacks of other modules' threads and of system threads no module code runs on are read-only
(stackprot.py), so a wild store into one is a mem manage fault of the writer at the store,
its line naming whose stack it hit. A module's own threads share their locals, and the kernel
still fills a blocked receiver's locals of another module (mailbox, message queue, event).
Afterwards the heap is back to its size and a normal module runs."""
import os
import re
import shutil
import subprocess
import sys

import pytest

from rtdl import Board

from test_containment import faulty  # noqa: F401  (the fixture)
from test_containment_crossprot import contained


def _fault_line(result):
    assert result.exit_code == 139, result
    return str(result.fault)


def _name(path):
    return os.path.basename(path)[:-3]


def test_a_wild_write_into_another_modules_thread_stack_faults_at_the_store(
        board, build_module, faulty):
    victim = faulty("xstackv")
    result = contained(board, build_module, faulty("xstack"), "other", victim)
    message = _fault_line(result)
    writer = result.fault.report.module
    assert message.startswith(writer + ": mem manage fault (DACCVIOL"), message
    assert "on thread '%s'" % writer in message, message
    assert re.search(r"write of 4 bytes at 0x[0-9a-f]{8} \(stack of thread 'worker' of "
                     r"module '%s'\)" % _name(victim), message), message
    assert "the write went through" not in result.output
    # the store never happened: the victim's worker finds its local as it left it
    assert "sentinel intact" in result.output, result.output


def test_a_thread_started_for_another_module_is_read_only_from_its_start(board, build_module,
                                                                        faulty):
    # the writer starts the program alongside and writes at once into its main thread's
    # stack, before that thread ran
    victim = faulty("xstackv")
    result = contained(board, build_module, faulty("xstack"), "fresh", victim)
    message = _fault_line(result)
    name = _name(victim)
    assert "(stack of thread '%s' of module '%s')" % (name, name) in message, message
    assert "sentinel intact" in result.output, result.output


def test_a_wild_write_into_another_programs_argument_vector_faults_at_the_store(
        board, build_module, faulty):
    victim = faulty("xstackv")
    result = contained(board, build_module, faulty("xstack"), "argv", victim)
    message = _fault_line(result)
    name = _name(victim)
    assert re.search(r"write of 1 bytes at 0x[0-9a-f]{8} \(argument vector of thread '%s' "
                     r"of module '%s'\)" % (name, name), message), message
    assert "the write went through" not in result.output
    assert "argv[0] %s\n" % victim in result.output, result.output


def test_a_wild_write_into_another_threads_libc_state_faults_at_the_store(
        board, build_module, faulty):
    # the worker's struct _reent lives at the top of its stack's slot (stacks.allocate)
    victim = faulty("xstackv")
    result = contained(board, build_module, faulty("xstack"), "reent", victim)
    message = _fault_line(result)
    assert re.search(r"write of 4 bytes at 0x[0-9a-f]{8} \(libc state \(struct _reent\) of "
                     r"thread 'worker' of module '%s'\)" % _name(victim), message), message
    assert "the write went through" not in result.output
    assert "worker reent intact\n" in result.output, result.output


def test_a_module_threads_reent_is_in_its_stack_slot_and_charged_to_the_heap(
        board, build_module, faulty):
    kernel = board.kernel
    seen = []
    make = kernel.libc._make

    def made(thread):
        reent = make(thread)
        seen.append((thread.name, reent, thread.region_stack, thread.region_size,
                     thread.blocks[-1], kernel.heap.usable_size(thread.blocks[-1])))
        return reent
    kernel.libc._make = made
    try:
        result = contained(board, build_module, faulty("xstack"), "share")
    finally:
        del kernel.libc._make
    assert (result.exit_code, result.fault) == (0, None), result
    size = len(kernel.libc.template)
    # main's, its helper's, and hello's (contained runs it after)
    assert len(seen) == 3 and "helper" in [entry[0] for entry in seen], seen
    for name, reent, bottom, extent, charge, usable in seen:
        assert reent % 8 == 0 and bottom < reent and reent + size <= bottom + extent, seen
        assert charge != reent and usable >= size, seen       # its charge, a heap block


@pytest.mark.parametrize("name", ["timer", "tidle0", "tshell"])
def test_a_wild_write_into_a_system_threads_stack_faults_at_the_store(board, build_module,
                                                                       faulty, name):
    system = board.kernel.system.find(name)
    before = board.memory.read(system.stack, system.stack_size) if system else None
    result = contained(board, build_module, faulty("xstack"), "sys", name)
    message = _fault_line(result)
    writer = result.fault.report.module
    assert message.startswith(writer + ": mem manage fault (DACCVIOL"), message
    assert "(stack of system thread '%s')" % name in message, message
    assert "the write went through" not in result.output
    if system is not None:
        assert board.memory.read(system.stack, system.stack_size) == before


def test_threads_of_one_module_share_their_locals(board, build_module, faulty):
    result = contained(board, build_module, faulty("xstack"), "share")
    assert (result.exit_code, result.fault) == (0, None), result
    assert result.output == "shared 42\n"


def test_the_kernel_fills_a_blocked_receivers_locals_of_another_module(board, build_module,
                                                                       faulty):
    result = contained(board, build_module, faulty("xstack"), "ipc", faulty("xstackv"))
    assert (result.exit_code, result.fault) == (0, None), result
    assert "worker mb 0 0x1234 mq 6 'hello' event 0 0x4 sentinel intact\n" in result.output, \
        result.output


def test_every_modules_stack_is_writable_again_between_runs(board, build_module, faulty):
    contained(board, build_module, faulty("xstack"), "other", faulty("xstackv"))
    # only system threads' stacks stay read-only: no module code runs on them
    assert [thread.module for thread in board.kernel.stackprot.closed] == [None, None]
    # a host call runs no module's code on a stack the kernel closed
    result = board.exec(faulty("xstack"), "share")
    assert (result.exit_code, result.fault) == (0, None), result


@pytest.mark.parametrize("case,where", [
    ("other /xstackv.mo", "(stack of thread 'worker' of module 'xstackv')"),
    ("argv /xstackv.mo", "(argument vector of thread 'xstackv' of module 'xstackv')"),
    ("reent /xstackv.mo", "(libc state (struct _reent) of thread 'worker' of module 'xstackv')"),
    ("sys tidle0", "(stack of system thread 'tidle0')"),
])
@pytest.mark.parametrize("runtime", ["cpython", "micropython"])
def test_rtdl_run_reports_the_wild_stack_write_in_one_line(tmp_path, faulty, firmware, runtime,
                                                           case, where):
    shutil.copy(faulty("xstack"), str(tmp_path / "xstack.mo"))
    shutil.copy(faulty("xstackv"), str(tmp_path / "xstackv.mo"))
    env = dict(os.environ, RTDL_FIRMWARE=firmware)
    result = subprocess.run([sys.executable, "-m", "rtdl.cli", "run", "--runtime", runtime,
                             "--root", str(tmp_path), str(tmp_path / "xstack.mo")]
                            + case.split(), capture_output=True, text=True, timeout=300,
                            env=env)
    assert result.returncode == 139, result
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result
    assert lines[0].startswith("rtdl run: error: xstack: mem manage fault (DACCVIOL"), lines
    assert where in lines[0], lines
    if "xstackv" in case:
        assert "sentinel intact" in result.stdout, result


@pytest.mark.parametrize("runtime", ["cpython", "micropython"])
def test_rtdl_run_fills_the_blocked_receivers_locals_under_both_runtimes(tmp_path, faulty,
                                                                         firmware, runtime):
    shutil.copy(faulty("xstack"), str(tmp_path / "xstack.mo"))
    shutil.copy(faulty("xstackv"), str(tmp_path / "xstackv.mo"))
    env = dict(os.environ, RTDL_FIRMWARE=firmware)
    result = subprocess.run([sys.executable, "-m", "rtdl.cli", "run", "--runtime", runtime,
                             "--root", str(tmp_path), str(tmp_path / "xstack.mo"), "ipc",
                             "/xstackv.mo"],
                            capture_output=True, text=True, timeout=300, env=env)
    assert (result.returncode, result.stderr) == (0, ""), result
    assert "worker mb 0 0x1234 mq 6 'hello' event 0 0x4 sentinel intact\n" in result.stdout, \
        result


def test_a_hold_taken_or_dropped_changes_at_once_which_stacks_a_module_may_write(
        board, build_module, faulty, firmware):
    library = board.load(faulty("xstlib", lib=True))
    result = board.exec(faulty("xhstack"), timeout=5)
    # holding xstlib, the program stores into its thread's local at once; closed, not
    message = _fault_line(result)
    assert result.output == "held store 7\n", result.output
    assert re.search(r"write of 4 bytes at 0x[0-9a-f]{8} \(stack of thread 'lworker' of "
                     r"module 'xstlib'\)", message), message
    board.heap.check()
    # the library stays loaded, its worker as it was (a resident of the run: Board.exec)
    assert board.kernel.modules == [library]
    assert [thread.name for thread in board.kernel.threads] == ["lworker"]
    board.run()                      # its 50-tick wait ends, and so does the worker
    # the heap holds what the library alone leaves once its worker has ended
    alone = Board(firmware)
    alone.load(faulty("xstlib", lib=True))
    alone.run()
    assert board.heap.info()[1] == alone.heap.info()[1]
    after = board.exec(build_module("hello.c"))
    assert (after.exit_code, after.fault, after.output) == (0, None, "Hello, world\n")
