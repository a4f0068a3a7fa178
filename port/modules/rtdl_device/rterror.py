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


class ElfError(RtdlError):
    """The file is not a well-formed ELF this loader accepts (header, segment, section, symbol)."""
    errno = ENOEXEC


class RelocationError(RtdlError):
    """A relocation cannot be applied: unknown type, result out of range, bad target."""
    errno = ENOEXEC


class UnresolvedSymbolError(RtdlError):
    """One or more imports are exported neither by the firmware nor by the module."""
    errno = ENOENT

    def __init__(self, message, names):
        super().__init__(message)
        self.names = names


class HeapError(RtdlError):
    """Out of memory, or an invalid pointer handed to free/realloc."""
    errno = ENOMEM


class HeapCorruption(HeapError):
    """The heap integrity walker found a damaged block header."""
    errno = EFAULT


class ModuleFault(RtdlError):
    """Module code faulted: bad memory access, invalid instruction, stack overflow, abort.
    `address` is the data address of a bad memory access, when known. `kind` says how the
    module died: "fault", "abort", "timeout" or "deadlock" (its exit code follows from it)."""
    errno = EFAULT

    def __init__(self, message, address=None, kind="fault"):
        super().__init__(message)
        self.address = address
        self.kind = kind


class StackOverflow(ModuleFault):
    """A thread wrote past the bottom of its stack."""


class ModuleStateError(RtdlError):
    """An operation on a module in the wrong state (closed, busy, unknown handle)."""
    errno = EBUSY
