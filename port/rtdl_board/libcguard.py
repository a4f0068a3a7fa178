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

Firmware code does not always store for itself: the function a module called may be storing
where the module pointed it - memset, sprintf into a wild buffer, fputs on a wild FILE *.
unwind.py walks the firmware's frames up to that function (the outermost, called from module
code), and FOOTPRINTS says which parts of the state it may write on its own; a store into
any other part is the module's wild pointer and faults in the function, the line naming the
function the module called and from where - once the run has stopped at the store and the
walk from its own registers says so too (recheck: inside the hook they can be of an earlier
point of the run). Not found: a wild pointer into a part the function may write (sprintf's
into the system reent, fputs's into stdout's FILE), a function FOOTPRINTS does not name, and
a wild store after libc opened the pages, before the next kernel entry. The kernel's writes
(memory.write) are never bound by the pages' protection.
CPython only. May import: unicorn, pyelftools (unwind), the board's own modules.
"""
from unicorn import arm_const as A

from . import firmware_cache, unwind
from .memory_map import FLASH_BASE, FLASH_SIZE

# what the fault line calls the FILEs of impure.c's rtdl_stdio_files, by index
_STREAMS = ("stdin's FILE", "stdout's FILE", "stderr's FILE")
_NAMES = {"rtdl_stdio_bufs": "stdout's and stderr's buffers",
          "rtdl_stdio_glue": "fopen's list of FILEs",
          "rtdl_system_reent": "the system reent (rtdl_system_reent)"}

# The parts of libc's state, by object: what a function called from module code may write
_GROUPS = {"rtdl_system_reent": "reent", "rtdl_stdio_bufs": "stdio", "rtdl_stdio_glue": "stdio",
           "rtdl_stdio_files": "stdio"}

# What the firmware functions a module calls store into libc's state on its behalf, by
# name (newlib's _r forms where a public one tail-calls them: the walk sees those). Every
# other store they make there went where the module's arguments pointed: a wild pointer or
# a wild FILE *. A function not named here may write any of it.
_CALLER_ONLY = (
    # every store where the caller points (the __aeabi_ forms are what compilers call for
    # struct copies and array clears)
    "memcpy", "memmove", "memset", "mempcpy", "memccpy", "bcopy", "bzero",
    "strcpy", "strncpy", "stpcpy", "stpncpy", "strcat", "strncat", "strlcpy", "strlcat",
    "strtok_r", "strsep", "qsort",
    "__aeabi_memcpy", "__aeabi_memcpy4", "__aeabi_memcpy8",
    "__aeabi_memmove", "__aeabi_memmove4", "__aeabi_memmove8",
    "__aeabi_memset", "__aeabi_memset4", "__aeabi_memset8",
    "__aeabi_memclr", "__aeabi_memclr4", "__aeabi_memclr8",
    "rt_memset", "rt_memcpy", "rt_memmove", "rt_strcpy", "rt_strncpy",
    "rt_sprintf", "rt_snprintf", "rt_vsprintf", "rt_vsnprintf")
_FORMATTING = (
    # to or from memory: besides, only the current reent (errno, dtoa's buffers)
    "sprintf", "snprintf", "vsprintf", "vsnprintf", "asprintf", "vasprintf",
    "_sprintf_r", "_snprintf_r", "_vsprintf_r", "_vsnprintf_r", "_asprintf_r", "_vasprintf_r",
    "_svfprintf_r", "_svfiprintf_r",
    "sscanf", "vsscanf", "_sscanf_r", "_vsscanf_r", "__ssvfscanf_r", "__ssvfiscanf_r",
    "strtod", "strtof", "strtol", "strtoll", "strtoul", "strtoull", "atof", "atoi", "atol",
    "atoll", "_strtod_r", "_strtol_r", "_strtoll_r", "_strtoul_r", "_strtoull_r",
    "strerror_r", "itoa", "utoa", "__itoa", "__utoa", "strdup", "strndup")
_STREAMS_IO = (
    # on a FILE: besides, the stdio streams, their buffers, fopen's list, the current reent
    "fputs", "fputc", "putc", "fwrite", "fprintf", "vfprintf", "fgets", "fgetc", "getc",
    "fread", "fscanf", "vfscanf", "ungetc", "fflush", "fseek", "ftell", "rewind", "setvbuf",
    "setbuf", "fclose", "feof", "ferror", "clearerr", "fileno", "fgetpos", "fsetpos",
    "printf", "vprintf", "puts", "putchar", "getchar", "scanf", "vscanf", "perror",
    "_fputs_r", "_fputc_r", "_putc_r", "_fwrite_r", "_fprintf_r", "_vfprintf_r",
    "_vfiprintf_r", "_fgets_r", "_fgetc_r", "_getc_r", "_fread_r", "_fscanf_r", "_vfscanf_r",
    "__svfscanf_r", "__svfiscanf_r", "_ungetc_r", "_fflush_r", "_fseek_r", "_fseeko_r",
    "_ftell_r", "_ftello_r", "_rewind_r", "_setvbuf_r", "_fclose_r", "_puts_r", "_putchar_r",
    "_getchar_r", "_printf_r", "_vprintf_r", "_scanf_r", "_vscanf_r", "_perror_r",
    "__swbuf_r", "__srget_r", "__sfvwrite_r", "__sflush_r", "__srefill_r")
FOOTPRINTS = {}
for _names, _groups in ((_CALLER_ONLY, ()), (_FORMATTING, ("reent",)),
                        (_STREAMS_IO, ("reent", "stdio"))):
    for _name in _names:
        FOOTPRINTS[_name] = frozenset(_groups)


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
        self.blamed = None       # (address, function, call site) of the fault on_write found
        self._elf = None         # the firmware (elf32), for its unwind rows when first needed
        self._unwinder = None

    def describe(self, symbols, objects, elf=None):
        """From the firmware's symbols: where the pages are and what lies on them; `elf`
        (elf32.ElfFile) for the unwind rows that tell whose store libc made."""
        self._elf = elf
        self._unwinder = None
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
        self.blamed = None
        if FLASH_BASE <= pc < FLASH_BASE + FLASH_SIZE and not self._for_module(address, pc):
            self._open()
            self.uc.mem_write(address, data)
            return True
        errno = self.errno
        if errno is not None and errno[0] <= address and address + size <= errno[1]:
            self.board.memory.write(address, data)   # errno = ... in a callback's own code
            return True
        return False

    def _open(self):
        start, end = self.region
        self.board.memory.protect(start, end - start, True)
        self.open = True
        self.opened += 1

    def recheck(self):
        """The run stopped at a store on_write blamed on the module: True when it was not
        the module's after all - the pages are open and the store is to run again.

        Inside the store's hook unicorn's registers are those of an earlier point of its run
        of chained blocks (pc can be the entry of the function that branched to the storing
        one), so the walk there may be of other frames than the store's; stopped, they are
        the store's, and the walk is done again from them."""
        blamed = self.blamed
        if blamed is None:
            return False
        self.blamed = None
        if self._for_module(blamed[0], self.uc.reg_read(A.UC_ARM_REG_PC)):
            return False                 # the fault stands (self.blamed is set again)
        self._open()
        return True

    def _for_module(self, address, pc):
        """Whether libc's store at `address` is one the function the module called makes
        only where the module pointed it (FOOTPRINTS); then self.blamed says which."""
        obj = self._object_at(address)
        group = _GROUPS.get(obj[2], obj[2]) if obj is not None else None
        unwinder = self.unwinder()
        if unwinder is None:
            return False
        uc = self.uc
        caller = unwinder.module_caller(uc.reg_read(A.UC_ARM_REG_SP),
                                        uc.reg_read(A.UC_ARM_REG_LR),
                                        pc)
        if caller is None:
            return False
        allowed = FOOTPRINTS.get(caller[0])
        if allowed is None or group in allowed:
            return False
        self.blamed = (address,) + caller
        return True

    def unwinder(self):
        """The Unwinder over the firmware's unwind rows (worked out when first asked), or None
        for a firmware without .debug_frame."""
        if self._unwinder is None and self._elf is not None:
            elf = self._elf
            section = elf.section_by_name(".debug_frame")
            if section is None:
                self._elf = None
                return None
            rows = firmware_cache.cached(
                "unwind", elf.data[section.offset:section.offset + section.size],
                lambda: unwind.describe(bytes(elf.data)))
            self._unwinder = unwind.Unwinder(self.board, rows)
        return self._unwinder

    def _object_at(self, addr):
        for obj in self.objects:
            if obj[0] <= addr < obj[0] + obj[1]:
                return obj
        return None

    def name_at(self, addr):
        """'libc state: <object>' for a faulting store at `addr` on the pages, else None."""
        start, end = self.region
        if not start <= addr < end:
            return None
        obj = self._object_at(addr)
        line = "libc state"
        if obj is not None:
            obj_addr, size, name = obj
            if name == "rtdl_stdio_files" and self._file_size():
                index = (addr - obj_addr) // self.file_size
                name = _STREAMS[index] if index < len(_STREAMS) else "a FILE of fopen's"
            line += ": %s" % _NAMES.get(name, name.split(".")[0])
        blamed = self.blamed
        if blamed is not None and blamed[0] == addr:
            line += "; a wild pointer handed to %s, called from %s" % (
                blamed[1], self.board.describe_address(blamed[2]))
        return line
