"""pytest set-up: fixtures that build tests/modules sources and boot boards. rtdl, rtdl_device
and rtdl_board come from the installed distribution (`make setup`: editable)."""
import os
import shutil
import sys

import pytest

collect_ignore = ["portable"]

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

MODULE_SOURCES = os.path.join(ROOT, "tests", "modules")
FIRMWARE = os.path.join(ROOT, "build", "firmware", "firmware.elf")


class ModuleBuilder:
    """Builds tests/modules sources with `rtdl build` once per session and option set."""

    def __init__(self, directory):
        self.directory = directory
        self.cache = {}

    def __call__(self, source, lib=False, **options):
        from rtdl.build import build_module
        key = (source, lib, tuple(sorted(options.items())))
        if key not in self.cache:
            stem, ext = os.path.splitext(source)
            tag = "-".join("%s_%s" % (k, v) for k, v in sorted(options.items())).replace("/", "_")
            suffix = ".so" if lib else (".o" if options.get("relocatable") else ".mo")
            out = os.path.join(self.directory, stem + ("-" + tag if tag else "") + suffix)
            build_module([os.path.join(MODULE_SOURCES, source)], out, lib=lib, **options)
            self.cache[key] = out
        return self.cache[key]


def device_root(top, build_module, programs):
    """A device file system in the folder `top`: each of `programs` (tests/modules stems)
    built into /bin/NAME.mo, and lib.c as /modules/lib.so, where dlopen("lib.so") looks."""
    os.mkdir(os.path.join(str(top), "bin"))
    os.mkdir(os.path.join(str(top), "modules"))
    for name in programs:
        shutil.copy(build_module(name + ".c"), os.path.join(str(top), "bin", name + ".mo"))
    shutil.copy(build_module("lib.c", lib=True), os.path.join(str(top), "modules", "lib.so"))
    return top


@pytest.fixture(scope="session")
def build_module(tmp_path_factory):
    """build_module("hello.c") -> path of the built hello.mo (built once per session)."""
    return ModuleBuilder(str(tmp_path_factory.mktemp("modules")))


@pytest.fixture(scope="session")
def firmware():
    if not os.path.exists(FIRMWARE):
        pytest.fail("%s is missing: run `make firmware` (make test does)" % FIRMWARE)
    return FIRMWARE


@pytest.fixture(scope="session")
def firmware_for_cpu(firmware, tmp_path_factory):
    """firmware_for_cpu("cortex-m0") -> firmware_stub built for that CPU (soft-float, once per
    session), for boards of another CPU model."""
    import subprocess
    built = {}

    def build(cpu):
        if cpu not in built:
            out = str(tmp_path_factory.mktemp("firmware-" + cpu))
            subprocess.run(["make", "-s", "-C", os.path.join(ROOT, "firmware_stub"), "-j4",
                            "BUILD=" + out, "PYTHON=" + sys.executable,
                            "ARCH=-mcpu=%s -mthumb -mfloat-abi=soft" % cpu],
                           check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            built[cpu] = os.path.join(out, "firmware.elf")
        return built[cpu]
    return build


@pytest.fixture
def board(firmware):
    """A freshly booted emulated board."""
    from rtdl import Board
    return Board(firmware)
