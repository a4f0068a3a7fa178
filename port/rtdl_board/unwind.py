"""Unwinding the firmware's frames from its DWARF call-frame information (.debug_frame):
which firmware functions a stopped CPU is in, innermost first, up to the module code that
called the outermost one. libcguard asks it whose store libc made into its state.

The table (`describe`) is worked out once per firmware with pyelftools and kept by
firmware_cache: rows (pc, end of its FDE, CFA offset from sp, saved lr's offset from the CFA)
sorted by pc. newlib and the firmware's C code have it; the assembly that has
none (memcpy, strlen) is a leaf, so a frame without a row is taken as such only when it is
the innermost. Anything doubtful - a row missing further out, memory that does not read, too
many frames - ends the walk without an answer, never with a guess.
CPython only. May import: pyelftools, the board's own modules.
"""
import bisect
import io

from . import fault_report
from .memory_map import FLASH_BASE, FLASH_SIZE

MAX_FRAMES = 16
_STACK_WINDOW = 512    # bytes of stack read once per walk: libc's frames are small
_SP, _LR = 13, 14


def describe(data):
    """The unwind rows of the firmware ELF `data` (bytes), [] without .debug_frame: (pc, end
    of its FDE, CFA offset from sp or None for another rule, offset of the saved lr from the
    CFA or None while lr holds it) - all a walk needs, since every frame's CFA is sp-based
    and only the return address is followed."""
    from elftools.dwarf.callframe import FDE
    from elftools.elf.elffile import ELFFile
    elf = ELFFile(io.BytesIO(data))
    if elf.get_section_by_name(".debug_frame") is None:
        return []
    rows = []
    for entry in elf.get_dwarf_info().CFI_entries():
        if not isinstance(entry, FDE):
            continue
        start = entry["initial_location"]
        end = start + entry["address_range"]
        for row in entry.get_decoded().table:
            cfa = row["cfa"]
            lr = row.get(_LR)
            rows.append((row["pc"], end,
                         cfa.offset if cfa.expr is None and cfa.reg == _SP else None,
                         lr.arg if lr is not None and lr.type == "OFFSET" else None))
    rows.sort()
    return rows


class Unwinder:
    def __init__(self, board, rows):
        self.board = board
        self.rows = rows
        self._starts = [row[0] for row in rows]

    def _row(self, pc):
        at = bisect.bisect_right(self._starts, pc) - 1
        if at < 0 or pc >= self.rows[at][1]:
            return None
        return self.rows[at]

    def _stack(self, sp):
        """(sp, bytes) of the stack above sp, read at once (or less where the mapping ends)."""
        for size in (_STACK_WINDOW, 64):
            try:
                return sp, self.board.memory.read(sp, size)
            except Exception:
                continue
        return sp, b""

    def _word(self, addr, stack):
        base, data = stack
        at = addr - base
        if 0 <= at <= len(data) - 4:
            return int.from_bytes(data[at:at + 4], "little")
        try:
            return self.board.memory.read32(addr)
        except Exception:
            return None

    def module_caller(self, sp, lr, pc):
        """(name of the outermost firmware function, its call site in module code) for a CPU
        stopped in firmware code at `pc` with `sp` and `lr`, or None when the walk does not
        reach module code (the kernel's own calls, a thread's entry) or cannot be sure."""
        board = self.board
        pc &= ~1
        stack = self._stack(sp)
        for depth in range(MAX_FRAMES):
            # further out, pc is a return address: the call is just before it
            lookup = pc if depth == 0 else pc - 1
            row = self._row(lookup)
            if row is None:
                if depth or board.firmware_function(lookup) is None:
                    return None
                ret = lr                      # a leaf without a row: lr, sp untouched
            else:
                cfa_offset, lr_offset = row[2], row[3]
                if cfa_offset is None:
                    return None
                cfa = sp + cfa_offset
                if lr_offset is not None:
                    ret = self._word(cfa + lr_offset, stack)
                    if ret is None:
                        return None
                elif depth:
                    return None               # a caller keeps its return address saved
                else:
                    ret = lr
                sp = cfa
            if not ret & 1:
                return None
            if FLASH_BASE <= ret < FLASH_BASE + FLASH_SIZE:
                pc = ret & ~1                 # a firmware caller: one more frame
                continue
            if board.module_at(ret) is not None and fault_report.after_call(board, ret):
                found = board.firmware_function(lookup)
                return (found[0], ret & ~1) if found is not None else None
            return None
        return None
