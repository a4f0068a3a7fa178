"""rtdl_device: rtdl's device side, MicroPython-compatible and frozen with mpy-cross.

RT-Thread's dlmodule and dlfcn and everything under them: the ELF reader, the relocation
table, the loader, the small-memory heap in target memory, the kernel with its SVC services and
msh. Modules import each other relatively and otherwise only MicroPython built-ins; never
unicorn, pyelftools or host code. See port/modules/README.md.
"""
