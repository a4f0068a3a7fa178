"""Thread stacks and control blocks: a stack is charged to the heap as [guard page][canary]
[stack]; on a board with a stack region (memory.stack_alloc) it lives there instead, above an
unmapped gap. The register context a new thread starts from, the canary and stack-pointer
check (every kernel entry and slice end), and freeing it all again.
A module's own stack and struct rt_thread (rt_thread_init) are adopted in place instead.
Imports: struct, tcb, rterror.
"""
import struct

from . import tcb as rt_tcb
from .rterror import HeapError, StackOverflow

STACK_GUARD = 64               # canary bytes at the bottom of every thread stack
_GUARD_WORD = 0xDEADBEEF
TCB_SIZE = rt_tcb.TCB_SIZE      # struct rt_thread
_CANARY = struct.pack("<I", _GUARD_WORD) * (STACK_GUARD // 4)


def stack_block(stack_size, page_size):
    """(size, alignment) of a thread's stack block: [guard page][canary][stack]; alignment 0
    is a plain rt_malloc (no page to protect)."""
    return page_size + STACK_GUARD + stack_size, page_size


def allocate(kernel, thread, args, lr, above=0):
    """Give `thread` its stack, control block and a context that calls its entry with `args`
    and returns to `lr`. Blocks taken before a failure stay on thread.blocks for release.
    With `above`, a stack in the region has that many bytes more above its top: their
    address is returned (0: no stack region, nothing reserved). A module's thread there gets
    room for its libc state too, at the slot's top (libcstate.py), guarded with its stack."""
    memory, heap = kernel.memory, kernel.heap
    # The stack is charged to the heap as RT-Thread charges it (exhaustion is RT_NULL).
    size, page = stack_block(thread.stack_size, memory.page_size)
    stack = heap.malloc_align(size, page) if page else heap.malloc(size)
    if not stack:
        raise HeapError("%s: no memory for a %d-byte thread stack"
                        % (thread.name, thread.stack_size))
    thread.blocks.append(stack)
    thread.stack_block = stack
    thread.aligned_stack = bool(page)
    reent = reent_room(kernel, thread)
    region = in_region(kernel, thread, STACK_GUARD + thread.stack_size + above + reent)
    if region:
        # the heap block stays the stack's charge, never written
        thread.stack = region
        if reent:
            thread.reent_slot = (region + STACK_GUARD + thread.stack_size + above + 7) & ~7
    else:
        # In the heap, a write-protected page stops an overflow before it reaches a heap
        # header (an MPU stack guard on a device); the canary, checked on every kernel
        # entry and slice end, catches a jump over it where there is no protection.
        if page:
            memory.protect(stack, page, False)
            thread.guard = (stack, stack + page)
        thread.stack = stack + page
    memory.write(thread.stack, _CANARY)
    thread.stack_top = (thread.stack + STACK_GUARD + thread.stack_size) & ~7
    tcb = heap.malloc(TCB_SIZE)
    if not tcb:
        raise HeapError("%s: no memory for the thread control block" % thread.name)
    thread.blocks.append(tcb)
    thread.tcb = tcb
    rt_tcb.write(memory, thread, args[0] if args else 0, False)
    # the struct shows the usable stack, [stack_addr, stack_addr + stack_size) below its top,
    # as RT-Thread's does; the canary sits below it
    memory.write32(tcb + rt_tcb.STACK_ADDR, thread.stack + STACK_GUARD)
    rt_tcb.made(memory, thread)
    thread.context = _context(thread, args, lr)
    return thread.stack_top if region and above else 0


def reent_room(kernel, thread):
    """Bytes a module thread's slot keeps for its struct _reent (8-aligned, above argv), or 0:
    a firmware without per-thread reents, or a thread libc runs on the system reent for."""
    template = kernel.libc.template
    if not template or thread.module is None or thread.system:
        return 0
    return len(template) + 8


def in_region(kernel, thread, size):
    """A stack of `size` bytes for `thread` in the board's stack region (its lowest address),
    or 0 where the board has none or no slot is left. Below it lie stack_gap unmapped bytes:
    a frame jumping the bottom faults at once instead of landing in the heap or another
    stack. It is read-only at once if the running module may not write it (stackprot.py)."""
    memory = kernel.memory
    if getattr(memory, "stack_alloc", None) is None:
        return 0
    region = memory.stack_alloc(size)
    if region:
        page = memory.page_size
        thread.region_stack = region
        thread.region_size = (size + page - 1) // page * page
        thread.guard = (region - memory.stack_gap, region)
        kernel.stackprot.made(thread)
    return region


def adopt(kernel, thread, stack, tcb, args, lr):
    """rt_thread_init: the module's own `stack` (thread.stack_size bytes) and struct at `tcb`
    become the thread's; nothing is allocated, so nothing is freed when it ends. Its lowest
    bytes hold the canary (RT-Thread likewise fills a new stack with '#' to check it)."""
    memory = kernel.memory
    thread.stack = stack
    thread.tcb = tcb
    rt_tcb.write(memory, thread, args[0] if args else 0, True)
    rt_tcb.made(memory, thread)
    memory.write(stack, _CANARY)
    thread.stack_size -= STACK_GUARD
    thread.stack_top = (stack + STACK_GUARD + thread.stack_size) & ~7
    thread.context = _context(thread, args, lr)


def _context(thread, args, lr):
    # r0-r12, sp, lr, pc, xpsr (Thumb bit set), then a slot the cpu keeps for itself
    # (the rest of the register file: FPU registers of softfp code)
    regs = [0] * 17 + [None]
    for i in range(len(args)):
        regs[i] = args[i] & 0xFFFFFFFF
    regs[13] = thread.stack_top
    regs[14] = lr | 1
    regs[15] = thread.entry
    regs[16] = 0x01000000
    return regs


def free(kernel, thread):
    """Return the thread's stack, control block and other blocks to the heap."""
    if getattr(thread, "region_stack", 0):
        kernel.stackprot.freed(thread)
        kernel.memory.stack_free(thread.region_stack)
        thread.region_stack = thread.region_size = thread.reent_slot = 0
        thread.guard = None
    if thread.guard is not None:
        kernel.memory.protect(thread.guard[0], thread.guard[1] - thread.guard[0], True)
        thread.guard = None
    for block in thread.blocks:
        if block == thread.stack_block and thread.aligned_stack:
            kernel.heap.free_align(block)
        else:
            kernel.heap.free(block)
    thread.blocks = []


def check(memory, thread, sp=None):
    """Raise StackOverflow when the thread's guard words are damaged or SP is below them."""
    if not thread.stack:
        return
    bottom = thread.stack + STACK_GUARD
    if memory.read(thread.stack, STACK_GUARD) != _CANARY or (sp is not None and sp < bottom):
        raise StackOverflow("%s: stack overflow in thread '%s' (stack of %d bytes at "
                            "0x%08x; raise dlmodule_thread_stacksize)"
                            % (thread.module.name if thread.module else "kernel",
                               thread.name, thread.stack_size, bottom))


def check_entry(memory, thread, sp):
    """The check on every kernel entry: SP below the stack's bottom is an overflow (check
    reports it). A stack with a guard page has its canary read when the thread stops
    (scheduler), not at every call: a write below the canary faults on the guard page
    anyway. A stack without one (adopted, or memory with no page protection) keeps the
    canary read on every entry, its only protection."""
    stack = thread.stack
    if stack and (thread.guard is None or sp < stack + STACK_GUARD):
        check(memory, thread, sp)


def overflow_at(thread, address):
    """The StackOverflow for a fault at `address` inside the thread's guard page, or None."""
    if thread.guard is None or address is None or \
            not thread.guard[0] <= address < thread.guard[1]:
        return None
    return StackOverflow("%s: stack overflow in thread '%s': write to 0x%08x below "
                         "its %d-byte stack (raise dlmodule_thread_stacksize)"
                         % (thread.module.name, thread.name, address, thread.stack_size))
