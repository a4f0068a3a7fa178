"""Heap services: the rt_malloc family, newlib's memalign and malloc_usable_size, and the
heap's usage numbers. A block belongs to the module whose code allocated it (ownership.py).
Imports: rterror.
"""
from .rterror import HeapError, ModuleFault


class HeapServices:
    def __init__(self, kernel):
        self.kernel = kernel

    def handlers(self):
        return (("rt_malloc", self.malloc),
                ("rt_free", self.free),
                ("rt_realloc", self.realloc),
                ("rt_calloc", self.calloc),
                ("rt_malloc_align", self.malloc_align),
                ("rt_free_align", self.free_align),
                ("__rtdl_memalign", self.memalign),
                ("__rtdl_malloc_usable_size", self.usable_size),
                ("__rtdl_memory_info", self.memory_info))

    def _checked(self, fn, *args):
        """A heap call with a bad pointer is the calling thread's fault."""
        try:
            return fn(*args)
        except HeapError as error:
            current = self.kernel.current
            raise ModuleFault("%s: %s" % (current.name if current else "kernel",
                                          error.message))

    def malloc(self, args):
        return self.kernel.ownership.track(self.kernel.heap.malloc(args[0]))

    def free(self, args):
        ownership = self.kernel.ownership
        if args[0]:
            ownership.untrack(args[0])
            self._checked(ownership.release_block, args[0])
        return 0

    def realloc(self, args):
        ownership = self.kernel.ownership
        module = ownership.owner(args[0])
        block = self._checked(self.kernel.heap.realloc, args[0], args[1])
        if block != args[0]:
            if block or args[1] == 0:
                ownership.untrack(args[0])
            if block:
                if module is not None:
                    ownership.give(block, module)
                else:
                    ownership.track(block)
        return block

    def calloc(self, args):
        return self.kernel.ownership.track(self.kernel.heap.calloc(args[0], args[1]))

    def malloc_align(self, args):
        return self.kernel.heap.malloc_align(args[0], args[1])

    def free_align(self, args):
        if args[0]:
            self._checked(self.kernel.heap.free_align, args[0])
        return 0

    def memalign(self, args):
        # newlib's memalign result is released with free(): remember which ones need free_align
        ownership = self.kernel.ownership
        block = self.kernel.heap.malloc_align(args[1], args[0])
        if block:
            ownership.aligned[block] = True
        return ownership.track(block)

    def usable_size(self, args):
        return self.kernel.heap.usable_size(args[0]) if args[0] else 0

    def memory_info(self, args):
        total, used, max_used = self.kernel.heap.info()
        for ptr, value in ((args[0], total), (args[1], used), (args[2], max_used)):
            if ptr:
                self.kernel.memory.write32(ptr, value)
        return 0
