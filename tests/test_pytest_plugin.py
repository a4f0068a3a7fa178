"""The pytest plugin as a user meets it: their own test files and C sources in a folder of
their own, run by a separate pytest that finds the plugin through its entry point."""
import os
import re

import pytest

pytest_plugins = ["pytester"]

ADD_C = """
int add(int a, int b) { return a + b; }
"""

GREET_C = """
#include <stdio.h>
#ifndef GREETING
#error "GREETING is defined by the test through rtdl_build's defines"
#endif
int main(int argc, char *argv[])
{
    printf("%s %s\\n", GREETING, argc > 1 ? argv[1] : "nobody");
    return 3;
}
"""

PASSING = """
def test_library(rtdl_build, rtdl_board):
    lib = rtdl_board.load(rtdl_build("add.c", lib=True))
    assert rtdl_board.call(lib, "add", 2, 40) == 42

def test_program(rtdl_build, rtdl_board, tmp_path):
    mo = rtdl_build("greet.c", opt="s", defines=['GREETING="hi"'])
    assert mo.parent == tmp_path and mo.name == "greet.mo"
    result = rtdl_board.exec(mo, "world")
    assert (result.output, result.exit_code) == ("hi world\\n", 3)

def test_each_test_gets_a_fresh_board(rtdl_board):
    from rtdl import Board
    booted = Board(rtdl_board.firmware_path, cpu=rtdl_board.cpu_name).heap_info()
    assert rtdl_board.kernel.modules == [] and rtdl_board.heap_info() == booted
"""

FAILING = """
import pytest

def test_wrong_sum(rtdl_build, rtdl_board):
    lib = rtdl_board.load(rtdl_build("add.c", lib=True))
    rtdl_board.exec(rtdl_build("greet.c", defines=['GREETING="hello"']), "there")
    assert rtdl_board.call(lib, "add", 2, 2) == 5

def test_compile_error(rtdl_build):
    rtdl_build("greet.c")

def test_unknown_flag(rtdl_build):
    with pytest.raises(TypeError) as error:
        rtdl_build("add.c", optimise=2)
    assert str(error.value).startswith("rtdl_build: unknown flag 'optimise' (expected one of ")
    assert "cpu" in str(error.value)
"""

CPU_CHECK = """
import os
import pytest
from elftools.elf.elffile import ELFFile

def arch(path):
    with open(path, "rb") as f:
        return ELFFile(f).get_section_by_name(".ARM.attributes").data()

def test_core(rtdl_build, rtdl_board, rtdl_cpu):
    want = os.environ["EXPECT_CPU"]
    assert rtdl_cpu == want and rtdl_board.cpu_name == want
    mo = rtdl_build("greet.c", defines=['GREETING="on"'])
    assert (b"\\x057E-M\\x00" in arch(mo)) == (want == "cortex-m4")
    assert rtdl_board.exec(mo, want).output == "on %s\\n" % want

@pytest.mark.parametrize("rtdl_cpu", ["cortex-m3", "cortex-m7"], indirect=True)
def test_parametrized_core(rtdl_board, rtdl_cpu):
    assert rtdl_board.cpu_name == rtdl_cpu
"""


def user_project(pytester, test_source):
    """A user's folder: suite/test_mod.py with add.c and greet.c next to it (not in the folder
    pytest runs from, so sources must resolve against the test file). Its own pytest.ini keeps
    the checkout's configuration out of the inner run."""
    pytester.makeini("[pytest]\n")
    suite = pytester.mkdir("suite")
    (suite / "add.c").write_text(ADD_C)
    (suite / "greet.c").write_text(GREET_C)
    (suite / "test_mod.py").write_text(test_source)
    return suite


def test_a_users_tests_build_and_run_their_modules(pytester, firmware):
    user_project(pytester, PASSING)
    result = pytester.runpytest_subprocess("--rtdl-firmware=" + firmware, "-rP", "suite")
    result.assert_outcomes(passed=3)
    assert "rtdl console" not in result.stdout.str()    # only failures get the sections


def test_a_failure_report_shows_console_modules_and_heap(pytester, firmware):
    user_project(pytester, FAILING)
    result = pytester.runpytest_subprocess("--rtdl-firmware=" + firmware, "suite")
    result.assert_outcomes(passed=1, failed=2)
    out = result.stdout.str()
    wrong_sum = out[out.index("_ test_wrong_sum _"):out.index("_ test_compile_error _")]
    sections = re.findall(r"-{3,} rtdl (\w+) -{3,}", wrong_sum)
    assert sections == ["console", "modules", "heap"]
    assert "hello there\n" in wrong_sum
    assert re.search(r"\nadd +INIT +1  0x2[0-9a-f]{7} \d+\n", wrong_sum), wrong_sum
    total, used, peak = (int(n) for n in re.search(
        r"total memory: (\d+)\nused memory : (\d+)\nmaximum allocated memory: (\d+)",
        wrong_sum).groups())
    assert 0 < used <= peak < total
    # A build failure is one failure naming the source, with the compiler's own message.
    compile_error = out[out.index("_ test_compile_error _"):]
    assert re.search(r"rtdl_build: .*greet\.c: compile failed", compile_error)
    assert "GREETING is defined by the test" in compile_error
    assert "rtdl console" not in compile_error        # it used no board
    assert "During handling" not in compile_error


@pytest.fixture(scope="module")
def firmware_cache(tmp_path_factory):
    """One XDG cache for this file's runs, so each core's firmware is built once."""
    return str(tmp_path_factory.mktemp("xdg-cache"))


def test_rtdl_cpu_reaches_the_board_and_the_build(pytester, firmware, firmware_cache,
                                                  monkeypatch):
    user_project(pytester, CPU_CHECK)
    monkeypatch.setenv("XDG_CACHE_HOME", firmware_cache)
    monkeypatch.setenv("EXPECT_CPU", "cortex-m3")
    result = pytester.runpytest_subprocess("--rtdl-cpu=cortex-m3", "suite")
    result.assert_outcomes(passed=3)
    monkeypatch.setenv("EXPECT_CPU", "cortex-m4")
    monkeypatch.setenv("RTDL_FIRMWARE", firmware)
    result = pytester.runpytest_subprocess("suite")
    result.assert_outcomes(passed=3)


def test_without_a_firmware_the_board_boots_one_built_for_its_core(pytester, monkeypatch,
                                                                   firmware_cache):
    suite = user_project(pytester, """
import os

def test_m0(rtdl_build, rtdl_board):
    assert rtdl_board.firmware_path.startswith(os.environ["XDG_CACHE_HOME"])
    mo = rtdl_build("greet.c", defines=['GREETING="m0"'])
    assert rtdl_board.exec(mo).output == "m0 nobody\\n"
""")
    monkeypatch.setenv("RTDL_FIRMWARE", "/no/such/firmware.elf")   # for cortex-m4 only
    monkeypatch.setenv("XDG_CACHE_HOME", firmware_cache)
    result = pytester.runpytest_subprocess("--rtdl-cpu=cortex-m0", str(suite))
    result.assert_outcomes(passed=1)
    cache = os.path.join(firmware_cache, "rtdl", "firmware")
    import rtdl_firmware
    key = rtdl_firmware.cache_key("-mcpu=cortex-m0 -mthumb -mfloat-abi=soft")
    with open(os.path.join(cache, key, "firmware.elf"), "rb") as elf:
        assert b"-mcpu=cortex-m0" in elf.read()   # the compiler's flags, in the debug info


def test_bad_options_are_one_usage_error_each(pytester, tmp_path):
    user_project(pytester, PASSING)
    result = pytester.runpytest_subprocess("--rtdl-firmware=no/such.elf", "suite")
    assert result.ret == 4
    result.stderr.fnmatch_lines(["ERROR: --rtdl-firmware: no/such.elf: no such file "
                                 "(expected a firmware ELF such as firmware_stub builds)"])
    notes = tmp_path / "notes.txt"
    notes.write_text("not a firmware\n")
    result = pytester.runpytest_subprocess("--rtdl-firmware=" + str(notes), "suite")
    assert result.ret == 4
    result.stderr.fnmatch_lines(["ERROR: --rtdl-firmware: %s: not an ELF file *" % notes])
    result = pytester.runpytest_subprocess("--rtdl-cpu=cortex-m99", "suite")
    assert result.ret == 4
    result.stderr.fnmatch_lines(["ERROR: --rtdl-cpu: unknown CPU 'cortex-m99' (expected one "
                                 "of cortex-m0, cortex-m0plus, cortex-m3, *)"])
