"""`rtdl sdk`: modules built by plain make with rtdl.mk, by CMake with rtdl-toolchain.cmake and
from rtua.py's variables are the modules `rtdl build` makes - byte for byte - and run and verify.

Byte equality is the honest bar: the compiler writes only the source's base name into a module
(no debug information is generated), so the same source and flags give the same file whatever
the build directory, object names or include path spelling.
"""
import importlib.util
import json
import os
import shutil
import subprocess
import sys

import pytest

from rtdl import build
from rtdl.build import build_module

MODULES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "modules")
SOURCES = ("hello.c", "lib.c", "cxx_hello.cpp")

pytestmark = pytest.mark.skipif(shutil.which("arm-none-eabi-gcc") is None
                                or shutil.which("make") is None,
                                reason="arm-none-eabi-gcc or make not installed")
needs_cmake = pytest.mark.skipif(shutil.which("cmake") is None,
                                 reason="cmake not installed (make setup installs it)")

USER_MAKEFILE = """\
include ../sdk/rtdl.mk
all: hello.mo lib.so cxx_hello.mo again.mo
$(eval $(call rtdl_program,again,hello.c))
"""

USER_CMAKELISTS = """\
cmake_minimum_required(VERSION 3.13)
project(modules C CXX)
include(${RTDL_SDK_DIR}/rtdl.cmake)
add_executable(hello hello.c)
rtdl_add_module(cxx_hello SOURCES cxx_hello.cpp)
rtdl_add_module(lib LIBRARY SOURCES lib.c)
"""


def rtdl(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "rtdl.cli"] + [str(a) for a in args],
                          capture_output=True, text=True, timeout=120, cwd=cwd)


def run_tool(cmd, cwd):
    proc = subprocess.run(cmd, cwd=str(cwd), capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, "%s failed:\n%s%s" % (cmd, proc.stdout, proc.stderr)
    return proc.stdout


def project(root, text, name):
    """root/name with a copy of the test sources and the user's own build file."""
    root.mkdir()
    for src in SOURCES:
        shutil.copy(os.path.join(MODULES, src), str(root / src))
    (root / name).write_text(text)
    return root


@pytest.fixture(scope="module")
def sdk(tmp_path_factory):
    top = tmp_path_factory.mktemp("sdk")
    result = rtdl("sdk", top / "sdk")
    assert result.returncode == 0, result.stderr
    return top / "sdk"


@pytest.fixture(scope="module")
def reference(sdk):
    """What `rtdl build` makes from the very same source files."""
    ref = sdk.parent / "ref"
    ref.mkdir()
    src = project(sdk.parent / "src", "", "unused")
    return {"hello.mo": build_module([src / "hello.c"], ref / "hello.mo"),
            "lib.so": build_module([src / "lib.c"], ref / "lib.so", lib=True),
            "cxx_hello.mo": build_module([src / "cxx_hello.cpp"], ref / "cxx_hello.mo")}


@pytest.fixture(scope="module")
def made(sdk):
    proj = project(sdk.parent / "make", USER_MAKEFILE, "Makefile")
    run_tool(["make"], proj)
    return proj


@pytest.fixture(scope="module")
def cmade(sdk):
    proj = project(sdk.parent / "cmake", USER_CMAKELISTS, "CMakeLists.txt")
    run_tool(["cmake", "-DCMAKE_TOOLCHAIN_FILE=%s" % (sdk / "rtdl-toolchain.cmake"),
              "-S", ".", "-B", "out"], proj)
    run_tool(["cmake", "--build", "out"], proj)
    return proj / "out"


def load_rtua(sdk):
    spec = importlib.util.spec_from_file_location("rtua", str(sdk / "rtua.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def assert_runs_and_verifies(module, firmware, output="Hello, world\n"):
    result = rtdl("run", "--root", os.path.dirname(str(module)), module,
                  "--firmware", firmware)
    assert (result.returncode, result.stdout, result.stderr) == (0, output, "")
    checked = rtdl("verify", module, "--firmware", firmware)
    assert checked.returncode == 0, checked.stdout + checked.stderr


# --------------------------------------------------------------------------- make

@pytest.mark.parametrize("name", ["hello.mo", "lib.so", "cxx_hello.mo"])
def test_make_builds_what_rtdl_build_builds(made, reference, name):
    assert (made / name).read_bytes() == reference[name].read_bytes()


def test_make_macro_with_its_own_name_builds_the_same_program(made, reference):
    assert (made / "again.mo").read_bytes() == reference["hello.mo"].read_bytes()


def test_make_hello_runs_and_verifies(made, firmware):
    assert_runs_and_verifies(made / "hello.mo", firmware)


def test_make_library_loads_and_links(made, firmware):
    from rtdl import Board
    board = Board(firmware)
    lib = board.load(str(made / "lib.so"))
    assert board.call(lib, "add_func", 2, 3) == 5
    assert rtdl("verify", made / "lib.so", "--firmware", firmware).returncode == 0


def test_make_cxx_program_runs_its_destructors(made, firmware):
    with open(os.path.join(MODULES, "expected", "cxx_hello.txt")) as f:
        expected = f.read()
    assert_runs_and_verifies(made / "cxx_hello.mo", firmware, expected)


def test_second_make_is_up_to_date_and_leaves_no_temporaries(made):
    assert subprocess.run(["make", "-q"], cwd=str(made)).returncode == 0
    assert not list(made.glob("*.tmp"))
    assert (made / "rtdl-obj" / "hello.c.o").is_file()


def test_including_the_fragment_keeps_the_users_default_goal(made):
    out = run_tool(["make", "-n", "-B"], made)
    assert "again.mo.tmp" in out                  # `all`, not the __dso_handle object alone


def test_a_failed_strip_leaves_no_module_to_take_as_up_to_date(sdk, tmp_path):
    proj = project(tmp_path / "make", "include %s/rtdl.mk\n" % sdk, "Makefile")
    failed = subprocess.run(["make", "hello.mo", "RTDL_STRIP=false"], cwd=str(proj),
                            capture_output=True, text=True)
    assert failed.returncode != 0
    assert "false -R .hash hello.mo.tmp" in failed.stdout      # linked, then the strip failed
    assert not (proj / "hello.mo").exists()
    run_tool(["make", "hello.mo"], proj)                  # and the next make builds it
    assert (proj / "hello.mo").is_file()


# --------------------------------------------------------------------------- CMake

@needs_cmake
@pytest.mark.parametrize("name", ["hello.mo", "lib.so", "cxx_hello.mo"])
def test_cmake_builds_what_rtdl_build_builds(cmade, reference, name):
    assert (cmade / name).read_bytes() == reference[name].read_bytes()


@needs_cmake
def test_cmake_hello_runs_and_verifies(cmade, firmware):
    assert_runs_and_verifies(cmade / "hello.mo", firmware)


# --------------------------------------------------------------------------- rtua.py

def test_rtua_has_rt_threads_layout_and_rtdl_builds_flags(sdk):
    rtua = load_rtua(sdk)
    assert rtua.GetCPPPATH("bsp", "rtt") == [str(sdk / "include")]
    assert rtua.GetCPPDEFINES() == list(build.MODULE_DEFINES)
    composed = (rtua.M_CFLAGS.split() + ["-D" + d for d in rtua.GetCPPDEFINES()]
                + ["-I" + p for p in rtua.GetCPPPATH()])
    assert composed == build.compile_flags(firmware_include=rtua.CPPPATH[0])
    assert rtua.M_LFLAGS.split() == build.link_flags()
    assert rtua.M_LFLAGS_LIB.split() == build.link_flags(lib=True)
    headers = sorted(p.name for p in build.FIRMWARE_INCLUDE.glob("*.h"))
    assert sorted(os.listdir(rtua.CPPPATH[0])) == headers
    for name in headers:
        assert (sdk / "include" / name).read_bytes() == (build.FIRMWARE_INCLUDE / name).read_bytes()


def test_steps_from_rtua_variables_build_what_rtdl_build_builds(sdk, reference, tmp_path):
    rtua = load_rtua(sdk)
    src = sdk.parent / "src" / "hello.c"
    obj, out = tmp_path / "hello.o", tmp_path / "hello.mo"
    gcc = build.DEFAULT_PREFIX + "gcc"
    run_tool([gcc] + rtua.M_CFLAGS.split() + ["-D" + d for d in rtua.GetCPPDEFINES()]
             + ["-I" + p for p in rtua.GetCPPPATH()] + ["-c", str(src), "-o", str(obj)], tmp_path)
    run_tool([gcc] + rtua.M_LFLAGS.split() + [str(obj), "-o", str(out)], tmp_path)
    run_tool(rtua.M_POST_ACTION.replace("$TARGET", str(out)).split(), tmp_path)
    assert out.read_bytes() == reference["hello.mo"].read_bytes()


# --------------------------------------------------------------------------- options, directory

def test_other_core_and_level_reach_every_build_system(tmp_path):
    assert rtdl("sdk", tmp_path / "sdk", "--cpu", "cortex-m0", "-O", "s").returncode == 0
    text = (tmp_path / "sdk" / "rtdl.mk").read_text()
    cflags = build.compile_flags("cortex-m0", "s", firmware_include="$(RTDL_SDK)/include")
    assert "RTDL_CFLAGS = %s\n" % " ".join(cflags) in text
    assert "RTDL_LDFLAGS_LIB = %s\n" % " ".join(build.link_flags("cortex-m0", lib=True)) in text
    assert load_rtua(tmp_path / "sdk").M_CFLAGS.startswith("-mcpu=cortex-m0 ")
    proj = project(tmp_path / "make", "include ../sdk/rtdl.mk\n", "Makefile")
    run_tool(["make", "hello.mo"], proj)
    ref = build_module([proj / "hello.c"], tmp_path / "ref.mo", cpu="cortex-m0", opt="s")
    assert (proj / "hello.mo").read_bytes() == ref.read_bytes()


def test_writing_again_changes_nothing(sdk):
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in sdk.rglob("*") if p.is_file()}
    assert rtdl("sdk", sdk).returncode == 0
    after = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in sdk.rglob("*") if p.is_file()}
    assert after == before


def test_a_users_directory_is_refused_then_forced_without_losing_its_files(tmp_path):
    own = tmp_path / "work" / "notes.txt"
    own.parent.mkdir()
    own.write_text("mine\n")
    refused = rtdl("sdk", own.parent)
    assert refused.returncode == 1
    assert refused.stderr == ("rtdl sdk: error: %s is not empty and not an rtdl SDK "
                              "(use --force to write into it)\n" % own.parent)
    assert sorted(os.listdir(own.parent)) == ["notes.txt"]
    assert rtdl("sdk", own.parent, "--force").returncode == 0
    assert own.read_text() == "mine\n" and (own.parent / "rtdl.mk").is_file()
    assert rtdl("sdk", own.parent).returncode == 0          # now it is an SDK


@pytest.mark.parametrize("args, message", [
    (["--cpu", "cortex-m4 -DX"], "invalid --cpu 'cortex-m4 -DX'"),
    (["-O", "9"], "invalid optimisation level '9'"),
    (["--float-abi", "hard", "--cpu", ""], "invalid --cpu ''"),
])
def test_bad_options_are_one_line(tmp_path, args, message):
    result = rtdl("sdk", tmp_path / "sdk", *args)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.startswith("rtdl sdk: error: " + message)
    assert result.stderr.count("\n") == 1
    assert not (tmp_path / "sdk").exists()


def test_a_file_in_the_way_is_named(tmp_path):
    (tmp_path / "sdk").write_text("")
    result = rtdl("sdk", tmp_path / "sdk")
    assert result.returncode == 1
    assert result.stderr == "rtdl sdk: error: %s exists and is not a directory\n" % (tmp_path / "sdk")


def test_a_file_an_earlier_sdk_wrote_and_this_one_does_not_is_removed(tmp_path):
    sdk = tmp_path / "sdk"
    assert rtdl("sdk", sdk).returncode == 0
    marker = json.loads((sdk / "rtdl-sdk.json").read_text())
    marker["files"].append("include/dropped.h")               # as if the firmware had it once
    (sdk / "rtdl-sdk.json").write_text(json.dumps(marker))
    (sdk / "include" / "dropped.h").write_text("")
    (sdk / "include" / "users.h").write_text("")               # never the SDK's: stays
    assert rtdl("sdk", sdk).returncode == 0
    assert not (sdk / "include" / "dropped.h").exists()
    assert (sdk / "include" / "users.h").exists()
