"""Heap services: the rt_malloc family, newlib's memalign and malloc_usable_size, and the
heap's usage numbers. A block belongs to the module whose code allocated it (ownership.py).
With the strict heap check on (heapstrict.py), a module's malloc/calloc/realloc blocks get
redzones, poisoned contents and a quarantine when freed.
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

    def _who(self):
        kernel = self.kernel
        if kernel.current is not None:
            return kernel.current.who()
        module = kernel.ownership.owner_of_call() or kernel.initializing
        return module.name if module is not None else "kernel"

    def _fault(self, service, message):
        raise ModuleFault("%s: %s: %s" % (self._who(), service, message))

    def _enter(self, service):
        """Every free/realloc first checks the heap's headers (allocations do not: the walk
        would cost every malloc a pass over the heap): damage a module did since the last
        one is repaired and reported as the caller's fault; the module's end checks too."""
        damage = self.kernel.heap_damage()
        if damage is not None:
            self._fault(service, damage)

    def _checked(self, service, fn, *args):
        """A heap call with a bad pointer is the calling thread's fault."""
        try:
            return fn(*args)
        except HeapError as error:
            self._fault(service, error.message)

    def _freeable(self, service, ptr):
        """A module may free its own blocks and libc's, never the kernel's."""
        kernel = self.kernel
        kind = kernel.kernel_block_kind(ptr)
        if kind is None:
            for thread in kernel.threads:
                if ptr and ptr == thread.reent:      # in its stack slot, or a block of it
                    kind = "the libc state (struct _reent) of thread '%s'" % thread.name
                elif ptr in thread.blocks:
                    kind = "a block of thread '%s'" % thread.name
        if kind is not None:
            self._fault(service, "0x%08x is %s, which a module may not free"
                        % (ptr, kind))

    # ------------------------------------------------------ strict mode (heapstrict) ----
    def _strict(self, service):
        """The strict heap check when it is on and a module's code made this call (libc's
        own blocks are not instrumented), after checking every block it watches."""
        strict = getattr(self.kernel, "heap_strict", None)
        if strict is None or self.kernel.ownership.owner_of_call() is None:
            return None
        problem = strict.problem()
        if problem is not None:
            self._fault(service, problem)
        return strict

    def _strict_free(self, strict, service, ptr):
        """Free a strict block into the quarantine; False when `ptr` is not one."""
        if ptr not in strict.live:
            freed = strict.freed(ptr)
            if freed is not None:
                self._fault(service, "0x%08x is already free (double free of the %d-byte "
                            "block 0x%08x allocated at %s)"
                            % (ptr, freed[0], ptr, strict.site_text(freed[1])))
            return False
        self._enter(service)
        found = strict.free(ptr, self.kernel.ownership, self.kernel.ownership.owner_of_call())
        if found is not True:
            self._fault(service, found)
        return True

    def _strict_realloc(self, strict, ptr, size):
        memory = self.kernel.memory
        new = strict.malloc(size, self.kernel.ownership) if size else 0
        if new and ptr:
            old = strict.size_of(ptr)
            memory.write(new, memory.read(ptr, min(old, size)))
        if ptr and (new or not size):
            self._strict_free(strict, "rt_realloc", ptr)
        return new

    # ------------------------------------------------------------------ services -------
    def malloc(self, args):
        strict = self._strict("rt_malloc")
        if strict is not None:
            return strict.malloc(args[0], self.kernel.ownership)
        return self.kernel.ownership.track(self.kernel.heap.malloc(args[0]))

    def free(self, args):
        ownership = self.kernel.ownership
        strict = self._strict("rt_free") if args[0] else None
        if strict is not None and self._strict_free(strict, "rt_free", args[0]):
            return 0
        if args[0]:
            self._enter("rt_free")
            self._freeable("rt_free", args[0])
            if args[0] in ownership.align_blocks:
                self._fault("rt_free", "0x%08x comes from rt_malloc_align (expected "
                            "rt_free_align)" % args[0])
            self._checked("rt_free", ownership.release_block, args[0])
            ownership.untrack(args[0])
        return 0

    def realloc(self, args):
        ownership = self.kernel.ownership
        strict = self._strict("rt_realloc")
        if strict is not None and (args[0] == 0 or args[0] in strict.live):
            return self._strict_realloc(strict, args[0], args[1])
        self._enter("rt_realloc")
        if args[0]:
            self._freeable("rt_realloc", args[0])
        module = ownership.owner(args[0])
        block = self._checked("rt_realloc", self.kernel.heap.realloc, args[0], args[1])
        if block and block == args[0]:
            ownership.resized(block)        # grown or shrunk in place
        elif block != args[0]:
            if block or args[1] == 0:
                ownership.untrack(args[0])
            if block:
                if module is not None:
                    ownership.give(block, module)
                else:
                    ownership.track(block)
        return block

    def calloc(self, args):
        if args[0] and args[1] and args[0] * args[1] > 0xFFFFFFFF:
            return 0                     # the size does not fit in a size_t: RT_NULL
        strict = self._strict("rt_calloc")
        if strict is not None:
            block = strict.malloc(args[0] * args[1], self.kernel.ownership)
            if block:
                self.kernel.memory.write(block, bytes(args[0] * args[1]))
            return block
        return self.kernel.ownership.track(self.kernel.heap.calloc(args[0], args[1]))

    def malloc_align(self, args):
        block = self._checked("rt_malloc_align", self.kernel.heap.malloc_align, args[0], args[1])
        if block:
            self.kernel.ownership.align_blocks[block] = True
        return self.kernel.ownership.track(block)

    def free_align(self, args):
        ownership = self.kernel.ownership
        if args[0]:
            self._enter("rt_free_align")
            if args[0] not in ownership.align_blocks:
                self._fault("rt_free_align", "0x%08x was not returned by rt_malloc_align (or "
                            "is already freed)" % args[0])
            self._checked("rt_free_align", self.kernel.heap.free_align, args[0])
            del ownership.align_blocks[args[0]]
            ownership.untrack(args[0])
        return 0

    def memalign(self, args):
        # newlib's memalign result is released with free(): remember which ones need free_align
        ownership = self.kernel.ownership
        block = self._checked("memalign", self.kernel.heap.malloc_align, args[1], args[0])
        if block:
            ownership.aligned[block] = True
        return ownership.track(block)

    def usable_size(self, args):
        if not args[0]:
            return 0
        strict = getattr(self.kernel, "heap_strict", None)
        if strict is not None and args[0] in strict.live:
            return strict.size_of(args[0])
        return self._checked("malloc_usable_size", self.kernel.heap.usable_size, args[0])

    def memory_info(self, args):
        total, used, max_used = self.kernel.heap.info()
        for ptr, value, arg in ((args[0], total, "total"), (args[1], used, "used"),
                                (args[2], max_used, "max_used")):
            self.kernel.args.write32(ptr, value, arg)
        return 0
