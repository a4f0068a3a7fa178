"""Flash a firmware saves by exporting only what its modules import: firmware_stub built with
`EXPORTS=hello.mo` (and with `EXPORTS=` a few typical modules) against the full firmware, sizes
from arm-none-eabi-size. Prints; never asserts.

    .venv/bin/python benchmarks/bench_exports.py [FULL_FIRMWARE]
"""
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

from rtdl.build import build_module

MODULE_SETS = (("hello",), ("hello", "printf_float", "qsort_cb", "div64"))


def flash(elf):
    """(text, data, text + data): .data's initial image is stored in flash too."""
    out = subprocess.run(["arm-none-eabi-size", elf], check=True, stdout=subprocess.PIPE,
                         universal_newlines=True).stdout
    text, data = [int(v) for v in out.splitlines()[1].split()[:2]]
    return text, data, text + data


def main():
    full = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build", "firmware",
                                                              "firmware.elf")
    full_flash = flash(full)[2]
    print("exports: flash (text + data) of firmware_stub built for given modules")
    print("  %-52s %8d bytes" % ("full (all exports/*.list)", full_flash))
    with tempfile.TemporaryDirectory() as tmp:
        for names in MODULE_SETS:
            modules = [os.path.join(tmp, n + ".mo") for n in names]
            for name, module in zip(names, modules):
                if not os.path.exists(module):
                    build_module([os.path.join(ROOT, "tests", "modules", name + ".c")], module)
            build = os.path.join(tmp, "fw-" + "-".join(names))
            subprocess.run(["make", "-s", "-C", os.path.join(ROOT, "firmware_stub"), "-j4",
                            "BUILD=" + build, "PYTHON=" + sys.executable,
                            "EXPORTS=" + " ".join(modules)], check=True,
                           stdout=subprocess.DEVNULL)
            size = flash(os.path.join(build, "firmware.elf"))[2]
            print("  %-52s %8d bytes, %d saved (%.0f%%)"
                  % ("EXPORTS=" + ",".join(n + ".mo" for n in names), size, full_flash - size,
                     100.0 * (full_flash - size) / full_flash))


if __name__ == "__main__":
    main()
