"""Digests of what the device side makes of every test module, to compare across interpreters.

    python tests/portable/agreement.py                                  (CPython)
    node tests/mpy/run_portable.mjs --script tests/portable/agreement.py DATA   (MicroPython)

Each module of portable-data (index.json) is loaded with loader.load_image into a RamMemory
heap at the fixed addresses of testdata, bound to the firmware's exports read by
symtab.KernelSymbols from its flash image, and reported as one line

    DIGEST <file> <sha256 of the image in RAM> <sha256 of its symbol table> <sha256 of the rest>

(the rest: base, size, entry, init/fini arrays, main-thread priority and stack size, weak
imports bound to 0). A module that fails to load gives `ERROR <file> <error>`; the export table
gives `EXPORTS <count> <sha256 of list_symbols>`; the last line is `END <number of modules>`.
tests/test_agreement.py runs this on both interpreters and requires identical output.
"""
import binascii
import hashlib

import harness  # noqa: F401  (sets DATA)
from rtdl_device import loader
import testdata


def sha256_hex(data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    return str(binascii.hexlify(hashlib.sha256(data).digest()), "ascii")


def _words(values):
    return ",".join(["0x%08x" % v for v in values])


def _optional(value):
    return "-" if value is None else "%d" % value


def module_line(facts):
    name = facts["file"]
    memory, heap = testdata.ram_and_heap()
    try:
        image = loader.load_image(testdata.read(name), name, heap, memory,
                                  testdata.kernel_symbols().find)
    except Exception as e:
        return "ERROR %s %s: %s" % (name, type(e).__name__, e)
    in_ram = memory.read(image.base, image.size)
    symbols = ["%s=0x%08x" % (sym, image.symbols[sym]) for sym in image.symbols]
    symbols.sort()
    rest = "base=0x%08x size=%d entry=0x%08x init=%s fini=%s priority=%s stack=%s weak=%s" % (
        image.base, image.size, image.entry, _words(image.init_array), _words(image.fini_array),
        _optional(image.priority), _optional(image.stack_size), ",".join(sorted(image.weak_zero)))
    return "DIGEST %s %s %s %s" % (name, sha256_hex(in_ram), sha256_hex("\n".join(symbols)),
                                   sha256_hex(rest))


def lines():
    table = testdata.kernel_symbols()
    out = ["EXPORTS %d %s" % (len(table.entries), sha256_hex("\n".join(table.list_symbols())))]
    modules = testdata.modules()
    for facts in modules:
        out.append(module_line(facts))
    out.append("END %d" % len(modules))
    return out


def main():
    for line in lines():
        print(line)


if __name__ == "__main__":
    main()
