"""RT-Thread's dlmodule API in Python: load, exec, exit, find, self, symbol_find.

Functions act on the kernel the board attached with `attach(kernel)` (one per device; on a
host, the most recently booted board). Errors raise rterror exceptions and are also kept for
dlfcn.dlerror(). Imports: kernel, rterror.
"""
from . import kernel as _kernel_mod
from .rterror import ModuleStateError, RtdlError

_active = [None]


def attach(kernel):
    _active[0] = kernel


def kernel():
    if _active[0] is None:
        raise RtdlError("no board is running (boot one first)")
    return _active[0]


def _remember(fn, *args):
    k = kernel()
    try:
        return fn(*args)
    except RtdlError as error:
        k.set_error(error)
        raise


def load(path):
    """dlmodule_load: load and link a module, run its constructors; main is not run."""
    k = kernel()
    return _remember(k.drive, k.load_steps(path))


def exec(path, cmd=None):
    """dlmodule_exec: load, then start main(argc, argv) on a new thread of the module.
    Returns at once with the module; the board's run() executes it."""
    k = kernel()
    module = load(path)
    try:
        _remember(k.create_main_thread, module, cmd if cmd is not None else path)
    except RtdlError:
        k.drive(k.destroy_steps(module))
        raise
    return module


def exit(code):
    """dlmodule_exit for the module of the running thread (from a service or a Python hook)."""
    k = kernel()
    module = k.self_module()
    if module is None:
        raise ModuleStateError("dlmodule.exit: no module thread is running")
    k.exit(code)


def find(name):
    """dlmodule_find: the loaded module of that name, or None."""
    return kernel().find(name)


def self():
    """dlmodule_self: the module of the running thread, or None."""
    return kernel().self_module()


def symbol_find(name):
    """dlmodule_symbol_find: the firmware's exported address of `name`, or 0."""
    return kernel().symbols.find(name)


def modules():
    """Loaded modules (msh list_module)."""
    return list(kernel().modules)


STATE_NAMES = _kernel_mod.STATE_NAMES
