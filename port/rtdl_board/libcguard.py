"""LibcGuard: libc's writable state - the system reent, time zone, locale, environment, the
assert hook, the stdio streams all threads share and their buffers - on pages of their own
(link.ld __libcstate_start .. __libcstate_end), read-only while module code runs (issue 10).

Module calls change that state through libc's code (printf updating stdout's FILE, setenv,
tzset, strtok on the system reent), so a store there is judged by who makes it, at the store
fault alone (no instruction hook): pc in firmware code is libc writing its own state - the
store is carried out (unicorn drops a store its write-protect hook reports as handled) and
the pages stay writable until the next kernel entry (an SVC) or the next run of the CPU
(another thread, a callback), so a printf costs one fault and two permission changes. Any
other pc is a module's wild store: the fault at the store names the object. The one store
module code makes there in plain C is errno in code on the system reent (constructors, timer
and idle callbacks): that word is carried out without opening the pages.

The exception is a function that stores only where its caller points it (memset, memcpy,
strcpy: _STORES_FOR_CALLER) called from module code (its return address there): its store is
the module's, a wild pointer handed to libc, and faults naming the function.
Not found: a wild destination handed to a libc function that stores through other libc
functions (sprintf, fgets, fread) - the store is libc's. The kernel's writes (memory.write)
are never bound by the pages' protection.
CPython only. May import: unicorn, the board's own modules.
"""
from unicorn import arm_const as A

from . import fault_report
from .memory_map import FLASH_BASE, FLASH_SIZE

# what the fault line calls the FILEs of impure.c's rtdl_stdio_files, by index
_STREAMS = ("stdin's FILE", "stdout's FILE", "stderr's FILE")
_NAMES = {"rtdl_stdio_bufs": "stdout's and stderr's buffers",
          "rtdl_stdio_glue": "fopen's list of FILEs",
          "rtdl_system_reent": "the system reent (rtdl_system_reent)"}

# newlib's functions whose every store goes where the caller's arguments point (the
# __aeabi_ forms are what compilers may call for struct copies and array clears)
_STORES_FOR_CALLER = frozenset((
    "memcpy", "memmove", "memset", "mempcpy", "memccpy", "bcopy", "bzero", "explicit_bzero",
    "strcpy", "strncpy", "stpcpy", "stpncpy", "strcat", "strncat", "strlcpy", "strlcat",
    "__aeabi_memcpy", "__aeabi_memcpy4", "__aeabi_memcpy8",
    "__aeabi_memmove", "__aeabi_memmove4", "__aeabi_memmove8",
    "__aeabi_memset", "__aeabi_memset4", "__aeabi_memset8",
    "__aeabi_memclr", "__aeabi_memclr4", "__aeabi_memclr8"))


class LibcGuard:
    def __init__(self, board):
        self.board = board
        self.uc = board.uc
        self.region = (0, 0)     # [start, end) of libc's pages (0, 0: a firmware without)
        self.objects = []        # [(address, size, name)] on them, from the firmware's symbols
        self.errno = None        # [start, end) of the system reent's errno word
        self.file_size = 0       # sizeof(FILE) (impure.c rtdl_reent_layout)
        self.open = False        # the pages are writable now
        self.opened = 0          # how often libc's stores opened them (benchmarks, tests)
        self._pushes = {}        # (entry, offset) -> _pushed(), for _STORES_FOR_CALLER

    def describe(self, symbols, objects):
        """From the firmware's symbols: where the pages are and what lies on them."""
        start = symbols.get("__libcstate_start", 0)
        end = symbols.get("__libcstate_end", 0)
        self.region = (start, end)
        self.objects = [obj for obj in objects if start <= obj[0] < end]
        reent = symbols.get("rtdl_system_reent")
        if reent is not None and start <= reent < end:
            self.errno = (reent, reent + 4)      # errno: struct _reent's first member

    def _file_size(self):
        """sizeof(FILE): the sixth word of the firmware's table impure.c rtdl_reent_layout."""
        if not self.file_size:
            layout = self.board.firmware_symbols.get("rtdl_reent_layout")
            if layout:
                self.file_size = self.board.memory.read32(layout + 20)
        return self.file_size

    def close(self):
        """Kernel entry or a new run of the CPU: the pages are read-only again."""
        if self.open:
            start, end = self.region
            self.board.memory.protect(start, end - start, False)
            self.open = False

    def on_write(self, address, size, value):
        """A store faulted on a read-only page: True when it was libc's own store into its
        state (done now), False for a fault."""
        start, end = self.region
        if not start <= address < end:
            return False
        pc = self.uc.reg_read(A.UC_ARM_REG_PC)
        data = (value & ((1 << (8 * size)) - 1)).to_bytes(size, "little")
        if FLASH_BASE <= pc < FLASH_BASE + FLASH_SIZE and not self._for_module(pc):
            self.board.memory.protect(start, end - start, True)
            self.open = True
            self.opened += 1
            self.uc.mem_write(address, data)
            return True
        errno = self.errno
        if errno is not None and errno[0] <= address and address + size <= errno[1]:
            self.board.memory.write(address, data)   # errno = ... in a callback's own code
            return True
        return False

    def _for_module(self, pc):
        """Whether the firmware code storing at `pc` does so for module code: a function of
        _STORES_FOR_CALLER, called from one (strcat calls strcpy), called from a module."""
        sp = self.uc.reg_read(A.UC_ARM_REG_SP)
        lr = self.uc.reg_read(A.UC_ARM_REG_LR)
        for _ in range(2):
            found = self.board.firmware_function(pc)
            if found is None or found[0] not in _STORES_FOR_CALLER:
                return False
            # past their `push {..., lr}` the return address is the pushed word (memset and
            # memmove use lr as a scratch register after it), else lr
            pushed = self._pushed(pc - found[1], found[1])
            if pushed:
                pc = self.board.memory.read32(sp + 4 * (pushed - 1))
                sp += 4 * pushed
            else:
                pc = lr
            if self._module_call(pc):
                return True
            pc &= ~1
        return False

    def _module_call(self, address):
        """Whether `address` is a return address into a module's code (just after a BL or
        BLX there), not a data pointer a scratch register happens to hold."""
        return self.board.module_at(address) is not None and address & 1 and \
            self.board.in_code(address) and fault_report.follows_call(self.board.memory, address)

    def _pushed(self, entry, offset):
        """How many words the function at `entry` has pushed by `offset` bytes into it: a
        sweep of its instructions for a `push {..., lr}` before there (these functions move
        sp only there and at their returns, and lay out the code after it behind it), 0 when
        none."""
        key = (entry, offset)
        if key not in self._pushes:
            code = self.board.memory.read(entry & ~1, offset)
            at, pushed = 0, 0
            while at + 2 <= offset:
                half = code[at] | code[at + 1] << 8
                wide = half & 0xE000 == 0xE000 and half & 0x1800
                if half & 0xFF00 == 0xB500:                              # PUSH {rlist, lr}
                    pushed = bin(half & 0xFF).count("1") + 1
                elif wide and half == 0xE92D and at + 4 <= offset:       # PUSH.W
                    rlist = code[at + 2] | code[at + 3] << 8
                    if rlist & 0x4000:
                        pushed = bin(rlist).count("1")
                at += 4 if wide else 2
            self._pushes[key] = pushed
        return self._pushes[key]

    def name_at(self, addr):
        """'libc state: <object>' for a faulting store at `addr` on the pages, else None."""
        start, end = self.region
        if not start <= addr < end:
            return None
        for obj_addr, size, name in self.objects:
            if obj_addr <= addr < obj_addr + size:
                if name == "rtdl_stdio_files" and self._file_size():
                    index = (addr - obj_addr) // self.file_size
                    name = _STREAMS[index] if index < len(_STREAMS) else "a FILE of fopen's"
                return "libc state: %s" % _NAMES.get(name, name.split(".")[0])
        return "libc state"
