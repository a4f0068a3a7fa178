"""The board's memory map and the `memory` interface over unicorn's address space.

CPython only. May import: unicorn, the standard library.
"""
import struct

from unicorn import UC_PROT_ALL, UC_PROT_WRITE

from .memory_map import FLASH_BASE, FLASH_SIZE, RAM_BASE, RAM_SIZE

__all__ = ("FLASH_BASE", "FLASH_SIZE", "RAM_BASE", "RAM_SIZE", "FLUSH_EVERY", "UnicornMemory")
FLUSH_EVERY = 32          # module unloads between flushes of the translated-code cache


class UnicornMemory:
    """The `memory` interface over the emulator's address space."""

    def __init__(self, uc):
        self.uc = uc
        self.ram_start = RAM_BASE
        self.ram_end = RAM_BASE + RAM_SIZE
        # flash: readable by modules, never written by a service (svc_args.py)
        self.rom_start = FLASH_BASE
        self.rom_end = FLASH_BASE + FLASH_SIZE
        self.page_size = uc.ctl_get_page_size()
        self._unloads = 0
        self._splits = set()      # addresses where mem_protect split the RAM mapping


    def protect(self, addr, size, writable):
        """Make whole pages read-only or writable again (the MPU of a real board)."""
        self.uc.mem_protect(addr, size, UC_PROT_ALL if writable else UC_PROT_ALL & ~UC_PROT_WRITE)
        self._splits.add(addr)
        self._splits.add(addr + size)

    def read(self, addr, size):
        return bytes(self.uc.mem_read(addr, size))

    def write(self, addr, data):
        self.uc.mem_write(addr, bytes(data))

    def read8(self, addr):
        return self.uc.mem_read(addr, 1)[0]

    def read16(self, addr):
        return struct.unpack("<H", self.uc.mem_read(addr, 2))[0]

    def read32(self, addr):
        return struct.unpack("<I", self.uc.mem_read(addr, 4))[0]

    def write8(self, addr, value):
        self.uc.mem_write(addr, bytes((value & 0xFF,)))

    def write16(self, addr, value):
        self.uc.mem_write(addr, struct.pack("<H", value & 0xFFFF))

    def write32(self, addr, value):
        self.uc.mem_write(addr, struct.pack("<I", value & 0xFFFFFFFF))

    def flush_code_cache(self):
        """Drop every translated block and reuse the code buffer: ctl_remove_cache only marks
        blocks invalid, so unicorn's buffer (and the host's RSS) would keep growing with
        each module loaded; the kernel calls this when the last module has gone. Only every
        FLUSH_EVERY-th call flushes: retranslating the firmware after every run would cost
        a third of a short run, and the growth in between stays bounded (~50 KiB)."""
        self._unloads += 1
        if self._unloads % FLUSH_EVERY == 0:
            self.uc.ctl_flush_tb()

    def invalidate(self, addr, size):
        # Translated blocks of code that ran before are cached: drop them over new code.
        # One call per piece of the RAM mapping: unicorn turns the start address into a
        # RAM-block offset and adds `size` to it, which misses the pages past a split once
        # mem_protect (stack guards) has split the mapping into several blocks - stale code
        # then runs (tests/test_coverage_matrix.py). protect() records every split (unicorn
        # never merges them back), so the range is cut exactly there.
        end = addr + size
        cuts = sorted([cut for cut in self._splits if addr < cut < end])
        start = addr
        for cut in cuts:
            self.uc.ctl_remove_cache(start, cut)
            start = cut
        self.uc.ctl_remove_cache(start, end)
