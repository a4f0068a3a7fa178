"""A bytearray-backed `memory` (see docs/ARCHITECTURE.md) for running the device side with no
emulator: RamMemory(base, size) covers [base, base + size). Little-endian, unsigned; values
written are masked to their width. Any access outside the range raises RtdlError (EFAULT).
"""

import struct

from .rterror import RtdlError, EFAULT


class RamMemory:
    def __init__(self, base, size):
        if size <= 0:
            raise RtdlError("RamMemory: bad size %d" % size)
        self.ram_start = base
        self.ram_end = base + size
        self.data = bytearray(size)

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
        off = self._off(addr, n)
        self.data[off:off + n] = data

    def read8(self, addr):
        return self.data[self._off(addr, 1)]

    def read16(self, addr):
        return struct.unpack_from("<H", self.data, self._off(addr, 2))[0]

    def read32(self, addr):
        return struct.unpack_from("<I", self.data, self._off(addr, 4))[0]

    def write8(self, addr, value):
        self.data[self._off(addr, 1)] = value & 0xFF

    def write16(self, addr, value):
        struct.pack_into("<H", self.data, self._off(addr, 2), value & 0xFFFF)

    def write32(self, addr, value):
        struct.pack_into("<I", self.data, self._off(addr, 4), value & 0xFFFFFFFF)

    def invalidate(self, addr, size):
        pass
