"""Symbol binding: 1,000 imports looked up among 5,000 exports in an RTMSymTab laid out in
target memory, through the kernel's symbol table (symtab.KernelSymbols, which the linker
uses), against a linear scan comparing each name, as RT-Thread's dlmodule_symbol_find does."""
import struct

from common import best, row

from rtdl_device import symtab

KEY = "symbols"


class ByteMemory:
    """The `memory` interface over a bytearray at address `base`."""

    def __init__(self, size, base=0x20000000):
        self.data = bytearray(size)
        self.base = base

    def read(self, addr, size):
        off = addr - self.base
        return bytes(self.data[off:off + size])

    def write(self, addr, data):
        off = addr - self.base
        self.data[off:off + len(data)] = data

    def read32(self, addr):
        return struct.unpack_from("<I", self.data, addr - self.base)[0]

    def write32(self, addr, value):
        struct.pack_into("<I", self.data, addr - self.base, value & 0xFFFFFFFF)


def run(ctx):
    exports = 500 if ctx.tiny else 5000
    imports = 100 if ctx.tiny else 1000
    names = ["rt_export_%05d_%s" % (i, "abcdefgh"[i % 8] * (i % 13)) for i in range(exports)]
    memory = ByteMemory(exports * 48 + 0x1000)
    table = memory.base
    strings = table + 8 * exports
    for i, name in enumerate(names):
        raw = name.encode() + b"\0"
        memory.write(strings, raw)
        memory.write(table + 8 * i, struct.pack("<II", 0x1000 + 4 * i, strings))
        strings += len(raw)
    wanted = [names[(i * 7919) % exports] for i in range(imports)]
    built, kernel = best(lambda: symtab.KernelSymbols(memory, table, table + 8 * exports), 1)
    rtdl, found = best(lambda: [kernel.find(name) for name in wanted], ctx.runs)
    table_names = [(name.encode(), 0x1000 + 4 * i) for i, name in enumerate(names)]

    def linear():
        out = []
        for name in wanted:
            key = name.encode()
            for entry, addr in table_names:
                if entry == key:
                    out.append(addr)
                    break
        return out
    scan, scanned = best(linear, ctx.runs)
    assert found == scanned
    return row(KEY, "symbol binding, %d imports / %d exports" % (imports, exports),
               rtdl * 1e3, "ms", scan * 1e3, "linear strcmp scan", rtdl / scan)
