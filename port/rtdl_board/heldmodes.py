"""HeldModes: the board's side of the fault-driven switching between a module and the libraries
it holds open (plan and rules: rtdl_device/heldplan.py). No instruction hook: a store into
read-only data and a fetch from non-executable code are the only events, and each costs
page-permission changes only.

In a member's mode only that member's code is executable (firmware code always is): the
first fetch from another member's code - a call into a library, its return, a callback -
faults (cpu.py, after emu_start has stopped), the board switches to that member's mode and
the run restarts at the same pc. So the mode is always the member whose code ran last, and
firmware code (memcpy, memset, the printf family) stores as the member that called it, also
when the library tail-called it. A store fault into a member's data (board._on_bad_access,
inside unicorn's store) is then the mode's own store into data it may not write: a real
fault - except a firmware function the library itself called that called back into a member
before storing (qsort over the library's array with the holder's comparator): when lr, or
else a return address up the stack, is in the library's code, the board switches to its
mode and performs the store itself (unicorn drops a store its hook reports as handled).

A store into a library the mode holds is also carried out (and the run goes on in the same
mode) when it lies inside an object the mode may write there (heldplan.py, heldobjects.py):
one the library exports, or one whose address it handed out - r0/r1 at a fetch fault that
is a return from the library's code into the mode's (the fetch is at lr, or follows a
BL/BLX), r0-r3 at one that is a call (a callback), each register pointing into the
library's data granting the sized object that holds it, or the rest of its data section
when no sized symbol does (a stripped library's statics). A number that happens to point
there counts too, and r1 of any return (its type is not known).
What a library handed out stays writable for that holder as long as both are loaded (their
load numbers); a library hands on what it may write itself of a library it holds. Once a
page has had such a store in a mode period and all of its bytes are objects the mode may
write, it stays writable for the mode until the next switch (a hot loop over an exported
buffer then costs one fault a page); otherwise every store there is a fault and a mem_write.
Any other store into a library the mode holds stays a fault, its line saying that it was
not an object the library exports or handed out.

Code made non-executable has its translated blocks dropped: unicorn checks execute
permission when it translates, not when it runs a cached block. Removing the permission is
all a switch away from a member costs it; its code is translated again when it next runs.
CPython only. May import: unicorn, the board's own modules.
"""
from unicorn import UC_PROT_EXEC, UC_PROT_READ, UC_PROT_WRITE
from unicorn import arm_const as A

import bisect

from . import fault_report

_SCAN_BYTES = 2048        # how far up the stack a firmware function's caller is looked for
_TOP = 1 << 33            # above every address: bisect's key for "any end"
_NESTED = 8               # how many objects starting before a pointer may hold it
_GRANTS_KEPT = 64         # (writer, library) load pairs whose handed-out objects are kept
NOT_AN_OBJECT = "not an object the library exports or handed out"
_BATCH_REGS = (A.UC_ARM_REG_R0, A.UC_ARM_REG_R1, A.UC_ARM_REG_R2, A.UC_ARM_REG_R3,
               A.UC_ARM_REG_SP, A.UC_ARM_REG_LR)     # as the cpu's svc_batch, r0-r3 first


def _pairs(flat):
    """[(start, end)] of a flat [address, size, ...] list."""
    return [(flat[i], flat[i] + flat[i + 1]) for i in range(0, len(flat), 2)]


class HeldModes:
    def __init__(self, board):
        self.board = board
        self.uc = board.uc
        self.plan = None         # the kernel's plan as installed
        self.members = None      # [start, end, ro runs, rw runs, guarded indices] or None
        self.state = []          # per member [writable, executable] as the pages are now
        self.mode = None         # the member whose mode is in force
        self.switches = 0        # mode switches so far (benchmarks, tests)
        self.stores = 0          # stores into a held library's objects carried out (tests)
        # (writer load, library load) -> sorted [(start, end)] the library handed out to it
        self.grants = {}
        self.opened = []         # [(member, page address)] writable for the mode until a switch
        self.tried = set()       # pages whose opening was looked at in this mode period
        self.refused = None      # the address of the last store refused into a held library

    def install(self, plan):
        """The kernel's plan for the running module (None: none): the pages go back to what
        the kernel set (the running module's data permissions, all code executable), then
        the new plan starts in its first member's mode (the same plan: only that)."""
        if plan and self.members is not None and plan == self.plan:
            self._switch(0)
            return
        self.plan = plan
        if self.members is not None:
            self._switch(None)
            self.members = None
        if not plan:
            return
        members = []
        for start, end, ro, rw, held, load, exports, objects, sections in plan:
            members.append((start, end, ro, rw, frozenset(held), load, _pairs(exports),
                            _pairs(objects), _pairs(sections)))
        self.members = members
        home = members[0][4]
        self.state = [[i not in home, True] for i in range(len(members))]
        self.mode = None
        self._switch(0)

    def _switch(self, mode):
        """Pages as member `mode` needs them (None: as the kernel set them, which is what
        the first member needs but for executing)."""
        members = self.members
        held = members[0][4]
        memory = self.board.memory
        self._close_pages()
        for i in range(len(members)):
            if mode is None:
                want = [i not in held, True]
            else:
                # writable: the member and those holding it (the buffers its callers pass);
                # not the libraries it holds, nor the others its holder holds (siblings)
                want = [i == mode or mode in members[i][4], i == mode]
            now = self.state[i]
            if want == now:
                continue
            start, end, ro, rw = members[i][:4]
            execute = UC_PROT_EXEC if want[1] else 0
            if want[1] != now[1]:
                for addr, size in ro:
                    memory.set_access(addr, size, UC_PROT_READ | execute)
            write = UC_PROT_WRITE if want[0] else 0
            for addr, size in rw:
                memory.set_access(addr, size, UC_PROT_READ | write | execute)
            if now[1] and not want[1]:
                memory.drop_code(start, end - start)
            self.state[i] = want
        if mode is not None and mode != self.mode:
            self.switches += 1
        self.mode = mode

    def _member_at(self, addr):
        members = self.members
        for i in range(len(members)):
            if members[i][0] <= addr < members[i][1]:
                return i
        return None

    def on_write(self, address, size, value):
        """A store of `size` bytes of `value` at `address` faulted on a read-only page: True
        when it was a member storing into data it may write (the store is done), False for a
        fault."""
        members = self.members
        if members is None:
            return False
        target = None
        for i in range(len(members)):
            for addr, run in members[i][3]:
                if addr <= address < addr + run:
                    target = i
                    break
            if target is not None:
                break
        if target is None or self.state[target][0]:
            return False
        mode = self.mode
        holds = mode is not None and target in members[mode][4]
        if holds and self._may_write(mode, target, address, address + size):
            self._store(address, size, value)
            self._open_page(mode, target, address)
            return True
        pc = self.uc.reg_read(A.UC_ARM_REG_PC)
        if self._member_at(pc) is not None or self.board.module_at(pc) is not None or \
                self._caller() != target:
            if holds:
                self.refused = address
            return False                 # the mode's own store where it may not write
        self._switch(target)
        self._store(address, size, value)
        return True

    def note(self, address):
        """What a fault line adds for a refused store at `address` (cpu.py), or None."""
        if self.refused is None or self.refused != address:
            return None
        self.refused = None
        return NOT_AN_OBJECT

    def _store(self, address, size, value):
        self.stores += 1
        self.uc.mem_write(address, (value & ((1 << (8 * size)) - 1)).to_bytes(size, "little"))

    def _ranges(self, writer, target):
        """[(start, end)] of `target`'s data the member `writer` may write (it holds it)."""
        members = self.members
        handed = self.grants.get((members[writer][5], members[target][5]))
        if not handed:
            return members[target][6]
        return sorted(members[target][6] + handed)     # overlaps allowed (see _open_page)

    def _may_write(self, writer, target, start, end):
        """[start, end) lies inside one object of `target` that `writer` may write."""
        members = self.members
        if _inside(members[target][6], start, end):
            return True
        handed = self.grants.get((members[writer][5], members[target][5]))
        return bool(handed) and _inside(handed, start, end)

    def _open_page(self, mode, target, address):
        """The page of an allowed store writable for the mode until the next switch, when
        every byte of it is an object the mode may write."""
        page = self.board.memory.page_size
        if not page:
            return
        base = address // page * page
        if base in self.tried:
            return
        self.tried.add(base)
        covered = base
        for start, end in self._ranges(mode, target):
            if start <= covered < end:
                covered = end
            if covered >= base + page:
                break
        if covered < base + page:
            return
        self.board.memory.set_access(base, page, UC_PROT_READ | UC_PROT_WRITE)
        self.opened.append((target, base))

    def _close_pages(self):
        """The pages _open_page opened back to their member's state (before a switch)."""
        if self.tried:
            self.tried = set()
        if not self.opened:
            return
        memory = self.board.memory
        for member, base in self.opened:
            execute = UC_PROT_EXEC if self.state[member][1] else 0
            memory.set_access(base, memory.page_size, UC_PROT_READ | execute)
        self.opened = []

    def _grant(self, mode, left, address):
        """At the fetch fault that switches from member `left` back to `mode` (which holds
        it): what its registers point to in the data of `left`, or of a library `left`
        holds that `left` may write itself, the mode may write from now on."""
        members = self.members
        batch = getattr(self.board.cpu, "svc_batch", None)      # r0-r3, sp, lr, pc at once
        regs = batch.read() if batch is not None else \
            [self.uc.reg_read(reg) for reg in _BATCH_REGS]
        # whether the fetch is a call, looked at on a hit: not when it is at lr (bx lr)
        call = False if regs[5] | 1 == address | 1 else None
        for number in range(4):
            pointer = regs[number]
            target = self._data_of(pointer)
            if target is None or target not in members[mode][4]:
                continue
            if number >= 2:
                if call is None:
                    call = not fault_report.follows_call(self.board.memory, address | 1)
                if not call:
                    continue             # r2, r3 of a return are scratch
            if target != left and not (target in members[left][4] and
                                       self._may_write(left, target, pointer, pointer + 1)):
                continue
            bounds = _object_at(members[target], pointer)
            if bounds is None:
                continue
            key = (members[mode][5], members[target][5])
            handed = self.grants.get(key)
            if handed is None:
                if len(self.grants) >= _GRANTS_KEPT:
                    del self.grants[next(iter(self.grants))]    # the oldest pair
                handed = []
            if not _inside(handed, bounds[0], bounds[1]):
                self.grants[key] = _merged(handed, bounds)

    def _data_of(self, pointer):
        """The member whose data sections hold `pointer`, or None."""
        members = self.members
        for i in range(len(members)):
            if members[i][0] <= pointer < members[i][1]:
                for start, end in members[i][8]:
                    if start <= pointer < end:
                        return i
                return None
        return None

    def on_fetch(self, address):
        """An instruction fetch at `address` faulted: True when it was a member's code made
        non-executable by a switch (now the mode is that member's; run again)."""
        if self.members is None:
            return False
        member = self._member_at(address)
        if member is None or self.state[member][1]:
            return False
        left = self.mode
        if left is not None and left != member and left in self.members[member][4]:
            self._grant(member, left, address)
        self._switch(member)
        return True

    def _caller(self):
        """The member whose code called the firmware function now running: lr when it is a
        return address into a member, else the first word up the stack that is a return
        address into a member, else None."""
        board = self.board
        lr = self.uc.reg_read(A.UC_ARM_REG_LR)
        member = self._returns_into(lr)
        if member is not None:
            return member
        sp = self.uc.reg_read(A.UC_ARM_REG_SP)
        page = board.memory.page_size or 1024
        at = sp & ~3
        while at < sp + _SCAN_BYTES:
            end = min((at // page + 1) * page, sp + _SCAN_BYTES)
            try:
                raw = board.memory.read(at, end - at)
            except Exception:
                return None              # the top of the stack's mapping
            for i in range(0, len(raw) - 3, 4):
                word = raw[i] | raw[i + 1] << 8 | raw[i + 2] << 16 | raw[i + 3] << 24
                member = self._returns_into(word)
                if member is not None:
                    return member
            at = end
        return None

    def _returns_into(self, addr):
        """The member whose image holds the Thumb address `addr` when it follows a BL or BLX
        there (a return address), else None. The plan's extents, not the board's module
        list: over the bridge that list is the one of the run's start, without a library
        loaded during it."""
        if not addr & 1:
            return None
        member = self._member_at(addr & ~1)
        if member is None:
            return None
        return member if fault_report.follows_call(self.board.memory, addr) else None


def _inside(ranges, start, end):
    """[start, end) lies inside one of `ranges`, sorted [(start, end)] that do not overlap."""
    at = bisect.bisect_right(ranges, (start, _TOP)) - 1
    return at >= 0 and end <= ranges[at][1]


def _merged(ranges, bounds):
    """Sorted, non-overlapping `ranges` with [bounds) added (neighbours joined)."""
    out = []
    for start, end in sorted(ranges + [bounds]):
        if out and start <= out[-1][1]:
            if end > out[-1][1]:
                out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


def _object_at(member, pointer):
    """(start, end) of the object of `member` a pointer into its data points into: the sized
    object that holds it (one of the few starting last before it: objects rarely nest),
    else the rest of its data section from `pointer` on."""
    objects = member[7]
    at = bisect.bisect_right(objects, (pointer, _TOP)) - 1
    for i in range(at, max(at - _NESTED, -1), -1):
        start, end = objects[i]
        if start <= pointer < end:
            return (start, end)
    for start, end in member[8]:
        if start <= pointer < end:
            return (pointer, end)
    return None
