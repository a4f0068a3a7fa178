"""What a load and an exec take and refuse before any of it is done, in one place for the
lifecycle and `rtdl verify` (which checks them up front): the heap blocks, in the kernel's
order (exec_blocks), and the main-thread settings the kernel refuses (config_error).
Imports: argv, loader, records, stacks, rterror.
"""
from . import loader
from . import stacks
from .argv import argv_bytes
from .records import DEFAULT_STACK_SIZE, MIN_STACK_SIZE, RT_THREAD_PRIORITY_MAX
from .rterror import RtdlError

MODULE_STRUCT_SIZE = 44        # struct rt_dlmodule, see firmware_stub/include/dlmodule.h


def config_error(image, path):
    """The RtdlError for a main-thread priority or stack size the kernel refuses, or None."""
    if image.priority is not None and image.priority >= RT_THREAD_PRIORITY_MAX:
        return RtdlError("%s: dlmodule_thread_priority %d (expected 0..%d)"
                         % (path, image.priority, RT_THREAD_PRIORITY_MAX - 1))
    if image.stack_size is not None and image.stack_size < MIN_STACK_SIZE:
        return RtdlError("%s: dlmodule_thread_stacksize %d (expected at least %d)"
                         % (path, image.stack_size, MIN_STACK_SIZE))
    return None


def exec_blocks(image, program, page_size, argv):
    """The heap blocks [(what, size, alignment)] the kernel takes for `image` before any of its
    code runs, in its order: the module object and the image (dlmodule_load), then for a
    program the argument vector, the main thread's stack and its control block
    (dlmodule_exec). `rtdl verify` takes them from the firmware's heap at boot."""
    size, align = loader.image_block(image.placement, page_size)
    if align <= 8:
        size = image.size
    blocks = [("module object", MODULE_STRUCT_SIZE, 0),
              ("module image", size, align if align > 8 else 0)]
    if program:
        stack = image.stack_size if image.stack_size is not None else DEFAULT_STACK_SIZE
        size, align = stacks.stack_block(stack, page_size)
        blocks += [("argument vector", argv_bytes(argv), 0),
                   ("main thread stack", size, align),
                   ("thread control block", stacks.TCB_SIZE, 0)]
    return blocks
