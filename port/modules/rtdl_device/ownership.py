"""Which module owns a heap block: a block allocated by a call whose return address lies in a
module's image belongs to that module and is freed when the module is destroyed (RT-Thread
leaks it); allocations libc makes on its own behalf belong to the system. Also remembers the
memalign blocks that free() must release with free_align.

It also keeps the owned blocks as a sorted list of their start addresses with their ends
(`owned_at`), so the out-pointer check of svc_args.py finds the owner of an address by a
binary search instead of a walk of the heap: it is on the path of every service that writes.
Imports: struct.
"""
import struct


def floor_index(sorted_list, value):
    """The index of the last item <= value in a sorted list, or -1 (MicroPython has no
    bisect module)."""
    lo, hi = 0, len(sorted_list)
    while lo < hi:
        mid = (lo + hi) // 2
        if sorted_list[mid] <= value:
            lo = mid + 1
        else:
            hi = mid
    return lo - 1


class Ownership:
    def __init__(self, kernel):
        self.kernel = kernel
        self.owners = {}                 # heap block -> module that allocated it
        self.aligned = {}                # memalign blocks, released by free() via free_align
        self.align_blocks = {}           # rt_malloc_align blocks, released by rt_free_align
        self.sites = {}                  # heap block -> return address of its allocation
        self.starts = []                 # owned blocks, sorted (the out-pointer index)
        self.ends = {}                   # owned block -> the end of its payload

    def _extent(self, block):
        """The end of the heap payload `block` lies in, from the heap's own record (an
        aligned block's real block starts at the word stored below it)."""
        heap = self.kernel.heap
        base = block
        if block in self.align_blocks or block in self.aligned:
            base = self.kernel.memory.read32(block - 4)
        raw = heap.shadow.get(base - heap.header_size - heap.begin)
        if raw is None:
            return block
        return heap.begin + struct.unpack_from("<I", raw, 4)[0]

    def _index(self, block):
        if block not in self.ends:
            self.starts.insert(floor_index(self.starts, block) + 1, block)
        self.ends[block] = self._extent(block)

    def _unindex(self, block):
        if block in self.ends:
            del self.ends[block]
            self.starts.pop(floor_index(self.starts, block))

    def resized(self, block):
        """A block that realloc grew or shrank in place."""
        if block in self.ends:
            self.ends[block] = self._extent(block)

    def owned_at(self, addr, size):
        """(block, module) of the owned block holding all of [addr, addr + size), or None."""
        i = floor_index(self.starts, addr)
        if i < 0:
            return None
        block = self.starts[i]
        if addr + size <= self.ends[block]:
            return block, self.owners[block]
        return None

    def owner_of_call(self):
        """The module whose code made the current service call (by its return address).
        Firmware functions that allocate for their caller (link.ld's __rtdl_caller_heap_start
        .. _end: rt_strdup, rt_ringbuffer_create, rt_data_queue_init) run on behalf of the
        running thread's module, so their blocks are that module's, reclaimed with it."""
        lr = self.kernel.cpu.lr()
        module = self.kernel.module_at(lr)
        if module is None:
            addresses = self.kernel.addresses
            if addresses.get("__rtdl_caller_heap_start", 0) <= (lr & ~1) \
                    < addresses.get("__rtdl_caller_heap_end", 0):
                return self.kernel.self_module()
        return module

    def track(self, block):
        """Record `block` (0: none) as the calling module's; returns it."""
        if block:
            module = self.owner_of_call()
            if module is not None:
                self.owners[block] = module
                self.sites[block] = self.kernel.cpu.lr()
                self._index(block)
        return block

    def give(self, block, module):
        self.owners[block] = module
        self._index(block)

    def untrack(self, block):
        if block in self.owners:
            del self.owners[block]
        self._unindex(block)
        if block in self.sites:
            del self.sites[block]

    def owner(self, block):
        return self.owners.get(block)

    def release_block(self, block):
        """Free a block with the call that matches how it was allocated."""
        if block in self.align_blocks:
            del self.align_blocks[block]
            self.kernel.heap.free_align(block)
        elif block in self.aligned:
            del self.aligned[block]
            self.kernel.heap.free_align(block)
        else:
            self.kernel.heap.free(block)

    def reclaim(self, module):
        """Free every block `module` still owns; those it leaked count in module.reclaimed
        (the dlerror() string handed to it is the kernel's own leftover, not a leak)."""
        kernel = self.kernel
        for block in list(self.owners):
            if self.owners[block] is module:
                self.untrack(block)
                if block == kernel._dlerror_block:
                    kernel._dlerror_block = 0
                else:
                    module.reclaimed += 1
                self.release_block(block)
