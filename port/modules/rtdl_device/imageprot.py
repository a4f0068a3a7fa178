"""Other modules' images are read-only while a module's code runs (issue 10): a wild write
into them faults at the store, as the writer's mem manage fault (DACCVIOL), with the line
naming whose image it hit ("image of module 'intlib': .data+0x10").

The rule, per page of an image (images start on a page and take whole pages, install.py):
  - pages with nothing module code may write (code, constants, headers: no part of
    `writable_parts`) are read-only for all module code from the end of the load on: only
    the loader (the kernel's own writes) changes them;
  - its other pages (.data, .bss, the GOT, a page shared with the code) are writable while
    the module itself runs, or a module that holds it open - dlopen or dlmodule_load from
    that module's code, also through libraries it holds - since a library's functions run on
    their caller's thread as the caller's code, or a library it holds open itself (whose
    threads call back into its code); read-only while any other module runs. Of those, the
    data of the libraries the running module holds stays read-only while the holder's own
    code runs: the board switches to a library's mode when the library's code stores there,
    and back when the holder's code is fetched again (heldplan.py), so a wild store by the
    holder into a library it holds faults at the store too.
The running module changes at a thread switch (scheduler), when the timer thread or the idle
thread takes up a callback of another module (svc_timer, svc_hooks), and for each target call
the kernel makes itself (steps.drive: the module whose code is called). Between kernel runs,
and for a host call (Board.call), every image's writable pages are writable again.

At every switch from one module to another, the firmware's variables (fwguard) and what
integrity.py watches are compared too, so what still gets through (a control block in the
heap) is the fault of the module that ran. An unloaded image's read-only pages stay so while
they are free heap memory, until the heap hands any of them out again (heap.taking): a
store through a pointer kept into an unloaded library is a write into freed memory, named
so. Where the board can (memory.retire), those pages are not executable either, so a call
through a function pointer kept into the library faults at the fetch, named so too; a
library opened again at the same address then makes them executable again. With no page
protection (memory.page_size 0) nothing is protected.
Imports: fwguard, heldplan, integrity, elf32, records, rterror.
"""
from . import elf32
from . import fwguard
from . import heldplan
from . import integrity
from .records import STAT_CLOSED
from .rterror import ModuleFault

_READ_ONLY = "read-only memory"     # the cpu's note of a write fault on protected pages
_NO_EXEC = "non-executable memory"  # its note of a fetch from them


class ImageProtection:
    def __init__(self, kernel):
        self.kernel = kernel
        self.running = None      # the module whose permissions are in force (None: all open)
        self.ran = []            # modules whose code ran since the last check
        # [addr, size, module name, retired]: read-only pages of unloaded images (retired:
        # not executable either, memory.retire), left so while the
        # heap has not handed them out again (heap.taking), so a library opened and closed
        # in turn at one address changes no page permission; a store there is a write into
        # freed memory
        self.idle = []
        self.loading = False     # install.load_image is taking the image's block
        self.claimed = None      # that block, (addr, size)
        self._paged = None       # (memory, its page size) once asked
        self.plan = None         # the plan of the board's mode switching now (heldplan.py)

    def _page(self):
        memory = self.kernel.memory
        known = self._paged
        if known is not None and known[0] is memory:
            return known[1]
        page = getattr(memory, "page_size", 0) if hasattr(memory, "protect") else 0
        self._paged = (memory, page)     # asked at every load, unload and module switch
        return page

    # ------------------------------------------------------------- load and unload ------
    def keep(self, module):
        """At load, after integrity.keep_image: split the image into runs of read-only and
        writable pages and make the read-only ones so."""
        module.rw_open = True
        image = module.image
        page = self._page()
        claimed = self.claimed
        self.claimed = None
        if page and image.base % page == 0:
            ro_pages, rw_pages = page_kinds(image, page)
        else:
            ro_pages = rw_pages = ()
        module.ro_pages = list(ro_pages)
        module.rw_pages = list(rw_pages)
        idle = self.idle
        fresh = []
        for addr, size in ro_pages:
            for index in range(len(idle)):
                if idle[index][0] == addr and idle[index][1] == size:
                    if idle[index][3]:       # retired: not executable, as this image must be
                        fresh.append((addr, size))
                    del idle[index]          # read-only already, as this image needs
                    break
            else:
                fresh.append((addr, size))
        if claimed is not None and idle:
            self._release_idle(claimed[0], claimed[1])
        memory = self.kernel.memory
        for addr, size in fresh:
            memory.protect(addr, size, False)
        if not idle:
            self.kernel.heap.taking = None
        # a module loaded while another runs may be written only by those holding it open
        if self.running is not None:
            self._apply()

    def forget(self, module):
        """Before the image's block is freed: its data pages are writable again, its read-only
        pages stay so until the heap hands them out (idle), and no other module holds it."""
        self._quiet()
        ro_pages = getattr(module, "ro_pages", ())
        if ro_pages:
            # its code is retired (a call kept into it faults too) where some other module
            # may still call it: not when the last goes, which costs a load and unload of a
            # library on its own nothing
            retire = getattr(self.kernel.memory, "retire", None)
            if not any(other is not module for other in self.kernel.modules):
                retire = None
            for addr, size in ro_pages:
                self.idle.append((addr, size, module.name, retire is not None))
                if retire is not None:
                    retire(addr, size)
            self.kernel.heap.taking = self._taking
        self._set(module, True)
        module.ro_pages = []
        module.rw_pages = []
        for other in self.kernel.modules:
            held = getattr(other, "holds", None)
            while held and module in held:
                held.remove(module)
        module.holds = []
        if self.running is module:
            self.enter(None)
        elif self.running is not None:
            self._apply()

    def _taking(self, addr, size):
        """heap.taking: [addr, addr+size) is handed out; idle pages there become writable
        (for an image's own block, keep decides which stay read-only)."""
        if self.loading:
            self.claimed = (addr, size)
            return
        self._release_idle(addr, size)
        if not self.idle:
            self.kernel.heap.taking = None

    def _release_idle(self, addr, size):
        memory = self.kernel.memory
        kept = []
        for run in self.idle:
            if run[0] < addr + size and addr < run[0] + run[1]:
                memory.protect(run[0], run[1], True)
            else:
                kept.append(run)
        self.idle = kept

    # ------------------------------------------------------------- who holds whom -------
    def opened(self, module):
        """The running module's code opened `module` (dlopen, dlmodule_load): it may write
        its data from now on, until the matching close (`closed`)."""
        opener = self.kernel.self_module() or self.kernel.initializing
        if opener is None or opener is module:
            return
        if not hasattr(opener, "holds"):
            opener.holds = []
        opener.holds.append(module)
        if self.running is not None:
            self._apply()
            self.kernel.stackprot.holds_changed()

    def closed(self, module):
        opener = self.kernel.self_module() or self.kernel.initializing
        held = getattr(opener, "holds", None)
        if held and module in held:
            held.remove(module)
            if self.running is not None:
                self._apply()
                self.kernel.stackprot.holds_changed()

    def allowed(self, module):
        """`module`, every module it holds open (also through the libraries it holds), and
        the modules that hold `module` itself open: a library's own threads call back into
        their openers' code, which writes its own data."""
        found = [module]
        index = 0
        while index < len(found):
            for other in getattr(found[index], "holds", ()):
                if other not in found:
                    found.append(other)
            index += 1
        for other in self.kernel.modules:
            if other not in found and module in getattr(other, "holds", ()):
                found.append(other)
        return found

    # ------------------------------------------------------------- switching ------------
    def enter(self, module, check=False):
        """`module`'s code runs next (None: no module's - every image's data is writable).
        With `check`, what the previous module may have damaged is compared first; returns
        (previous module, its ModuleFault) when it damaged something, else None."""
        self.kernel.stackprot.enter(module)      # other threads' stacks too (stackprot.py)
        if module is self.running:
            if self.plan is not None:
                # another thread of it, or the same one again: it resumes in its own mode
                self.kernel.memory.held_modes(self.plan)
            return None
        previous = self.running
        guilty = None
        if check and previous is not None and module is not None:
            guilty = self._check(previous)
        if module is not None:
            if guilty is not None or check:
                self.ran = [module]
            elif module not in self.ran:
                self.ran.append(module)
        self.running = module
        if not self._page():
            return guilty
        self._apply()
        return guilty

    def _apply(self):
        """The pages as the running module's own code needs them: what it may write
        writable, but for the data of the libraries it holds (read-only until their own code
        stores there: the board's mode switching, heldplan.py); every image's data writable
        when no module runs."""
        self._quiet()
        module = self.running
        memory = self.kernel.memory
        allowed = guarded = None
        if module is not None:
            allowed = self.allowed(module)
            if hasattr(memory, "held_modes") and self._page():
                guarded = heldplan.guarded(module)
        for other in self.kernel.modules:
            self._set(other, allowed is None or (other in allowed and not (
                guarded and other in guarded)))
        if guarded:
            self.plan = heldplan.plan(module, allowed, self._page())
            memory.held_modes(self.plan)

    def _quiet(self):
        """The board back in the running module's own mode with its switching off, so the
        pages are as _set left them (before they change or are freed)."""
        if self.plan is not None:
            self.plan = None
            self.kernel.memory.held_modes(None)

    def _set(self, module, writable):
        if getattr(module, "rw_open", True) == writable:
            return
        memory = self.kernel.memory
        for addr, size in getattr(module, "rw_pages", ()):
            memory.protect(addr, size, writable)
        module.rw_open = writable

    def _check(self, previous):
        """Compare what outlives `previous` now that it stops running; damage is put back and
        is its fault (returned with it) when only it ran since the last check."""
        kernel = self.kernel
        alone = self.only_ran(previous)
        if previous.state == STAT_CLOSED or previous not in kernel.modules:
            return None
        for damage in (fwguard.damage(kernel), integrity.damage(kernel, previous)):
            if damage is not None and previous.fault is None and alone:
                return (previous, ModuleFault("%s: %s" % (previous.name, damage)))
        return None

    def only_ran(self, module):
        """No other module's code ran since the last check (its damage is `module`'s)."""
        for other in self.ran:
            if other is not module:
                return False
        return True

    # ------------------------------------------------------------- fault lines ----------
    def explain(self, fault):
        """A write fault on protected memory inside an image or a stack: the same fault, its
        region note naming the image and section (or the stack) instead of "read-only
        memory"."""
        if not isinstance(fault, ModuleFault):
            return fault
        if fault.region == _NO_EXEC:
            pc = fault.address           # the fetch's (cpu.py sets it, as no MMFAR)
            for addr, size, name, _ in self.idle:
                if pc is not None and addr <= pc < addr + size:
                    fault.locate("freed memory: the code of module '%s' until it was unloaded"
                                 % name)
                    break
            return fault
        if fault.address is None or fault.region != _READ_ONLY:
            return fault
        where = self._region(fault.address)
        if where is not None:
            fault.locate(where)
        return fault

    def _region(self, address):
        for addr, size, name, _ in self.idle:
            if addr <= address < addr + size:
                return "freed memory: the image of module '%s' until it was unloaded" % name
        for module in self.kernel.modules:
            image = module.image
            page = self._page() or 1
            if image is None or not image.base <= address < \
                    (image.base + image.size + page - 1) // page * page:
                continue
            return "image of module '%s': %s" % (module.name, section_at(module, address))
        return self.kernel.stackprot.where(address)


def page_kinds(image, page):
    """([(address, size)] of the image's read-only page runs, [...] of its writable ones),
    neighbouring pages of one kind merged; kept on the image, which the link cache hands
    back for a load at the same address."""
    key = (image.base, image.size, page)
    known = getattr(image, "page_kinds", None)
    if known is not None and known[0] == key:
        return known[1]
    writable = writable_parts(image)
    end = (image.base + image.size + page - 1) // page * page
    runs = []
    addr = image.base
    while addr < end:
        ro = True
        for part_addr, size in writable:
            if part_addr < addr + page and addr < part_addr + size:
                ro = False
                break
        if runs and runs[-1][2] == ro and runs[-1][0] + runs[-1][1] == addr:
            runs[-1][1] += page
        else:
            runs.append([addr, page, ro])
        addr += page
    kinds = ([(addr, size) for addr, size, ro in runs if ro],
             [(addr, size) for addr, size, ro in runs if not ro])
    image.page_kinds = (key, kinds)
    return kinds


def writable_parts(image):
    """[(address, size)] of what module code may write in an image: its PF_W segments
    (ET_DYN: .data, .bss, .got, .dynamic ...); for an ET_REL its SHF_WRITE sections and
    everything after the last section (COMMON symbols, the GOT, the veneers). The rest -
    code, constants, the ELF and program headers - only the loader writes."""
    placement = image.placement
    parts = []
    if hasattr(placement, "sections"):                        # ET_REL: offsets are vaddrs
        last = 0
        for sec, offset in placement.sections:
            if sec.flags & elf32.SHF_WRITE and sec.size:
                parts.append((image.address(offset), sec.size))
            if offset + sec.size > last:
                last = offset + sec.size
        parts.append((image.address(last), image.size - last))
        return parts
    for seg in placement.segments:
        if seg.flags & elf32.PF_W and seg.memsz:
            parts.append((image.address(seg.vaddr), seg.memsz))
    return parts


def section_at(module, address):
    """"name+0xoff" of the allocated section of `module`'s image that holds `address`."""
    image = module.image
    placement = image.placement
    found = None
    if hasattr(placement, "sections"):                        # ET_REL: offsets are vaddrs
        for sec, offset in placement.sections:
            start = image.address(offset)
            if sec.size and start <= address < start + sec.size:
                found = (sec.name, start)
    else:
        for sec in image.elf.sections:
            if sec.flags & elf32.SHF_ALLOC and sec.size:
                start = image.address(sec.addr)
                if start <= address < start + sec.size:
                    found = (sec.name, start)
    if found is None:
        return "+0x%x" % (address - image.base)
    return "%s+0x%x" % (found[0], address - found[1])
