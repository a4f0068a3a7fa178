"""The firmware's exported symbols: RT-Thread's RTMSymTab, read from target memory.

`struct rt_module_symtab { void *addr; const char *name; }` entries (8 bytes, addr first)
between __rtmsymtab_start and __rtmsymtab_end, exactly as `RTM_EXPORT` lays them out.
Lookup keeps RT-Thread's rule (first entry of a name wins) through a dictionary instead of a
linear strcmp scan. Imports: struct, rterror.
"""
import struct

from .rterror import ElfError

_ENTRY_SIZE = 8
_MAX_NAME = 256


def read_cstring(memory, addr, limit=_MAX_NAME):
    """A NUL-terminated string from target memory (read in small chunks)."""
    out = b""
    while len(out) < limit:
        chunk = memory.read(addr + len(out), 32)
        nul = chunk.find(b"\0")
        if nul >= 0:
            return str(out + chunk[:nul], "utf-8")
        out += chunk
    raise ElfError("string at 0x%08x is longer than %d bytes (not NUL-terminated?)" % (addr, limit))


class _NameReader:
    """The names of a table, read from target memory in one piece when they lie close
    together (RTM_EXPORT puts them all in .rodata) instead of one small read per name."""

    _SPAN = 0x10000

    def __init__(self, memory, addresses):
        self.memory = memory
        self.low = self.block = None
        if addresses:
            low, high = min(addresses), max(addresses) + _MAX_NAME
            if high - low <= self._SPAN:
                try:
                    self.block = memory.read(low, high - low)
                    self.low = low
                except Exception:      # the span runs off mapped memory: name by name
                    self.block = None

    def read(self, addr):
        block = self.block
        if block is not None:
            at = addr - self.low
            nul = block.find(b"\0", at, at + _MAX_NAME)
            if nul >= 0:
                return str(block[at:nul], "utf-8")
        return read_cstring(self.memory, addr)


class KernelSymbols:
    """RTMSymTab of the running firmware. `entries` keeps table order (for list_symbols)."""

    def __init__(self, memory, start, end):
        if end < start or (end - start) % _ENTRY_SIZE:
            raise ElfError("RTMSymTab 0x%08x..0x%08x is not a whole number of %d-byte entries"
                           % (start, end, _ENTRY_SIZE))
        raw = memory.read(start, end - start)
        self.entries = []
        self._by_name = {}
        count = len(raw) // _ENTRY_SIZE
        words = struct.unpack("<%dI" % (2 * count), raw) if count else ()
        names = _NameReader(memory, [words[i] for i in range(1, len(words), 2)])
        for i in range(count):
            name = names.read(words[2 * i + 1])
            self.entries.append((name, words[2 * i]))
            if name not in self._by_name:
                self._by_name[name] = words[2 * i]

    def find(self, name):
        """dlmodule_symbol_find: the address, or 0 when the firmware does not export it."""
        return self._by_name.get(name, 0)

    def __contains__(self, name):
        return name in self._by_name

    def names(self):
        return [entry[0] for entry in self.entries]

    def list_symbols(self):
        """msh `list_symbols` output lines."""
        return ["%s => 0x%08x" % (name, addr) for name, addr in self.entries]
