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

Code made non-executable has its translated blocks dropped: unicorn checks execute
permission when it translates, not when it runs a cached block. Removing the permission is
all a switch away from a member costs it; its code is translated again when it next runs.
CPython only. May import: unicorn, the board's own modules.
"""
from unicorn import UC_PROT_EXEC, UC_PROT_READ, UC_PROT_WRITE
from unicorn import arm_const as A

from . import fault_report

_SCAN_BYTES = 2048        # how far up the stack a firmware function's caller is looked for


class HeldModes:
    def __init__(self, board):
        self.board = board
        self.uc = board.uc
        self.plan = None         # the kernel's plan as installed
        self.members = None      # [start, end, ro runs, rw runs, guarded indices] or None
        self.state = []          # per member [writable, executable] as the pages are now
        self.mode = None         # the member whose mode is in force
        self.switches = 0        # mode switches so far (benchmarks, tests)

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
        for start, end, ro, rw, held in plan:
            members.append((start, end, ro, rw, frozenset(held)))
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
            start, end, ro, rw, _ = members[i]
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
        pc = self.uc.reg_read(A.UC_ARM_REG_PC)
        if self._member_at(pc) is not None or self.board.module_at(pc) is not None or \
                self._caller() != target:
            return False                 # the mode's own store where it may not write
        self._switch(target)
        self.uc.mem_write(address, (value & ((1 << (8 * size)) - 1)).to_bytes(size, "little"))
        return True

    def on_fetch(self, address):
        """An instruction fetch at `address` faulted: True when it was a member's code made
        non-executable by a switch (now the mode is that member's; run again)."""
        if self.members is None:
            return False
        member = self._member_at(address)
        if member is None or self.state[member][1]:
            return False
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
