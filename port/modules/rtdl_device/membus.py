"""A bytearray-backed `memory` (see docs/ARCHITECTURE.md) for running the device side with no
emulator: RamMemory(base, size) covers [base, base + size). Little-endian, unsigned; values
written are masked to their width. Any access outside the range raises RtdlError (EFAULT), and
so does a write into a range made read-only with `protect`. `page_size` (default 0: none) is
the protection granularity the kernel sees; with 0 it guards thread stacks by canary alone.
Imports: struct, rterror.
"""

import struct

from .rterror import RtdlError, EFAULT


class RamMemory:
    def __init__(self, base, size, page_size=0):
        if size <= 0:
            raise RtdlError("RamMemory: bad size %d" % size)
        self.ram_start = base
        self.ram_end = base + size
        self.page_size = page_size
        self.rom_start = self.rom_end = base     # no flash: services may read RAM only
        self.data = bytearray(size)
        self._read_only = []     # (start, end) ranges that refuse writes

    def protect(self, addr, size, writable):
        """Make [addr, addr + size) read-only, or writable again (the MPU of a real board)."""
        self._off(addr, size)
        if self.page_size and (addr % self.page_size or size % self.page_size):
            raise RtdlError("RamMemory: protect of %d bytes at 0x%08x is not in whole %d-byte "
                            "pages" % (size, addr, self.page_size))
        end = addr + size
        kept = []
        for start, stop in self._read_only:
            if stop <= addr or start >= end:
                kept.append((start, stop))
            else:
                if start < addr:
                    kept.append((start, addr))
                if stop > end:
                    kept.append((end, stop))
        if not writable:
            kept.append((addr, end))
        self._read_only = kept

    def _writable(self, addr, size):
        off = self._off(addr, size)
        for start, stop in self._read_only:
            if addr < stop and addr + size > start:
                raise RtdlError("RamMemory: write of %d bytes at 0x%08x into read-only "
                                "0x%08x-0x%08x" % (size, addr, start, stop), EFAULT)
        return off

    def _off(self, addr, size):
        off = addr - self.ram_start
        if off < 0 or size < 0 or addr + size > self.ram_end:
            raise RtdlError("RamMemory: access of %d bytes at 0x%08x outside 0x%08x-0x%08x"
                            % (size, addr & 0xFFFFFFFF, self.ram_start, self.ram_end), EFAULT)
        return off

    def read(self, addr, size):
        off = self._off(addr, size)
        return bytes(self.data[off:off + size])

    def write(self, addr, data):
        n = len(data)
        off = self._writable(addr, n)
        self.data[off:off + n] = data

    def read8(self, addr):
        return self.data[self._off(addr, 1)]

    def read16(self, addr):
        return struct.unpack_from("<H", self.data, self._off(addr, 2))[0]

    def read32(self, addr):
        return struct.unpack_from("<I", self.data, self._off(addr, 4))[0]

    def write8(self, addr, value):
        self.data[self._writable(addr, 1)] = value & 0xFF

    def write16(self, addr, value):
        struct.pack_into("<H", self.data, self._writable(addr, 2), value & 0xFFFF)

    def write32(self, addr, value):
        struct.pack_into("<I", self.data, self._writable(addr, 4), value & 0xFFFFFFFF)

    def invalidate(self, addr, size):
        pass

    def flush_code_cache(self):
        pass                     # nothing is translated: the code is only bytes here
