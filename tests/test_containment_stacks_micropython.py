"""The stack faults of tests/test_containment_stacks.py and test_containment.py under
`--runtime micropython`: the device side on real MicroPython allocates its thread stacks in
the board's stack region across the bridge (rtdl_device.bridge_stacks), so a frame that jumps
below its stack - a 12 KiB array or alloca, one store 16 KiB down - faults in the unmapped gap
at once, with the same fault line and exit code as under CPython, the heap as before the
module and a normal module running afterwards. A constructor's fault or timeout there is a
fault of the module too (139, 124), not a failed load."""
import os
import re
import shutil
import subprocess
import sys

import pytest

import mpy_node
from test_containment import faulty  # noqa: F401  (the fixture)

# (file in /bin, source, defines, argv, what the fault line says)
THREAD = "stack overflow in thread '%s': write to 0x6[0-9a-f]{7} below its 8192-byte stack"
KERNEL = (r"bus fault \(PRECISERR, precise data bus error\) in %s\+0x[0-9a-f]+ in its "
          r"constructors \(on the kernel stack\): write of \d bytes at 0x6[0-9a-f]{7} "
          r"\(guard page: kernel stack overflow\)")
CASES = [
    ("stack_jump", "stack_jump", [], ["array"], THREAD % "stack_ju"),
    ("stack_jump", "stack_jump", [], ["alloca"], THREAD % "stack_ju"),
    ("stack_store", "stack_store", [], [], THREAD % "stack_st"),
    ("sj_ctor", "stack_jump", ["IN_CTOR"], [], KERNEL % "sj_ctor"),
    ("ss_ctor", "stack_store", ["IN_CTOR"], [], KERNEL % "ss_ctor"),
]
IDS = ["array", "alloca", "store", "ctor_array", "ctor_store"]


@pytest.fixture(scope="module")
def root(tmp_path_factory, build_module, faulty, firmware):  # noqa: F811
    mpy_node.node()
    top = tmp_path_factory.mktemp("device")
    os.mkdir(str(top / "bin"))
    shutil.copy(build_module("hello.c"), str(top / "bin" / "hello.mo"))
    for name, source, defines, _, _ in CASES:
        shutil.copy(faulty(source, defines), str(top / "bin" / (name + ".mo")))
    shutil.copy(faulty("ctor_loop"), str(top / "bin" / "ctor_loop.mo"))
    return top


def rtdl(firmware, *args):
    return subprocess.run([sys.executable, "-m", "rtdl.cli"] + [str(a) for a in args],
                          env=dict(os.environ, RTDL_FIRMWARE=firmware), capture_output=True,
                          timeout=180)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_a_frame_jumping_below_its_stack_faults_alike_under_both_runtimes(root, firmware,
                                                                         case):
    name, _, _, argv, what = case
    module = root / "bin" / (name + ".mo")
    results = dict((rt, rtdl(firmware, "run", "-v", "--root", root, "--runtime", rt, module,
                             *argv)) for rt in ("cpython", "micropython"))
    mpy = results["micropython"]
    assert mpy.returncode == 139, mpy.stderr.decode()
    assert b"survived" not in mpy.stdout
    lines = mpy.stderr.decode().splitlines()
    assert re.match(r"rtdl run: %s exited with 139; heap \d+/" % name[:8], lines[0]), lines
    assert re.match("rtdl run: error: %s: %s" % (name[:8], what), lines[1]), lines
    # the same line, address and all: the stacks lie where the CPython runtime puts them
    cpython = results["cpython"]
    assert cpython.returncode == 139
    assert cpython.stderr.decode().splitlines()[:2] == lines[:2]


def test_the_heap_is_as_before_and_the_next_module_runs(root, firmware):
    faults = "; ".join("%s %s; free" % (name, " ".join(argv)) for name, _, _, argv, _ in CASES)
    script = "free; %s; hello; free" % faults
    sessions = {}
    for runtime in ("cpython", "micropython"):
        result = rtdl(firmware, "shell", "--root", root, "--runtime", runtime, "-c", script)
        assert result.stderr == b"", result.stderr.decode()
        sessions[runtime] = result.stdout.decode()
    out = sessions["micropython"]
    used = re.findall(r"used memory : (\d+)\n", out)
    assert len(used) == len(CASES) + 2 and len(set(used)) == 1, out
    for name, _, _, _, what in CASES:
        assert re.search("^%s: %s" % (name[:8], what), out, re.M), (name, out)
    assert "survived" not in out and "Hello, world\n" in out
    assert out == sessions["cpython"]


def test_a_constructor_out_of_time_is_a_timeout_of_the_module_not_a_failed_load(root,
                                                                                 firmware):
    # the fault's kind crosses the bridge with it: exit 124 as under CPython
    results = [rtdl(firmware, "run", "--timeout", "0.5", "--root", root, "--runtime", rt,
                    root / "bin" / "ctor_loop.mo") for rt in ("cpython", "micropython")]
    assert [r.returncode for r in results] == [124, 124], results[1].stderr.decode()
    assert results[1].stderr == results[0].stderr
    assert results[1].stderr.startswith(b"rtdl run: error: ctor_loo (in its constructors")
