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

Not found: a wild pointer a module hands to firmware code (memset, memcpy, strcpy) into this
state - the store is libc's. The kernel's writes (memory.write) are never bound by the
pages' protection.
CPython only. May import: unicorn, the board's own modules.
"""
from unicorn import arm_const as A

from .memory_map import FLASH_BASE, FLASH_SIZE

# what the fault line calls the FILEs of impure.c's rtdl_stdio_files, by index
_STREAMS = ("stdin's FILE", "stdout's FILE", "stderr's FILE")
_NAMES = {"rtdl_stdio_bufs": "stdout's and stderr's buffers",
          "rtdl_stdio_glue": "fopen's list of FILEs",
          "rtdl_system_reent": "the system reent (rtdl_system_reent)"}


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
        if FLASH_BASE <= pc < FLASH_BASE + FLASH_SIZE:
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
