"""POSIX libdl in Python: dlopen, dlsym, dlclose, dlerror, with RT-Thread's contract and its
defects fixed (an open module is found again by name, dlsym sees defined functions and data
only, dlclose returns 0, dlerror tells what went wrong). Imports: dlmodule, rterror.
"""
from . import dlmodule
from .rterror import ModuleStateError, RtdlError

RTLD_LAZY = 0x00000
RTLD_NOW = 0x00001
RTLD_GLOBAL = 0x10000
RTLD_LOCAL = 0x00000


def dlopen(path, mode=RTLD_NOW):
    """The module (the handle), loaded if needed; nref+1 if it is already open. main is never
    run. `mode` is accepted and, as in RT-Thread, ignored."""
    k = dlmodule.kernel()
    try:
        module, steps = k.open_now(path)
        if steps is not None:
            module = k.drive(steps)
        return module
    except RtdlError as error:
        k.set_error(error)
        raise


def _check(handle):
    k = dlmodule.kernel()
    if handle is None or handle not in k.modules:
        error = ModuleStateError("dlsym/dlclose: %r is not an open module handle" % (handle,))
        k.set_error(error)
        raise error
    return k


def dlsym(handle, name):
    """Address of a defined function or object of that module, or 0 (see dlerror)."""
    k = _check(handle)
    addr = handle.symbols.get(name, 0)
    if not addr:
        k.set_error(RtdlError("dlsym: %s: undefined symbol '%s'" % (handle.name, name)))
    return addr


def dlclose(handle):
    """nref-1; at 0 the module's destructors run and its memory returns to the heap. 0."""
    k = _check(handle)
    steps = k.release_now(handle)
    if steps is not None:
        k.drive(steps)
    return 0


def dlerror():
    """The last error message, or None; reading clears it."""
    k = dlmodule.kernel()
    text = k.last_error or None
    k.last_error = ""
    return text
