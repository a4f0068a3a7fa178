"""The firmware a module is verified against: its exports, CPU, float ABI and a replica of its
heap at boot, from a firmware ELF or from `rtdl symtab --format json`."""
import difflib

from rtdl_device import membus
from rtdl_device import rtheap
from rtdl_device.rterror import RtdlError

from rtdl import firmware_info


class Firmware:
    """The firmware modules are verified against, from `firmware_info.describe` (an ELF) or a
    description written by `rtdl symtab --format json`."""

    def __init__(self, facts):
        self.facts = facts
        self.exports = {}
        for entry in facts["exports"]:
            self.exports.setdefault(entry["name"], entry["address"])   # first one wins
        self.names = sorted(self.exports)
        self.cpu = facts["cpu"]
        self.float_abi = facts["float_abi"]
        self.heap_description = facts["heap"]
        if self.heap_description is not None:
            boot_heap(self.heap_description)     # a description that cannot be replayed fails now

    @classmethod
    def from_elf(cls, path=None):
        return cls(firmware_info.describe(path))

    @classmethod
    def from_description(cls, path):
        return cls(firmware_info.load_description(path))

    @property
    def name(self):
        return self.facts["firmware"]

    def resolve(self, name):
        """dlmodule_symbol_find on this firmware: the address, or 0."""
        return self.exports.get(name, 0)

    def close_matches(self, name):
        return difflib.get_close_matches(name, self.names, n=3, cutoff=0.75)

    def heap(self):
        """A fresh replica of the heap at boot (None when unknown)."""
        if self.heap_description is None:
            return None
        return boot_heap(self.heap_description)


def boot_heap(description):
    """The heap at boot rebuilt in a bytearray: the recorded blocks allocated again in address
    order (holes freed afterwards) on RT-Thread's allocator, then compared block by block."""
    start, end = description["start"], description["end"]
    memory = membus.RamMemory(start, end - start)
    heap = rtheap.SmallMemHeap(memory, start, end, description["align"])
    recorded = [tuple(block) for block in description["blocks"]]
    holes = []
    for index, (addr, size, used, owner) in enumerate(recorded):
        if not used and index == len(recorded) - 1:
            break           # the free rest of the heap
        got = heap.malloc(size, owner)
        if got != addr:
            raise RtdlError("heap at boot: block %d (%d bytes at 0x%08x) comes out at 0x%08x "
                            "when replayed (expected the heap as recorded)"
                            % (index, size, addr, got))
        if not used:
            holes.append(got)
    for addr in holes:
        heap.free(addr)
    if [tuple(block) for block in heap.check()] != recorded:
        raise RtdlError("heap at boot: the replayed heap differs from the recorded one")
    return heap
