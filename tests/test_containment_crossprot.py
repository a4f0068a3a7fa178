"""Other modules' images cannot be damaged by a module (issue 10): while its code runs, the
pages of every other loaded module's image are read-only (imageprot.py), so a wild write into
a library's .data, .bss or code, or into another program's .data, is a mem manage fault of the
writer at the store, its line naming whose image it hit. The library itself, a module using
it through its API and the program alongside go on working; the heap is back to its size and
a normal module runs."""
import os
import re
import shutil
import subprocess
import sys

import pytest
from unicorn import UC_PROT_WRITE

from test_containment import faulty  # noqa: F401  (the fixture)


def contained(board, build_module, path, *args, resident=()):
    """Run `path`; nothing of it is left, the heap is back to its size and a normal module
    runs (`resident`: modules loaded before, which stay with their objects)."""
    before = board.heap.snapshot()
    objects = dict(board.kernel.objects)
    result = board.exec(path, *args, timeout=5)
    board.heap.check()
    assert board.heap.snapshot() == before, result
    kernel = board.kernel
    assert kernel.modules == list(resident) and kernel.threads == [], result
    assert kernel.objects == objects, result
    after = board.exec(build_module("hello.c"))
    assert (after.exit_code, after.fault, after.output) == (0, None, "Hello, world\n")
    assert board.heap.snapshot() == before
    return result


@pytest.fixture
def with_library(board, faulty):
    return board, board.load(faulty("intlib", lib=True))


def _fault_line(result):
    assert result.exit_code == 139, result
    return str(result.fault)


def _library_works(board, library, counter):
    """intlib's own functions still write its data (a host call runs no module's code)."""
    assert board.call(library, "lib_add", 2, 3) == 5
    assert board.call(library, "lib_take") == 1
    value = board.call(library, "lib_bump")
    assert value // 100 == counter + 1, value


@pytest.mark.parametrize("case,symbol,section", [
    ("data", "lib_counter", ".data"),
    ("bss", "lib_zero", ".bss"),
    ("text", "lib_add", ".text"),
    ("const", "lib_table", ".rodata"),
])
def test_a_wild_write_into_a_librarys_image_faults_at_the_store(
        with_library, build_module, faulty, case, symbol, section):
    board, library = with_library
    target = board.symbol(library, symbol) & ~1
    if case == "const":
        target = (target + 1024) & ~1023
    before = board.memory.read(target, 4)
    result = contained(board, build_module, faulty("xwrite"), case, resident=[library])
    message = _fault_line(result)
    name = result.fault.report.module
    assert message.startswith(name + ": mem manage fault (DACCVIOL"), message
    assert "on thread '%s'" % name in message, message
    assert "write of 4 bytes at 0x%08x" % target in message, message
    match = re.search(r"\(image of module 'intlib': (\S+)\+0x([0-9a-f]+)\)", message)
    assert match and match.group(1) == section, message
    start = [s for s in board.kernel.modules[0].image.elf.sections if s.name == section][0]
    assert int(match.group(2), 16) == target - library.image.address(start.addr), message
    assert "the write went through" not in result.output
    # the store never happened: nothing to put back
    assert board.memory.read(target, 4) == before
    _library_works(board, library, 5)


def test_a_constructors_wild_write_faults_at_the_store(with_library, build_module, faulty):
    board, library = with_library
    result = contained(board, build_module, faulty("xctor"), resident=[library])
    message = _fault_line(result)
    assert "mem manage fault (DACCVIOL" in message, message
    assert "in its constructors (on the kernel stack)" in message, message
    assert "(image of module 'intlib': .data+0x0)" in message, message
    _library_works(board, library, 5)


def test_a_module_using_the_library_through_its_api_changes_its_data(with_library,
                                                                     build_module, faulty):
    board, library = with_library
    result = contained(board, build_module, faulty("xwrite"), "api", resident=[library])
    assert (result.exit_code, result.fault) == (0, None), result
    assert result.output == "bump 601 702\n"
    _library_works(board, library, 7)


def test_a_module_writes_its_own_data(with_library, build_module, faulty):
    board, library = with_library
    result = contained(board, build_module, faulty("xwrite"), "own", resident=[library])
    assert (result.exit_code, result.fault) == (0, None), result


def test_a_wild_write_into_a_program_running_alongside_faults_the_writer(board, build_module,
                                                                         faulty):
    victim = faulty("xvictim")
    result = contained(board, build_module, faulty("xwrite"), "prog", victim)
    message = _fault_line(result)
    writer = result.fault.report.module
    victim_name = os.path.basename(victim)[:-3]
    assert message.startswith(writer + ": mem manage fault (DACCVIOL"), message
    assert "(image of module '%s': .data+0x" % victim_name in message, message
    # the program alongside was not harmed and ran to its end
    assert "victim 42 1\n" in result.output, result.output
    assert "the write went through" not in result.output


def test_idle_hooks_and_timer_callbacks_write_their_own_modules_data(board, build_module,
                                                                     faulty):
    result = contained(board, build_module, faulty("xhook"), faulty("xvictim"))
    assert (result.exit_code, result.fault) == (0, None), result
    assert "hook 1 timer 1\n" in result.output and "victim 42 1\n" in result.output, \
        result.output


def test_damage_past_the_pages_is_found_at_the_next_switch_as_the_writers_fault(
        board, build_module, faulty):
    # a control block in the heap has no page of its own: the check at the switch to the
    # program alongside finds it, while only the writer had run since the last check
    idle = board.kernel.system.idle
    struct_before = board.memory.read(idle.tcb, 172)
    result = contained(board, build_module, faulty("xwrite"), "tcb", faulty("xvictim"))
    message = _fault_line(result)
    writer = result.fault.report.module if result.fault.report else message.split(":")[0]
    assert message.startswith(writer + ": kernel memory overwritten: thread 'tidle0'"), message
    assert "current_priority (+0x44) was 0x1f, found 0x03" in message, message
    assert "victim 42 1\n" in result.output and "not found" not in result.output, result.output
    assert board.memory.read(idle.tcb, 172) == struct_before


def test_the_pages_are_writable_again_once_the_heap_hands_them_out(with_library, build_module,
                                                                   faulty):
    board, library = with_library
    contained(board, build_module, faulty("xwrite"), "data", resident=[library])
    base, size = library.image.base, library.image.size

    def read_only():
        return [(begin, end) for begin, end, perms in board.uc.mem_regions()
                if begin < base + size and end >= base and not perms & UC_PROT_WRITE]
    assert read_only(), "intlib's code should be read-only while it is loaded"
    board.dlclose(library)
    assert board.kernel.modules == []
    # freed, its code pages stay read-only until the heap hands them out again
    assert read_only()
    block = board.heap.malloc(size)
    assert block and block < base + size and base < block + size
    assert read_only() == []
    board.heap.free(block)
    # a module whose image now lies in those pages writes its own data
    after = board.exec(faulty("xwrite"), "own")
    assert (after.exit_code, after.fault) == (0, None), after


def test_a_write_into_an_unloaded_librarys_pages_is_a_write_into_freed_memory(
        board, build_module, faulty):
    # the program opens the library, keeps a pointer into its constants, closes it (the
    # last user: unloaded) and writes through the pointer
    result = contained(board, build_module, faulty("xwrite"), "stale",
                       faulty("intlib", lib=True))
    message = _fault_line(result)
    assert "mem manage fault (DACCVIOL" in message, message
    assert re.search(r"write of 4 bytes at 0x[0-9a-f]{8} \(freed memory: the image of "
                     r"module 'intlib' until it was unloaded\)", message), message
    assert "the write went through" not in result.output


def test_a_call_into_an_unloaded_librarys_code_faults_at_the_fetch(board, build_module,
                                                                  faulty):
    # the program keeps a pointer to a function of the library, closes it (unloaded) and
    # calls it: its code pages are not executable while they are free heap memory
    result = contained(board, build_module, faulty("xwrite"), "call",
                       faulty("intlib", lib=True))
    message = _fault_line(result)
    assert "mem manage fault (IACCVIOL, instruction access violation)" in message, message
    assert re.search(r"instruction fetch at 0x[0-9a-f]{8} \(freed memory: the code of "
                     r"module 'intlib' until it was unloaded\)", message), message
    assert "the call returned" not in result.output
    # a module loaded where it was runs
    again = board.exec(faulty("xwrite"), "own")
    assert (again.exit_code, again.fault) == (0, None), again


@pytest.mark.parametrize("runtime", ["cpython", "micropython"])
def test_rtdl_run_reports_the_wild_write_in_one_line(tmp_path, faulty, firmware, runtime):
    shutil.copy(faulty("xwrite"), str(tmp_path / "xwrite.mo"))
    shutil.copy(faulty("xvictim"), str(tmp_path / "xvictim.mo"))
    env = dict(os.environ, RTDL_FIRMWARE=firmware)
    result = subprocess.run([sys.executable, "-m", "rtdl.cli", "run", "--runtime", runtime,
                             "--root", str(tmp_path), str(tmp_path / "xwrite.mo"), "prog",
                             "/xvictim.mo"],
                            capture_output=True, text=True, timeout=300, env=env)
    assert result.returncode == 139, result
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result
    assert lines[0].startswith("rtdl run: error: xwrite: mem manage fault (DACCVIOL"), lines
    assert "(image of module 'xvictim': .data+0x0)" in lines[0], lines
    assert "victim 42 1" in result.stdout, result
