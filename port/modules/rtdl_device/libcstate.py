"""Each module thread's own libc state (issue 10): a newlib struct _reent per thread, as an
RTOS port of newlib keeps one per task, so errno, strtok's and rand's state and dtoa's
buffers are the thread's own, and the firmware's global reent (impure_data) is never
written once boot is done: it sits on the read-only firmware-variable pages (link.ld), so a
module's wild store there faults at the store, naming it.

This newlib reaches the running thread's structure through _impure_ptr (it has no
__getreent), so the kernel points _impure_ptr at the reent of the thread it switches to
(enter, from thread_errno's switch: errno is the reent's first word), a write of the
kernel's own that the pages' protection does not bind. A module thread's reent is made
from the firmware's template (impure.c: the shared stdio streams, libc set up) on the
thread's first switch. When its stack is in the board's stack region the reent lives in
that slot too, at its top (stacks.allocate keeps the room), so another module's wild store
into it faults as one into the stack does (stackprot.py); a heap block of the thread is
still taken as its charge and never written, as the stack's and argv's are, so running out
of memory and the heap's accounting are the same on every board. Elsewhere (a module's own
stack, rt_thread_init, or no region) the reent is that heap block itself. Either way it is
on thread.blocks and freed with the stack.
Every other thread - tidle0, tshell, the timer thread, whose callbacks are modules' code
too - and code run outside any thread (constructors, destructors: outside) use the system
reent, libc's writable state that the kernel puts back when the last module has gone.

What libc allocates for a thread's reent (dtoa's Bigints and their free lists) is no
module's block (libc's code asks for it): release frees it when the thread ends, so the
heap is as before. Imports rterror.
"""
from .rterror import HeapError


class LibcState:
    def __init__(self, kernel):
        self.kernel = kernel
        self.pointer = 0         # &_impure_ptr (0: a firmware without per-thread reents)
        self.system = 0          # rtdl_system_reent
        self.template = None     # the bytes a thread's reent starts as
        self.result = 0          # offsetof(struct _reent, _result)
        self.freelist = 0        # offsetof(struct _reent, _freelist)
        self.active = 0          # what _impure_ptr holds

    def keep(self):
        """After boot: the firmware's layout (impure.c rtdl_reent_layout), read once."""
        kernel = self.kernel
        layout = kernel.addresses.get("rtdl_reent_layout")
        pointer = kernel.addresses.get("_impure_ptr")
        if not layout or not pointer:
            return
        memory = kernel.memory
        size, template, system, result, freelist = [memory.read32(layout + 4 * i)
                                                    for i in range(5)]
        self.template = memory.read(template, size)
        self.system, self.result, self.freelist = system, result, freelist
        self.pointer = pointer
        self.active = memory.read32(pointer)

    def select(self, reent):
        """_impure_ptr = reent (when it is not so already)."""
        if reent != self.active and self.pointer:
            self.kernel.memory.write32(self.pointer, reent)
            self.active = reent

    def enter(self, thread):
        """`thread` takes the CPU: libc runs on its reent, made now if it has none yet.
        Returns that reent's address (its errno word), or 0 without per-thread reents."""
        if not self.pointer:
            return 0
        reent = getattr(thread, "reent", 0)
        if not reent and thread.module is not None and not thread.system:
            reent = self._make(thread)       # (tidle0 takes the module of the hook it runs)
        self.select(reent or self.system)
        return self.active

    def outside(self):
        """Code outside any thread runs next (kernel.drive): the system reent, until drive
        selects the errno owner's again."""
        if self.pointer:
            self.select(self.system)

    def _make(self, thread):
        kernel = self.kernel
        block = kernel.heap.malloc(len(self.template))
        if not block:
            return 0             # no memory left: the thread shares the system reent
        thread.blocks.append(block)
        reent = thread.reent_slot or block
        kernel.memory.write(reent, self.template)
        thread.reent = reent
        return reent

    def release(self, thread):
        """`thread` ends: _impure_ptr leaves its reent (freed with its blocks, or with its
        slot) and what libc allocated for it is freed."""
        reent = getattr(thread, "reent", 0)
        if not reent:
            return
        if self.active == reent:
            self.select(self.system)
        thread.reent = 0
        heap = self.kernel.heap
        for block in self.reent_blocks(reent):
            heap.free(block)

    def reent_blocks(self, reent):
        """What libc allocated for the reent at `reent` (dtoa's Bigints: the one it returned
        last and its free lists), libc's blocks only, each once."""
        if not reent:
            return []
        memory = self.kernel.memory
        blocks = []
        result = memory.read32(reent + self.result)
        if result and self.libc_block(result):
            blocks.append(result)
        lists = memory.read32(reent + self.freelist)
        boot = [block[0] for block in self.kernel.firmware_blocks]
        if lists and lists not in blocks and (lists in boot or self.libc_block(lists)):
            if lists not in boot:        # the system reent's lists are boot's, Bigints not
                blocks.append(lists)
            count = self.kernel.heap.usable_size(lists) // 4
            for k in range(count):
                bigint = memory.read32(lists + 4 * k)
                # a chain through each Bigint's first word; a module's wild write could
                # have made one a loop or pointed it anywhere: only libc's blocks, once
                while bigint and bigint not in blocks and self.libc_block(bigint):
                    blocks.append(bigint)
                    bigint = memory.read32(bigint)
        return blocks

    def libc_block(self, addr):
        """`addr` is a used heap block that libc's code allocated after boot: no module's,
        no thread's, not the kernel's, not one of boot (those stay, whoever points at them)."""
        kernel = self.kernel
        try:
            kernel.heap.usable_size(addr)        # checks its header: a used block's payload
        except HeapError:
            return False
        if kernel.ownership.owner(addr) is not None or kernel.kernel_block_kind(addr):
            return False
        for block in kernel.firmware_blocks:
            if block[0] == addr:
                return False
        for thread in kernel.threads:
            if addr in thread.blocks:
                return False
        return True
