"""The board's memory map and the `memory` interface over unicorn's address space.

CPython only. May import: unicorn, the standard library.
"""
import ctypes
import struct

from unicorn import UC_PROT_ALL, UC_PROT_READ, UC_PROT_WRITE

from .memory_map import FLASH_BASE, FLASH_SIZE, RAM_BASE, RAM_SIZE

__all__ = ("FLASH_BASE", "FLASH_SIZE", "RAM_BASE", "RAM_SIZE", "FLUSH_EVERY", "UnicornMemory")
FLUSH_EVERY = 32          # module unloads between flushes of the translated-code cache
# Thread stacks (and the kernel stack) live in a region of their own, one slot each: the stack
# at the top of its slot, the slot's lower half never mapped. A frame of up to STACK_GAP bytes
# that jumps below its stack lands in unmapped memory and faults at once, so no frame smaller
# than twice the whole RAM reaches the heap or another stack. Cortex-M's external-RAM range.
STACK_REGION_BASE = 0x60000000
STACK_SLOT = 2 * 1024 * 1024
STACK_GAP = STACK_SLOT // 2
STACK_SLOTS = 256


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
        self.stack_region = (STACK_REGION_BASE, STACK_REGION_BASE + STACK_SLOT * STACK_SLOTS)
        self.stack_gap = STACK_GAP
        self._slot_mapped = {}        # slot -> bytes mapped at its top (kept: unmapping
        self._slots_free = list(range(STACK_SLOTS))  # flushes unicorn's translated code)
        self._splits = set()      # addresses where mem_protect split the RAM mapping
        self.cpu = None           # the board's cpu (its run count), once it has one
        self._clean_runs = None   # cpu.runs when the ranges in _clean were invalidated
        self._clean = []
        self._flushed_runs = None  # cpu.runs at the last flush of every translated block
        self._direct = []         # (start, end, host buffer) of the pieces map_ram backs itself
        self.held = None          # the board's HeldModes (fault-driven mode switching)

    def map_ram(self, cuts=(), direct=(0, 0)):
        """Map the RAM in pieces cut at `cuts` (the edges of pages protect() will change):
        unicorn splits a mapping whose part changes access by copying the whole of it and
        mapping it anew, about 1 ms for this RAM in every boot, where pieces mapped apart
        from the start cost microseconds. A cut is a split like protect()'s (invalidate).
        Each piece in `direct` (start, end, ...: cuts) is backed by a buffer of the board's,
        which the kernel's writes there go to directly: unicorn's own write into a read-only
        page unprotects and protects it again, 9 us, where the kernel writes _impure_ptr
        (on the read-only firmware-variable pages) at every thread switch (libcstate.py), and
        the system reent's errno (on libc's read-only pages) at a switch to a system thread."""
        inside = sorted(set(cut for cut in cuts if self.ram_start < cut < self.ram_end))
        start = self.ram_start
        direct = [tuple(direct[i:i + 2]) for i in range(0, len(direct), 2)]
        for end in inside + [self.ram_end]:
            if (start, end) in direct:
                buffer = ctypes.create_string_buffer(end - start)
                self.uc.mem_map_ptr(start, end - start, UC_PROT_ALL, ctypes.addressof(buffer))
                self._direct.append((start, end, buffer))
            else:
                self.uc.mem_map(start, end - start, UC_PROT_ALL)
            start = end
        self._splits.update(inside)

    def stack_alloc(self, size):
        """A stack of at least `size` bytes in the stack region: its lowest address, with at
        least stack_gap unmapped bytes below it, or 0 when every slot is taken. A slot keeps
        its mapping when freed; one mapped for another size is remapped to this size, so
        nothing mapped lies below a stack."""
        page = self.page_size
        size = (size + page - 1) // page * page
        if size > STACK_SLOT - STACK_GAP or not self._slots_free:
            return 0
        chosen = None
        for slot in self._slots_free:
            mapped = self._slot_mapped.get(slot, 0)
            if mapped == size:
                chosen = slot
                break
            if chosen is None or (mapped == 0 and self._slot_mapped.get(chosen, 0)):
                chosen = slot
        self._slots_free.remove(chosen)
        top = STACK_REGION_BASE + (chosen + 1) * STACK_SLOT
        mapped = self._slot_mapped.get(chosen, 0)
        if mapped != size:
            if mapped:
                self.uc.mem_unmap(top - mapped, mapped)
            self.uc.mem_map(top - size, size, UC_PROT_ALL)
            self._slot_mapped[chosen] = size
        return top - size

    def stack_free(self, bottom):
        slot = (bottom - STACK_REGION_BASE) // STACK_SLOT
        if slot not in self._slots_free:
            self._slots_free.append(slot)
            self._slots_free.sort()

    def protect(self, addr, size, writable):
        """Make whole pages read-only or writable again (the MPU of a real board)."""
        self.uc.mem_protect(addr, size, UC_PROT_ALL if writable else UC_PROT_ALL & ~UC_PROT_WRITE)
        self._splits.add(addr)
        self._splits.add(addr + size)

    def retire(self, addr, size):
        """Pages of freed module code: read-only and not executable until the heap hands
        them out again (imageprot.py), their translated code dropped at once (unicorn
        checks a page's permissions only when it translates)."""
        self.set_access(addr, size, UC_PROT_READ)
        self._remove_cache(addr, size)

    def set_access(self, addr, size, perms):
        """Whole pages to unicorn permissions `perms` (heldmodes.py: also not executable)."""
        self.uc.mem_protect(addr, size, perms)
        self._splits.add(addr)
        self._splits.add(addr + size)

    def drop_code(self, addr, size):
        """Drop the translated code of [addr, addr + size) at once (its pages stopped being
        executable: unicorn checks that only when it translates)."""
        self._remove_cache(addr, size)

    def held_modes(self, plan):
        """The kernel's plan of mode switching for the running module (None: none), see
        heldmodes.py; the board sets `held` (a HeldModes) once it has one."""
        if self.held is not None:
            self.held.install(plan)

    def read(self, addr, size):
        return bytes(self.uc.mem_read(addr, size))

    def write(self, addr, data):
        for direct in self._direct:
            if direct[0] <= addr and addr + len(data) <= direct[1]:
                ctypes.memmove(ctypes.addressof(direct[2]) + addr - direct[0], bytes(data),
                               len(data))
                return
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
        for direct in self._direct:
            if direct[0] <= addr and addr + 4 <= direct[1]:
                struct.pack_into("<I", direct[2], addr - direct[0], value & 0xFFFFFFFF)
                return
        self.uc.mem_write(addr, struct.pack("<I", value & 0xFFFFFFFF))

    def flush_code_cache(self):
        """Drop every translated block and reuse the code buffer: ctl_remove_cache only marks
        blocks invalid, so unicorn's buffer (and the host's RSS) would keep growing with
        each module loaded; the kernel calls this when the last module has gone. Only every
        FLUSH_EVERY-th call flushes: retranslating the firmware after every run would cost
        a third of a short run, and the growth in between stays bounded (~50 KiB)."""
        self._unloads += 1
        if self._unloads % FLUSH_EVERY != 0:
            return
        cpu = self.cpu
        runs = None if cpu is None else cpu.quiet_runs
        if runs is not None and self._flushed_runs == runs:
            return               # no code ran since the last flush: nothing was translated
        self.uc.ctl_flush_tb()
        if runs is not None:
            self._flushed_runs = self._clean_runs = runs   # nothing translated anywhere
            self._clean = [(0, 1 << 32)]

    def invalidate(self, addr, size):
        """Drop the translated code of [addr, addr + size). Only running target code
        translates any (cpu.runs counts the runs): a range already invalidated since the last
        run holds none, so reloading a module that never ran costs no call into unicorn."""
        # while code runs (a service loads a module) it may translate the range at once
        cpu = self.cpu
        runs = None if cpu is None else cpu.quiet_runs
        if runs is None or runs != self._clean_runs:
            self._clean_runs = runs
            self._clean = []
        end = addr + size
        for start, stop in self._clean:
            if start <= addr and end <= stop:
                return
        self._remove_cache(addr, size)
        if runs is not None:
            self._clean.append((addr, end))
            if len(self._clean) > 16:
                del self._clean[0]

    def _remove_cache(self, addr, size):
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
