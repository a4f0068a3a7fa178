"""The module code a load and an unload run, as step generators (steps.py) of the lifecycle:
the constructors after lifecycle.load_now (.init_array, the INIT_*_EXPORT levels, module_init)
and the destructors before free_memory (module_cleanup, the atexit handlers, .fini_array).
A library with none of them is opened and closed without either (lifecycle.open_now and
release_now). Imports: records, symbolize.
"""
from . import symbolize
from .records import STAT_CLOSING


def has_destructors(module):
    image = module.image
    return image is not None and bool(image.cleanup_func or module.atexit or image.fini_array)


def construct_steps(lifecycle, module):
    """Generator: the module's constructors; returns the module. A constructor that faults
    frees everything of the module (the heap is as before)."""
    kernel = lifecycle.kernel
    image = module.image
    previous = kernel.initializing
    kernel.initializing = module
    try:
        for fn in image.init_array:
            yield (fn, ())
        for init in image.init_functions:
            # INIT_*_EXPORT in level order, each bounded like a constructor; a negative
            # result is reported and the load goes on, as rt_components_init goes on
            result = yield (init.func, ())
            if result is not None and result & 0x80000000:
                report_init_failure(kernel, module, init, result - (1 << 32))
        if image.init_func:
            yield (image.init_func, (module.handle,))
    except Exception:
        lifecycle.free_memory(module)
        raise
    finally:
        kernel.initializing = previous
    return module


def report_init_failure(kernel, module, init, result):
    """One console line for an init function that returned a negative value."""
    where = symbolize.describe(module, init.func)
    kernel.console.write(("%s: %s(%s) failed: returned %d\n"
                          % (module.name, init.macro, where, result)).encode())


def destroy_steps(lifecycle, module):
    """Generator: the module's destructors, then free_memory."""
    module.state = STAT_CLOSING
    image = module.image
    if has_destructors(module):
        # the destructors see the module closing; with none, no code can look at the
        # struct before it is freed
        lifecycle.write_struct(module)
    try:
        if image is not None:
            if image.cleanup_func:
                yield (image.cleanup_func, (module.handle,))
            while module.atexit:
                fn, arg = module.atexit.pop()
                yield (fn, (arg,))
            for fn in reversed(image.fini_array):
                yield (fn, ())
    except Exception:
        # a faulting destructor still leaves nothing of the module behind
        lifecycle.free_memory(module)
        raise
    lifecycle.free_memory(module)
