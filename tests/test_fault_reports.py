"""Fault reports in the words of RT-Thread's Cortex-M fault handler (issue 9, item 10;
port/rtdl_board/fault_report.py): one module run per fault kind (tests/modules/fault_kinds.c,
argv[1] picks the fault, each in a function of its own) checks the exception, its cause, the
thread, the module, the function and its offset, the registers of the API result and
`rtdl run -v`'s dump; the exit codes stay 139."""
import os
import re
import subprocess
import sys

import pytest

from rtdl import Board

# argv[1] -> (exception, cause bit, function named in the report, what the detail says)
KINDS = {
    "null_write": ("mem manage fault", "DACCVIOL", "null_write",
                   "write of 4 bytes at 0x00000000 (read-only memory)"),
    "unmapped_read": ("bus fault", "PRECISERR", "unmapped_read",
                      "read of 4 bytes at 0x30000000 (unmapped memory)"),
    "undefined": ("usage fault", "UNDEFINSTR", "undefined", "undefined instruction 0xde00"),
    "arm_state": ("usage fault", "INVSTATE", "null_write", "with bit 0 clear (no ARM state)"),
    "bad_jump": ("bus fault", "IBUSERR", None,
                 "instruction fetch of 2 bytes at 0x70000000 (unmapped memory)"),
    "xn_jump": ("mem manage fault", "IACCVIOL", None,
                "instruction fetch at 0x40001000 (an execute-never region of the Cortex-M "
                "memory map)"),
    "breakpoint": ("hard fault", "DEBUGEVT", "breakpoint", "CPU exception 7 (EXCP_BKPT)"),
}


# the jumps to where no code is: (pc, the function that jumped)
JUMPS = {"bad_jump": (0x70000000, "bad_jump"), "xn_jump": (0x40001000, "xn_jump")}


@pytest.fixture(scope="module")
def program(tmp_path_factory):
    from rtdl.build import build_module
    source = os.path.join(os.path.dirname(os.path.abspath(__file__)), "modules",
                          "fault_kinds.c")
    return str(build_module([source], tmp_path_factory.mktemp("faults") / "fault_kinds.mo"))


def function_offset(program, name, address, base):
    """The offset of `address` in function `name`, from the module's own .dynsym."""
    symbols = subprocess.run(["arm-none-eabi-nm", "-D", program], capture_output=True,
                             text=True, check=True).stdout
    value = int(re.search(r"^([0-9a-f]+) [TtRr] %s$" % name, symbols, re.M).group(1), 16)
    return address - base - (value & ~1)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_each_fault_is_reported_with_its_kind_thread_module_and_function(firmware, program,
                                                                         kind):
    exception, cause, function, detail = KINDS[kind]
    board = Board(firmware)
    before = board.heap_info()[1]
    result = board.exec(program, kind)
    assert result.exit_code == 139 and result.fault.kind == "fault", result
    assert result.output == "fault_kinds: %s\n" % kind
    report = result.fault_report
    assert (report.exception, report.cause) == (exception, cause)
    assert (report.module, report.thread) == ("fault_ki", "fault_ki")
    message = str(result.fault)
    assert "\n" not in message
    assert message.startswith("fault_ki: %s (%s, " % (exception, cause)), message
    assert "on thread 'fault_ki': " in message and detail in message, message
    base = result.module.mem_space
    if function is None:
        # the pc is nowhere: the report names the caller from lr
        target, caller = JUMPS[kind]
        assert report.function is None and report.pc == target
        offset = function_offset(program, caller, report.lr & ~1, base)
        assert report.caller == "%s+0x%x" % (caller, offset)
        assert "in 0x%08x (called from %s+0x%x)" % (target, caller, offset) in message
    else:
        offset = function_offset(program, function, report.pc & ~1, base)
        assert 0 <= offset < 64
        assert report.function == "%s+0x%x" % (function, offset)
        assert " in %s+0x%x on thread" % (function, offset) in message
    assert result.registers["pc"] == report.pc and set(result.registers) == set(
        ["r%d" % i for i in range(13)] + ["sp", "lr", "pc", "psr"])
    assert result.registers["psr"] & (1 << 24) or cause == "INVSTATE"    # Thumb state
    assert board.heap_info()[1] == before


def test_fault_status_register_and_address_as_rt_thread_prints_them(firmware, program):
    result = Board(firmware).exec(program, "null_write")
    lines = result.fault_report.lines()
    assert lines[0].startswith("psr: 0x")
    assert [l[:4] for l in lines[1:17]] == ["r%02d:" % i for i in range(13)] + [
        " sp:", " lr:", " pc:"]
    assert lines[17:20] == ["mem manage fault:",
                            "SCB_CFSR_MFSR:0x82 DACCVIOL MMARVALID SCB->MMAR:00000000",
                            "hard fault on thread: fault_ki"]
    # the backtrace starts at the faulting function and reaches main, which called it
    assert re.match(r"backtrace: null_write\+0x[0-9a-f]+ <- main\+0x[0-9a-f]+", lines[20])
    bus = Board(firmware).exec(program, "unmapped_read").fault_report.lines()
    assert "SCB_CFSR_BFSR:0x82 PRECISERR BFARVALID SCB->BFAR:30000000" in bus
    usage = Board(firmware).exec(program, "undefined").fault_report.lines()
    assert "SCB_CFSR_UFSR:0x01 UNDEFINSTR" in usage


def test_divide_by_zero_gives_zero_as_on_a_board_without_div_0_trp(firmware, program):
    # CCR.DIV_0_TRP is 0 at reset and unicorn emulates no CCR, so SDIV by 0 returns 0 as on
    # an RT-Thread board that never sets the bit: not a fault (README, "Faults")
    result = Board(firmware).exec(program, "divide_by_zero")
    assert (result.exit_code, result.fault) == (0, None)
    assert result.output == "fault_kinds: divide_by_zero\n100 / 0 = 0\n"


def test_rtdl_run_prints_one_line_and_with_v_the_registers(firmware, program, tmp_path):
    import shutil
    shutil.copy(program, tmp_path / "fault_kinds.mo")
    command = [sys.executable, "-m", "rtdl.cli", "run", "--firmware", firmware, "--root",
               str(tmp_path)]
    quiet = subprocess.run(command + [str(tmp_path / "fault_kinds.mo"), "undefined"],
                           capture_output=True, text=True)
    assert quiet.returncode == 139
    assert quiet.stderr.count("\n") == 1
    assert quiet.stderr.startswith("rtdl run: error: fault_ki: usage fault (UNDEFINSTR, "
                                   "undefined instruction) in undefined+0x")
    verbose = subprocess.run(command + ["-v", str(tmp_path / "fault_kinds.mo"), "undefined"],
                             capture_output=True, text=True)
    assert verbose.returncode == 139
    lines = verbose.stderr.splitlines()
    assert quiet.stderr.splitlines()[0] in lines
    assert "rtdl run: usage fault:" in lines and "rtdl run: SCB_CFSR_UFSR:0x01 UNDEFINSTR" in lines
    assert any(re.match(r"rtdl run:  pc: 0x[0-9a-f]{8}$", l) for l in lines)
    assert any(l.startswith("rtdl run: backtrace: undefined+0x") for l in lines)
