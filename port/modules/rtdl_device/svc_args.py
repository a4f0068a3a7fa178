"""Checked access to target memory for services: the ONE layer through which a service reads
the strings and buffers and writes the out-pointers a module hands it (issue 10).

A pointer a module passes is the module's claim, not the kernel's: every read is checked to
lie in memory the module may read (flash or RAM the board maps), every string to end with a
NUL within a bound, and every write to land in RAM a module may write - never flash (the
firmware's code), never the firmware's data/bss, never a heap header, a free block or a kernel
block (a module's struct, a thread's control block or guard page, an IPC control block).
A violation raises ModuleFault naming the caller, the service, the argument and the address,
as EFAULT would; bytes that are not UTF-8 are kept as escapes, never an exception.

Usage from a service handler (kernel.args is the ServiceArgs of the kernel; the kernel sets
the service's name before calling the handler):
    name = kernel.args.string(args[0], "name")           # str, "" for NULL if allow_null
    data = kernel.args.buffer(args[0], args[1], "buf")    # bytes
    kernel.args.write32(args[1], value, "value")          # out-pointer (NULL: skipped)
Imports: services, rterror, stacks.
"""
from . import services
from .rterror import ModuleFault
from .stacks import STACK_GUARD

STRING_LIMIT = 256             # longest name or path a service reads (RT-Thread: PATH_MAX)
_CHUNK = 64


def text(raw):
    """bytes -> str: UTF-8 as it is, any other byte as a \\xNN escape (no exception)."""
    try:
        return str(raw, "utf-8")
    except (UnicodeError, ValueError):
        return "".join([chr(c) if 32 <= c < 127 and c != 92 else "\\x%02x" % c for c in raw])


class ServiceArgs:
    def __init__(self, kernel):
        self.kernel = kernel
        # the service being run: its number (set by Kernel.service on every call) or a name
        self.current = "kernel"

    @property
    def service(self):
        """The name of the service being run ("kernel" outside any), for reports."""
        current = self.current
        if isinstance(current, int):
            return services.SERVICES[current][0]
        return current

    @service.setter
    def service(self, name):
        self.current = name

    # ----------------------------------------------------------------- reporting ------
    def fault(self, arg, addr, what):
        kernel = self.kernel
        who = kernel.current.who() if kernel.current is not None else (
            kernel.initializing.name if kernel.initializing is not None else "kernel")
        raise ModuleFault("%s: %s: argument '%s' (0x%08x) %s" % (who, self.service, arg,
                                                                 addr & 0xFFFFFFFF, what),
                          addr & 0xFFFFFFFF)

    # ----------------------------------------------------------------- the checks -----
    def readable(self, addr, size):
        """Whether [addr, addr + size) is memory a module may read (mapped flash or RAM)."""
        memory = self.kernel.memory
        end = addr + size
        if addr < 0 or size < 0 or end > 0x100000000:
            return False
        for lo, hi in self._regions(memory):
            if lo <= addr and end <= hi:
                return True
        return self._stack_holding(addr, end) is not None

    def _stack_holding(self, addr, end):
        """The thread (or "kernel") whose stack holds [addr, end) when stacks live outside
        RAM (the board's stack region), or None."""
        kernel = self.kernel
        kstack = getattr(kernel, "kernel_stack", None)
        if kstack is not None and kstack[0] <= addr and end <= kstack[1]:
            return "kernel"
        for thread in kernel.threads:
            if thread.stack and thread.stack <= addr and end <= _top(thread):
                return thread
        for thread in kernel.system.threads:       # theirs are there too (systhreads.py)
            if thread.region_stack and thread.stack <= addr and end <= thread.stack_top:
                return thread
        return None

    def _regions(self, memory):
        regions = [(memory.ram_start, memory.ram_end)]
        rom = getattr(memory, "rom_start", None)
        if rom is not None:
            regions.append((rom, memory.rom_end))
        return regions

    def callers(self):
        """The modules a service call acts for: the running thread's module, the module
        whose constructors run, and the module whose code made the call (a library function
        a program called acts for both)."""
        kernel = self.kernel
        found = []
        if kernel.current is not None and kernel.current.module is not None:
            found.append(kernel.current.module)
        if kernel.initializing is not None and kernel.initializing not in found:
            found.append(kernel.initializing)
        if kernel.modules:
            module = kernel.module_at(kernel.cpu.lr())
            if module is not None and module not in found:
                found.append(module)
        return found

    def write_problem(self, addr, size):
        """Why the calling module may not write [addr, addr + size), or None when it may.

        Allowed: the callers' own heap blocks (found through ownership's sorted index, no
        heap walk), their images outside the code, their threads' stacks above the canary,
        the kernel stack while constructors run on it, and blocks no module owns that are
        not the kernel's (libc's buffers, which firmware code hands to services for the
        module). Everything else - flash, the firmware's data/bss, heap headers and free
        blocks, kernel blocks, other modules' blocks, images and stacks - is refused."""
        kernel = self.kernel
        memory = kernel.memory
        end = addr + size
        if addr < 0 or size < 0 or end > 0x100000000:
            return "is not in RAM (flash and unmapped memory are not writable)"
        callers = self.callers()
        owned = kernel.ownership.owned_at(addr, size)
        if owned is not None and owned[1] in callers:
            return None                    # the hot path: the caller's own block
        for module in callers:
            problem = self._own_problem(module, addr, end)
            if problem is not False:
                return problem
        kstack = getattr(kernel, "kernel_stack", None)
        if kstack is not None and kstack[0] <= addr < kstack[1]:
            if end > kstack[1]:
                return "runs past the top of the kernel stack"
            if kernel.current is not None and kernel.initializing is None:
                return "points into the kernel stack (not the caller's memory)"
            return None                    # the kernel stack (a constructor's locals)
        if addr < memory.ram_start or end > memory.ram_end:
            holder = self._stack_holding(addr, addr + 1)
            if holder is not None and holder != "kernel":
                return "points into the stack of thread '%s' (not the caller's)" % holder.name
            return "is not in RAM (flash and unmapped memory are not writable)"
        heap = kernel.heap
        if addr < heap.begin:
            return "points into the firmware's data (not the caller's memory)"
        if addr >= heap.end:
            if kstack is not None:
                return "points past the heap (not the caller's memory)"
            guard = getattr(kernel, "kernel_stack_guard", None)
            if guard is not None and addr < guard[1]:
                return "points into the kernel stack's guard page"
            if kernel.current is not None and kernel.initializing is None:
                return "points into the kernel stack (not the caller's memory)"
            return None                    # the kernel stack (a constructor's locals)
        block = heap.block_at(addr)
        if block is None:
            return "points into a heap block header or past the heap"
        payload, length, used = block
        if not used:
            return "points into a free heap block"
        if end > payload + length:
            return "runs past the end of its heap block (0x%08x, %d bytes)" % (payload, length)
        kind = kernel.kernel_block_kind(payload, addr)
        if kind is not None:
            return "points into %s (a kernel block)" % kind
        if owned is not None:
            return "points into the heap block 0x%08x of module '%s' (not the caller's)" % (
                owned[0], owned[1].name)
        for module in kernel.modules:
            if module.contains(addr):
                return "points into the image of module '%s' (not the caller's)" % module.name
        for thread in kernel.threads:
            if thread.stack_block == payload:
                return "points into the stack of thread '%s' (not the caller's)" % thread.name
        return None

    def _own_problem(self, module, addr, end):
        """None when [addr, end) is `module`'s writable memory, a reason when it is its
        memory but not writable, False when it is not its memory."""
        if module.contains(addr):
            image = module.image
            if end > image.base + image.size:
                return "runs past the end of the image of module '%s'" % module.name
            for lo, hi in image.placement.code:
                lo, hi = image.address(lo), image.address(hi)
                if addr < hi and end > lo:
                    return "points into the code of module '%s' (not writable)" % module.name
            return None
        for thread in module.threads:
            if thread.stack and thread.stack <= addr < thread.stack_top:
                if addr < thread.stack + STACK_GUARD:
                    return "points into the stack canary of thread '%s'" % thread.name
                if end > thread.stack_top:
                    return "runs past the top of the stack of thread '%s'" % thread.name
                return None
            if thread.region_stack and thread.stack_top <= addr < _top(thread):
                if end > _top(thread):          # its argv[] (lifecycle.py)
                    return "runs past the argument vector of thread '%s'" % thread.name
                return None
        return False

    # ------------------------------------------------------------ what services use ---
    def string_bytes(self, ptr, arg, limit=STRING_LIMIT, too_long=False):
        """The NUL-terminated bytes at `ptr` (without the NUL). With `too_long`, a string
        with no NUL within `limit` bytes gives None (the service answers an error code, as
        open() does with ENAMETOOLONG) instead of a fault."""
        memory = self.kernel.memory
        out = b""
        while len(out) < limit:
            addr = ptr + len(out)
            n = _CHUNK - addr % _CHUNK          # never read across a page we may not read
            if not self.readable(addr, n):
                if not self.readable(addr, 1):
                    self.fault(arg, ptr, "is not readable memory (a string was expected "
                                         "at 0x%08x)" % (addr & 0xFFFFFFFF))
                n = 1
            chunk = memory.read(addr, n)
            nul = chunk.find(b"\0")
            if nul >= 0:
                return out + chunk[:nul]
            out += chunk
        if too_long:
            return None
        self.fault(arg, ptr, "is not a NUL-terminated string within %d bytes" % limit)

    def string(self, ptr, arg, limit=STRING_LIMIT, null=None):
        """The string at `ptr` as text; `null` is returned for a NULL pointer when given,
        otherwise NULL is a fault."""
        if not ptr:
            if null is not None:
                return null
            self.fault(arg, ptr, "is NULL (a string was expected)")
        return text(self.string_bytes(ptr, arg, limit))

    def buffer(self, ptr, size, arg):
        """`size` bytes at `ptr`, all of them readable."""
        if size == 0:
            return b""
        if not self.readable(ptr, size):
            self.fault(arg, ptr, "with %d bytes is not inside readable memory" % size)
        return self.kernel.memory.read(ptr, size)

    def check_writable(self, ptr, size, arg):
        problem = self.write_problem(ptr, size)
        if problem is not None:
            self.fault(arg, ptr, problem)

    def write(self, ptr, data, arg):
        self.check_writable(ptr, len(data), arg)
        self.kernel.memory.write(ptr, data)

    def write32(self, ptr, value, arg):
        """An out-pointer: NULL means "not wanted" (as RT-Thread's services treat it)."""
        if ptr:
            self.check_writable(ptr, 4, arg)
            self.kernel.memory.write32(ptr, value)

    def read32(self, ptr, arg):
        if not self.readable(ptr, 4):
            self.fault(arg, ptr, "is not readable memory")
        return self.kernel.memory.read32(ptr)


def _top(thread):
    """The end of what the thread's stack holds: in the stack region, argv[] above its top."""
    if thread.region_stack:
        return thread.region_stack + thread.region_size
    return thread.stack_top
