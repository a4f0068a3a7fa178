"""The board's stack region across the bridge: the `memory` interface of
bridge_memory.BridgeMemory with stack_alloc, stack_free and stack_gap, served by the unicorn
board's own stack region (rtdl_board.memory.UnicornMemory), so thread stacks sit above
stack_gap unmapped bytes under --runtime micropython as under CPython (stacks.py). Mapping a
slot changes the board's address space, which only the board can do: an allocation is one
round trip, a free is queued.
Imports: struct, bridge, bridge_memory.
"""
import struct

from . import bridge, bridge_memory


class StackRegionMemory(bridge_memory.BridgeMemory):
    """BridgeMemory whose board has a stack region with `stack_gap` unmapped bytes below each
    stack (board_info's "stack_gap")."""

    def __init__(self, link, ram_start, ram_end, page_size, stack_gap):
        super().__init__(link, ram_start, ram_end, page_size)
        self.stack_gap = stack_gap

    def stack_alloc(self, size):
        """The lowest address of a stack of at least `size` bytes, or 0 (no slot left)."""
        op, body = self.link.request(bridge.OP_STACK_ALLOC, struct.pack("<I", size))
        if op != bridge.OP_DATA:
            raise bridge.BridgeError("unexpected answer 0x%02x to a stack allocation" % op)
        bottom = struct.unpack("<I", body)[0]
        if bottom:
            # the board may have remapped the slot (fresh zeros): its cached pages are stale
            low = bottom - self.stack_gap
            high = bottom + size + self.page_size
            for base in [b for b in self.pages if low <= b < high]:
                del self.pages[base]
        return bottom

    def stack_free(self, bottom):
        self.link.post(bridge.OP_STACK_FREE, struct.pack("<I", bottom))
