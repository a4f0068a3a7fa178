"""RT-Thread/rtthread-apps' `cxx` application with its C++ runtime `crt/crt.cpp`
(tests/rt_samples/rtthread-apps, vendored unchanged) builds as one module and runs: crt.cpp
needs RT_ASSERT and rt_malloc/rt_free for operator new/delete."""
import os

from rtdl import Board
from rtdl.build import build_module

CXX = os.path.join(os.path.dirname(os.path.abspath(__file__)), "rt_samples", "rtthread-apps",
                   "cxx")


def test_cxx_app_with_its_crt_builds_and_prints_from_a_class(tmp_path, firmware):
    sources = [os.path.join(CXX, name) for name in ("main.c", "cxx.cpp", "crt/crt.cpp")]
    path = build_module(sources, tmp_path / "cxx.mo")
    result = Board(firmware).exec(str(path))
    assert result.exit_code == 0 and result.fault is None, result
    # Atest() sets A::a to 100 through its setter and prints it with rt_kprintf
    assert result.output == "A::a = %d\n" % 100
