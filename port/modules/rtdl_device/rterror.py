"""The one exception hierarchy of the device side. Imports nothing.

Every error raised by port/modules derives from RtdlError. Errors about a file name it, the
offending item and what was expected; `errno` carries an RT-Thread/POSIX style code so the C
API (dlerror, dlmodule_load returning RT_NULL) can report it.
"""

# POSIX errno values (MicroPython's errno module may lack some).
ENOENT = 2
EIO = 5
ENOEXEC = 8
EFAULT = 14
EBUSY = 16
ENOMEM = 12
EINVAL = 22
ERANGE = 34
ENOSYS = 38


class RtdlError(Exception):
    """Base of every rtdl device-side error."""
    errno = EINVAL

    def __init__(self, message, errno=None):
        super().__init__(message)
        self.message = message
        if errno is not None:
            self.errno = errno

    def __str__(self):
        return self.message


def _in_file(file, text):
    return "%s: %s" % (file, text) if file else text


class ElfError(RtdlError):
    """The file is not a well-formed ELF this loader accepts (header, segment, section, symbol).

    Fields: `file` (its name, or None), `reason` (what is wrong), `field` (the ELF field at
    fault, e.g. "e_type", when one check is about one field), `expected` (what that field
    should hold). The message is "file: reason (expected ...)".
    """
    errno = ENOEXEC

    def __init__(self, reason, file=None, field=None, expected=None):
        self.file = file
        self.reason = reason
        self.field = field
        self.expected = expected
        if expected is not None:
            reason = "%s (expected %s)" % (reason, expected)
        super().__init__(_in_file(file, reason))


class RelocationError(RtdlError):
    """A relocation cannot be applied: unknown type, result out of range, bad target.

    Fields (None when not known where the error is raised; the linker fills them in):
    `file`, `section` (name of the relocation section), `section_index`, `index` (of the
    relocation in its section), `relocation_type` (its name, e.g. "R_ARM_THM_CALL"),
    `offset` (r_offset), `symbol` (name, "" for none), `reason` and `kind` (UNSUPPORTED,
    OUT_OF_RANGE or None for any other problem). The message is
    "file: relocation #index (type) in [section_index] section at offset 0x.. against
    'symbol': reason".
    """
    errno = ENOEXEC
    UNSUPPORTED = "unsupported"
    OUT_OF_RANGE = "out-of-range"

    def __init__(self, reason, kind=None, file=None, section=None, section_index=None,
                 index=None, relocation_type=None, offset=None, symbol=None):
        self.reason = reason
        self.kind = kind
        self.file = file
        self.section = section
        self.section_index = section_index
        self.index = index
        self.relocation_type = relocation_type
        self.offset = offset
        self.symbol = symbol
        if index is not None:
            where = "relocation #%d (%s) in [%d] %s at offset 0x%x" % (
                index, relocation_type, section_index, section, offset)
            if symbol:
                where += " against '%s'" % symbol
            reason = "%s: %s" % (where, reason)
        super().__init__(_in_file(file, reason))


class UnresolvedSymbolError(RtdlError):
    """One or more imports are exported neither by the firmware nor by the module.
    Fields: `file`, `names` (every unresolved name, in order of first use)."""
    errno = ENOENT

    def __init__(self, file, names):
        self.file = file
        self.names = names
        super().__init__("%s: undefined symbol%s not exported by the firmware: %s"
                         % (file, "s" if len(names) > 1 else "", ", ".join(names)))


class HeapError(RtdlError):
    """Out of memory, or an invalid pointer handed to free/realloc."""
    errno = ENOMEM


class HeapCorruption(HeapError):
    """The heap integrity walker found a damaged block header."""
    errno = EFAULT


class ModuleFault(RtdlError):
    """Module code faulted: bad memory access, invalid instruction, stack overflow, abort.
    `address` is the data address of a bad memory access, when known. `kind` says how the
    module died: "fault", "abort", "timeout" or "deadlock" (its exit code follows from it).
    `report` is the board's Cortex-M fault report (registers, fault status, backtrace) of a
    CPU fault, else None.

    The line is composed (`compose`) of parts: `who` it names first (a module, "kernel"),
    `what` happened, `region` - what memory a bad access hit, in parentheses after `what`
    (None: no note) - and the `rest` of the line after it. imageprot.explain names the region
    once it knows whose memory it was (`locate`); the line follows from the parts. A line
    given whole names who first ("name: what"), as every fault line does."""
    errno = EFAULT

    def __init__(self, message, address=None, kind="fault", region=None, rest="", who=None):
        if who is None:
            cut = message.find(": ")
            if cut > 0:
                who = message[:cut]
                message = message[cut + 2:]
        self.who = who
        self.what = message
        self.region = region
        self.rest = rest
        super().__init__(self.compose())
        self.address = address
        self.kind = kind
        self.report = None

    def compose(self):
        line = self.what if self.who is None else self.who + ": " + self.what
        if self.region is not None:
            line += " (" + self.region + ")"
        return line + self.rest

    def locate(self, region):
        """The bad access hit `region` (what the line's note says of it)."""
        self.region = region
        self.message = self.compose()


class StackOverflow(ModuleFault):
    """A thread wrote past the bottom of its stack."""


class ModuleStateError(RtdlError):
    """An operation on a module in the wrong state (closed, busy, unknown handle)."""
    errno = EBUSY
