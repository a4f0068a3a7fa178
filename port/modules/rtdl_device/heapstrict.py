"""The opt-in strict heap check (issue 10; Board(heap_check="strict"), `rtdl run
--heap-check=strict`), a sanitizer for the blocks modules allocate with malloc, calloc and
realloc (rt_malloc_align and memalign blocks are not instrumented):

- redzones: every such block is REDZONE bytes longer at each end, filled with a pattern; a
  write past the block's end or before its start changes it;
- poisoned fresh memory: a new block is filled with FRESH (0xbe) bytes, so code that reads
  memory it never wrote sees a recognisable value instead of an old block's contents;
- a quarantine: a freed block is filled with FREED bytes and kept out of the heap until
  QUARANTINE bytes of younger freed blocks follow it, so a write through a dangling pointer
  changes it instead of another block.

Every heap call of a module checks every live block's redzones and the RECENT newest
quarantined blocks (the cost `make bench` measures); an older one is checked when it leaves
the quarantine, and everything at the module's end. What is
found is a fault of the module, naming the block, its size, where it was allocated
(module+offset, with the nearest exported function) and what was found. The quarantine of a
module is released when it ends, so the heap's used bytes are as before it was loaded.

Blocks keep their real heap address in `ownership`; the module sees the payload inside the
redzones. Imports: rterror.
"""
from .rterror import ModuleFault

REDZONE = 16
QUARANTINE = 64 * 1024
RECENT = 16                    # quarantined blocks each heap call checks (the newest)
_RED = 0xFA
_FRESH = 0xBE
_FREED = 0xFD


class StrictHeap:
    def __init__(self, kernel):
        self.kernel = kernel
        self.live = {}             # payload -> (real block, size, site)
        self.quarantine = []       # [(payload, real block, size, site, module)], oldest first
        self.quarantined = 0       # bytes in the quarantine

    # ---------------------------------------------------------------- allocation -------
    def malloc(self, size, ownership):
        """A block for the calling module (tracked by `ownership` under its real address);
        returns the payload, or 0."""
        kernel = self.kernel
        if size <= 0 or size > 0xFFFFFFFF - 2 * REDZONE:
            return 0
        block = kernel.heap.malloc(size + 2 * REDZONE)
        if not block:
            return 0
        ownership.track(block)
        payload = block + REDZONE
        memory = kernel.memory
        memory.write(block, bytes([_RED]) * REDZONE)
        memory.write(payload, bytes([_FRESH]) * size)
        memory.write(payload + size, bytes([_RED]) * REDZONE)
        self.live[payload] = (block, size, kernel.cpu.lr())
        return payload

    def block_of(self, payload):
        """The real heap block of a strict payload, or the pointer itself (not ours)."""
        entry = self.live.get(payload)
        return entry[0] if entry is not None else payload

    def size_of(self, payload):
        entry = self.live.get(payload)
        return entry[1] if entry is not None else None

    def free(self, payload, ownership, module):
        """Quarantine a strict block; returns False when `payload` is not one (the caller
        frees it the usual way), True, or what the block leaving the quarantine showed."""
        entry = self.live.pop(payload, None)
        if entry is None:
            return False
        block, size, site = entry
        ownership.untrack(block)
        self.kernel.memory.write(payload, bytes([_FREED]) * size)
        self.quarantine.append((payload, block, size, site, module))
        self.quarantined += size
        while self.quarantined > QUARANTINE and len(self.quarantine) > 1:
            # the oldest goes back to the heap, checked once more on its way out
            entry = self.quarantine.pop(0)
            self.quarantined -= entry[2]
            problem = self._freed_problem(entry)
            self.kernel.heap.free(entry[1])
            if problem is not None:
                return problem
        return True

    def freed(self, payload):
        """(size, site) of a quarantined block (a second free of it), or None."""
        for entry in self.quarantine:
            if entry[0] == payload:
                return entry[2], entry[3]
        return None

    # ---------------------------------------------------------------- checking ---------
    def check(self, who):
        """Check every live block's redzones and every quarantined block; the first damage
        found (repaired) raises ModuleFault as `who`'s fault."""
        problem = self.problem()
        if problem is not None:
            raise ModuleFault("%s: %s" % (who, problem))

    def problem(self):
        memory = self.kernel.memory
        red = bytes([_RED]) * REDZONE
        for payload in self.live:
            block, size, site = self.live[payload]
            before = memory.read(block, REDZONE)
            after = memory.read(payload + size, REDZONE)
            if before != red or after != red:
                memory.write(block, red)
                memory.write(payload + size, red)
                if after != red:
                    at = _last_change(after, _RED)
                    what = "overflow: written %d byte(s) past its end (0x%02x at +%d)" % (
                        at + 1, after[at], size + at)
                else:
                    at = _first_change(before, _RED)
                    what = "underflow: written %d byte(s) before its start (0x%02x)" % (
                        REDZONE - at, before[at])
                return "heap %s of the %d-byte block 0x%08x allocated at %s" % (
                    what, size, payload, self.site_text(site))
        return self.freed_problem(RECENT)

    def freed_problem(self, newest=None):
        """What a write after free changed in the `newest` quarantined blocks (None: all)."""
        entries = self.quarantine if newest is None else self.quarantine[-newest:]
        for entry in entries:
            problem = self._freed_problem(entry)
            if problem is not None:
                return problem
        return None

    def _freed_problem(self, entry):
        payload, block, size, site, module = entry
        memory = self.kernel.memory
        now = memory.read(payload, size)
        freed = bytes([_FREED]) * size
        if now == freed:
            return None
        memory.write(payload, freed)
        at = _first_change(now, _FREED)
        return ("use after free: the %d-byte block 0x%08x allocated at %s was written at +%d "
                "(0x%02x) after it was freed" % (size, payload, self.site_text(site), at,
                                                 now[at]))

    def site_text(self, site):
        """'prog+0x1a (main+0x6)' for a return address in a module, else its address."""
        module = self.kernel.module_at(site)
        if module is None:
            return "0x%08x" % site
        site &= ~1
        text = "%s+0x%x" % (module.name, site - module.mem_space)
        best = None
        for name, addr in module.symbols.items():
            addr &= ~1
            if addr <= site and (best is None or addr > best[1]):
                best = (name, addr)
        if best is not None:
            text += " (%s+0x%x)" % (best[0], site - best[1])
        return text

    # ---------------------------------------------------------------- module end -------
    def module_end(self, module):
        """At the end of `module`: a problem found (or None); its quarantined blocks go back
        to the heap and its live strict blocks are forgotten (ownership frees them)."""
        problem = self.problem() or self.freed_problem()
        keep = []
        for entry in self.quarantine:
            if entry[4] is module:
                self.quarantined -= entry[2]
                self.kernel.heap.free(entry[1])
            else:
                keep.append(entry)
        self.quarantine = keep
        ownership = self.kernel.ownership
        for payload in list(self.live):
            if ownership.owner(self.live[payload][0]) is module:
                del self.live[payload]
        return problem


def _last_change(raw, fill):
    for i in range(len(raw) - 1, -1, -1):
        if raw[i] != fill:
            return i
    return -1


def _first_change(raw, fill):
    for i in range(len(raw)):
        if raw[i] != fill:
            return i
    return -1
