"""What the MicroPython-compatibility check (mpy_lint) allows and forbids, as data: the builtin
modules the device side may import, modules forbidden with a reason, and the methods MicroPython
lacks. Imports builtins only.
"""
import builtins

# MicroPython builtin modules the device side may import.
BUILTIN_MODULES = frozenset((
    "struct", "sys", "os", "io", "json", "binascii", "errno", "gc", "micropython", "array",
    "collections", "time", "uctypes", "hashlib", "random", "builtins",
))

# Modules with a specific reason (anything else not allowed gets the generic message).
FORBIDDEN_MODULES = {
    "typing": "typing does not exist on MicroPython",
    "dataclasses": "dataclasses does not exist on MicroPython",
    "enum": "enum does not exist on MicroPython; use integer constants",
    "abc": "abc does not exist on MicroPython",
    "functools": "functools is not a MicroPython builtin",
    "__future__": "__future__ imports are not supported by MicroPython",
    "unicorn": "unicorn is host-only; the device side talks to the board interfaces",
    "elftools": "pyelftools is host-only; use elf32",
}

# Builtin exception classes: MicroPython has no `Exception.__init__` attribute.
BUILTIN_EXCEPTIONS = frozenset(
    name for name in dir(builtins)
    if isinstance(getattr(builtins, name), type) and issubclass(getattr(builtins, name),
                                                                BaseException))

STRUCT_FUNCS = frozenset(("pack", "unpack", "unpack_from", "pack_into", "calcsize"))
MEMORYVIEW_ONLY = frozenset(("cast", "release"))   # flagged on known memoryview objects
NOT_ON_MICROPYTHON = {                              # flagged on any object
    "tobytes": "no .tobytes() on MicroPython (memoryview/array); copy with bytes(view[a:b])",
    "hex": "no .hex() on MicroPython; use binascii.hexlify(b)",
}
