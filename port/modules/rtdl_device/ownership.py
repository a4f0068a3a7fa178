"""Which module owns a heap block: a block allocated by a call whose return address lies in a
module's image belongs to that module and is freed when the module is destroyed (RT-Thread
leaks it); allocations libc makes on its own behalf belong to the system. Also remembers the
memalign blocks that free() must release with free_align.
Imports nothing.
"""


class Ownership:
    def __init__(self, kernel):
        self.kernel = kernel
        self.owners = {}                 # heap block -> module that allocated it
        self.aligned = {}                # memalign blocks, released by free() via free_align
        self.align_blocks = {}           # rt_malloc_align blocks, released by rt_free_align
        self.sites = {}                  # heap block -> return address of its allocation

    def owner_of_call(self):
        """The module whose code made the current service call (by its return address)."""
        return self.kernel.module_at(self.kernel.cpu.lr())

    def track(self, block):
        """Record `block` (0: none) as the calling module's; returns it."""
        if block:
            module = self.owner_of_call()
            if module is not None:
                self.owners[block] = module
                self.sites[block] = self.kernel.cpu.lr()
        return block

    def give(self, block, module):
        self.owners[block] = module

    def untrack(self, block):
        if block in self.owners:
            del self.owners[block]
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
