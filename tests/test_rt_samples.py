"""RT-Thread's own kernel samples (tests/rt_samples/kernel-sample/en, vendored unchanged)
build as modules against firmware_stub/include, each with a generated two-line main that
calls the sample's msh entry as msh would and then sleeps while its threads run. The
samples whose services the kernel has today also run and behave as RT-Thread documents;
the rest need static objects, timers, message queues, pools, hooks or signals in the kernel
(issue 9) and are only built here."""
import os
import re
import subprocess

import pytest

from rtdl import Board
from rtdl.build import build_module

SAMPLES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "rt_samples",
                       "kernel-sample", "en")
SOURCES = sorted(f for f in os.listdir(SAMPLES) if f.endswith(".c"))
MAIN = ("#include <rtthread.h>\nextern int %s(void);\n"
        "int main(void)\n{\n    %s();\n    rt_thread_mdelay(%d);\n    return 0;\n}\n")


def entry_of(source):
    with open(os.path.join(SAMPLES, source)) as f:
        return re.search(r"^MSH_CMD_EXPORT\((\w+),", f.read(), re.M).group(1)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("kernel-sample")
    cache = {}

    def build(source, sleep_ms=1000):
        if source not in cache:
            main = out / ("main_" + source)
            main.write_text(MAIN % (entry_of(source), entry_of(source), sleep_ms))
            cache[source] = str(build_module([os.path.join(SAMPLES, source), main],
                                             out / (source[:-2] + ".mo")))
        return cache[source]
    return build


def test_all_sixteen_samples_are_vendored():
    assert len(SOURCES) == 16
    assert os.path.exists(os.path.join(SAMPLES, "..", "LICENSE"))


@pytest.mark.parametrize("source", SOURCES)
def test_sample_builds_unchanged_with_its_msh_command_recorded(built, source):
    path = built(source)
    sections = subprocess.run(["arm-none-eabi-readelf", "-SW", path], capture_output=True,
                              text=True, check=True).stdout
    # MSH_CMD_EXPORT's record (name, desc, func: 12 bytes) is in the module's FSymTab
    size = re.search(r" FSymTab +PROGBITS +\S+ +\S+ +(\S+) ", sections)
    assert size and int(size.group(1), 16) == 12, sections
    # a dynamic symbol: exported, so --gc-sections keeps the record (rtcompiler.h rt_keep)
    symbols = subprocess.run(["arm-none-eabi-nm", "-D", path], capture_output=True, text=True,
                             check=True).stdout
    assert "__fsym___cmd_%s" % entry_of(source) in symbols


def test_dynmem_sample_doubles_allocations_until_the_heap_says_no(built, firmware):
    result = Board(firmware).exec(built("dynmem_sample.c"))
    assert result.exit_code == 0 and result.fault is None, result
    lines = result.output.splitlines()
    failed = lines[-1]
    k = len(lines[:-1]) // 2
    assert failed == "try to get %d byte memory failed!" % (1 << k)
    assert k >= 16      # the 512 KiB SRAM heap gives well over 64 KiB
    for i in range(k):  # a 512-byte-stack thread printing every line
        assert lines[2 * i:2 * i + 2] == ["get memory :%d byte" % (1 << i),
                                          "free memory :%d byte" % (1 << i)]


def test_timeslice_sample_runs_both_equal_priority_threads_to_the_end(built, firmware):
    result = Board(firmware).exec(built("timeslice_sample.c"))
    assert result.exit_code == 0 and result.fault is None, result
    for n in (1, 2):
        counts = [int(m) for m in re.findall(r"^thread %d is running ,thread %d count = (\d+)$"
                                             % (n, n), result.output, re.M)]
        assert counts == list(range(0, 201 + 5, 5))     # stops after the first count > 200
