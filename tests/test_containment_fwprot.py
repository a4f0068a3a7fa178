"""The firmware's own variables are read-only while modules run (issue 10, item 4): link.ld
puts them (newlib's _impure_ptr, __dso_handle, libc's constants in .data) on pages of their
own, made read-only after boot, so a module's store there faults at the store - a mem manage
fault of the writer naming the variable - and the next module, and libc's state that module
calls write through firmware code, work as before."""
import re
import shutil

import pytest

from cli_run import rtdl_run

from rtdl_device import fwguard
from test_containment import contained, faulty  # noqa: F401  (the fixture)

LIBC_STATE_OUTPUT = ("errno ERANGE\nfopen failed as expected\nrand varies\nstrtok a b\n"
                     "mktime 946684800\nstrftime 1970-01-02\nfprintf 42\n")
STORES = [
    # (argv[1], where the store is, what the fault line names)
    ("impure", r"main\+0x[0-9a-f]+", "firmware data: _impure_ptr"),
    ("dso", r"main\+0x[0-9a-f]+", "firmware data: __dso_handle"),
    ("memset", r"firmware memset\+0x[0-9a-f]+", "firmware data: _impure_ptr"),
]


def fault_line(module, where, size, address, what, on="on thread 'fw_write'"):
    return re.compile(r"%s: mem manage fault \(DACCVIOL, data access violation\) in %s %s: "
                      r"write of %d bytes at 0x%08x \(%s\); pc=0x[0-9a-f]{8} lr=0x[0-9a-f]{8}$"
                      % (module, where, re.escape(on), size, address, re.escape(what)))


def test_the_firmware_variables_are_on_their_own_read_only_pages(board):
    start, end = board.firmware_variables
    page = board.memory.page_size
    assert start == board.firmware_symbols["__data_start"] and end > start
    assert start % page == 0 and end % page == 0
    # every variable the end-of-module check keeps is on them: none is left to the backstop
    kept = [(name, addr) for addr, size, name in board.firmware_protected]
    assert {"_impure_ptr", "__dso_handle"} <= set(name for name, _ in kept)
    assert [name for name, addr in kept if not start <= addr < end] == []
    # libc's and the kernel's state is behind them, writable
    for name in ("environ", "_timezone", "rtdl_system_threads"):
        assert board.firmware_symbols[name] >= end
    assert board.kernel.firmware_variables == (start, end)
    # the kernel's own writes (restore_firmware_data, fwguard) go through the memory
    # interface, which the pages' protection does not bind
    dso = board.firmware_symbols["__dso_handle"]
    board.memory.write32(dso, 0x1234)
    assert board.memory.read32(dso) == 0x1234
    board.memory.write32(dso, 0)


@pytest.mark.parametrize("case,where,what", STORES, ids=[s[0] for s in STORES])
def test_a_store_into_a_firmware_variable_faults_at_the_store(
        board, build_module, faulty, case, where, what):
    name = what.split(": ")[1]
    address = board.firmware_symbols[name]
    value = board.memory.read32(address)
    result = contained(board, build_module, faulty("fw_write"), case)
    assert result.exit_code == 139, result
    assert result.output == "fw_write: %s\n" % case       # nothing after the store ran
    assert fault_line("fw_write", where, 4, address, what).match(str(result.fault)), result.fault
    assert board.memory.read32(address) == value


def test_a_store_on_the_pages_outside_any_variable_says_firmware_data(
        board, build_module, faulty):
    address = board.firmware_symbols["_impure_ptr"] + 0xF00
    result = contained(board, build_module, faulty("fw_write"), "pad")
    assert result.exit_code == 139
    assert fault_line("fw_write", r"main\+0x[0-9a-f]+", 1, address,
                      "firmware data").match(str(result.fault)), result.fault


def test_a_constructor_storing_there_faults_in_its_constructors(board, build_module, faulty):
    address = board.firmware_symbols["__dso_handle"]
    result = contained(board, build_module, faulty("fw_ctor"))
    assert result.exit_code == 139 and result.output == ""
    # (the module's name is its file's stem, which the fixture numbers; static: module+0xNN)
    assert fault_line(r"fw_ctor\d*", r"fw_ctor\d*\+0x[0-9a-f]+", 4, address,
                      "firmware data: __dso_handle",
                      "in its constructors (on the kernel stack)").match(str(result.fault)), \
        result.fault
    assert board.memory.read32(address) == 0


def test_libc_state_module_calls_write_works_before_and_after_such_a_fault(
        board, build_module, faulty):
    libc = build_module("libc_state.c")
    before = board.heap.snapshot()
    first = board.exec(libc)
    assert (first.exit_code, first.fault, first.output) == (0, None, LIBC_STATE_OUTPUT)
    for case in ("impure", "memset", "dso"):
        assert board.exec(faulty("fw_write"), case).exit_code == 139
        after = board.exec(libc)
        assert (after.exit_code, after.fault, after.output) == (0, None, LIBC_STATE_OUTPUT)
    assert board.heap.snapshot() == before


def test_the_end_of_module_check_still_backs_up_writable_pages(board, build_module, faulty):
    # a firmware whose variables stayed writable (another linker script): the module's end
    # still finds the change, puts it back and makes it the module's fault
    start, end = board.firmware_variables
    board.memory.protect(start, end - start, True)
    dso = board.firmware_symbols["__dso_handle"]
    result = contained(board, build_module, faulty("fw_write"), "dso")
    assert result.exit_code == 139, result
    assert result.output == "fw_write: dso\nfw_write: the store did not fault\n", result.fault
    assert str(result.fault) == ("fw_write: firmware data overwritten: __dso_handle at 0x%08x "
                                 "(4 bytes) was 0x00000000, found 0x00000001; the kernel put it "
                                 "back" % dso)
    assert board.memory.read32(dso) == 0
    fwguard.protect_variables(board.kernel, start, end)
    assert board.exec(faulty("fw_write"), "dso").output == "fw_write: dso\n"


@pytest.mark.parametrize("runtime", ["cpython", "micropython"])
def test_rtdl_run_exits_139_with_one_line_naming_the_variable(tmp_path, faulty, firmware,
                                                               runtime):
    if runtime == "micropython":
        import mpy_node
        mpy_node.node()
    shutil.copy(faulty("fw_write"), str(tmp_path / "fw_write.mo"))
    result = rtdl_run(firmware, tmp_path, runtime, tmp_path / "fw_write.mo", "dso")
    assert result.returncode == 139, result
    assert result.stdout == "fw_write: dso\n"
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    assert lines[0].startswith("rtdl run: error: fw_write: mem manage fault (DACCVIOL")
    assert "(firmware data: __dso_handle); pc=" in lines[0]
