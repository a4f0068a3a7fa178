"""Module lifecycle: finding modules, loading one and running its constructors, starting its
main thread, reference counting, running its destructors and freeing everything it owns.
Also the limits and heap blocks of a load and an exec that `rtdl verify` checks up front.
Loading and unloading run target code, so they are step generators (see steps.py).
Imports: struct, argv, fwguard, integrity, linkcache, loader, records, stacks, symbolize, rterror.
"""
import struct

from . import fwguard
from . import integrity
from . import loader
from . import stacks
from . import symbolize
from .linkcache import LinkCache
from .argv import argv_block, argv_bytes, put_argv, split_command
from .records import (Module, Thread, DEFAULT_STACK_SIZE, MIN_STACK_SIZE,
                      RT_THREAD_PRIORITY_MAX, STAT_CLOSED, STAT_CLOSING, STAT_RUNNING)
from .rterror import HeapError, ModuleFault, RtdlError, EINVAL, ENOENT

EXIT_FAULT = 139               # faults.EXIT_FAULT (faults imports lifecycle's users)
MODULE_STRUCT_SIZE = 44        # struct rt_dlmodule, see firmware_stub/include/dlmodule.h
# finsh's own thread, on which RT-Thread runs msh commands (finsh Kconfig defaults)
COMMAND_THREAD_NAME = "tshell"
COMMAND_PRIORITY = 20
COMMAND_STACK_SIZE = 4096


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


class FileReader:
    """Files on the device's file system: plain open() on CPython and MicroPython alike."""

    def read(self, path):
        with open(path, "rb") as f:
            return f.read()


class Lifecycle:
    def __init__(self, kernel):
        self.kernel = kernel
        self.linked = LinkCache()
        self._names = {}             # path -> module name
        # code_runs() when the end-of-module checks last ran and when the firmware's data
        # was last put back (-1: not yet)
        self.checked_at = -1
        self.restored_at = -1
        # (address, bytes, code_runs() then, heap.handed after the free) of the struct
        # rt_dlmodule the last module freed left in memory (write_struct), or None
        self._struct_left = None

    # ------------------------------------------------------------- finding modules ------
    def find(self, name):
        for module in self.kernel.modules:
            if module.name == name and module.state != STAT_CLOSED:
                return module
        return None

    def by_handle(self, handle):
        for module in self.kernel.modules:
            if module.handle == handle and module.state != STAT_CLOSED:
                return module
        return None

    def module_at(self, addr):
        for module in self.kernel.modules:
            if module.contains(addr):
                return module
        return None

    def write_struct(self, module):
        """Refresh the module's struct rt_dlmodule in target memory (its C handle)."""
        handle = module.handle
        if not handle:
            return
        raw = self.struct_bytes(module)
        runs = self.code_runs()
        left = self._struct_left
        if left is not None:
            self._struct_left = None
            # the same bytes a module freed at this address left there: memory still holds
            # them when no target code ran since they were written and the heap handed out
            # nothing over them but this module's own block
            if left[0] == handle and left[1] == raw and self.kernel.heap.still_holds(
                    left[2], left[3], handle, handle + MODULE_STRUCT_SIZE, 1):
                module.struct_written = (raw, runs)
                return
        self.kernel.memory.write(handle, raw)
        module.struct_written = (raw, runs)

    def struct_bytes(self, module):
        """The struct rt_dlmodule the kernel keeps for `module` (integrity.py compares it)."""
        name = module.name.encode()[:loader.RT_NAME_MAX]
        image = module.image
        if image is None:
            base = size = entry = count = 0
        else:
            base, size, entry, count = image.base, len(image.data), image.entry, len(image.symbols)
        return struct.pack("<12sBBHHHIiIIII", name, module.state, 0, module.nref & 0xFFFF,
                          module.priority, count & 0xFFFF, module.stack_size, module.ret_code,
                          base, size, entry, 0)

    def name_of(self, path):
        """loader.module_name(path), worked out once per path (a few paths are used)."""
        name = self._names.get(path)
        if name is None:
            if len(self._names) >= 64:
                self._names = {}
            name = self._names[path] = loader.module_name(path)
        return name

    # ------------------------------------------------------------------- loading --------
    def load_steps(self, path):
        """See Kernel.load_steps."""
        kernel = self.kernel
        name = self.name_of(path)
        try:
            data = kernel.files.read(path)
        except OSError as error:
            raise RtdlError("%s: cannot read file (%s)" % (path, error), ENOENT)
        module = Module(name, path)
        handle = kernel.heap.malloc(MODULE_STRUCT_SIZE)
        if not handle:
            raise HeapError("%s: no memory for the module object" % path)
        kernel.imageprot.loading = True
        try:
            module.image = loader.load_image(data, path, kernel.heap, kernel.memory,
                                             kernel.symbols.find, None, kernel.target,
                                             self.linked)
        except Exception:
            kernel.imageprot.loading = False
            kernel.imageprot.claimed = None
            kernel.heap.free(handle)
            raise
        kernel.imageprot.loading = False
        module.handle = handle
        image = module.image
        integrity.keep_image(module)
        kernel.imageprot.keep(module)
        error = config_error(image, path)
        if error is not None:
            self.free_memory(module)
            raise error
        if image.priority is not None:
            module.priority = image.priority
        if image.stack_size is not None:
            module.stack_size = image.stack_size   # RT-Thread's inverted test never did this
        module.nref = 1
        kernel.modules.append(module)
        kernel.imageprot.opened(module)
        self.write_struct(module)
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
                    self.report_init_failure(module, init, result - (1 << 32))
            if image.init_func:
                yield (image.init_func, (module.handle,))
        except Exception:
            self.free_memory(module)
            raise
        finally:
            kernel.initializing = previous
        return module

    def report_init_failure(self, module, init, result):
        """One console line for an init function that returned a negative value."""
        where = symbolize.describe(module, init.func)
        self.kernel.console.write(("%s: %s(%s) failed: returned %d\n"
                                   % (module.name, init.macro, where, result)).encode())

    def open_steps(self, path):
        """See Kernel.open_steps."""
        module = self.find(self.name_of(path))
        if module is not None:
            module.nref += 1
            self.kernel.imageprot.opened(module)
            self.write_struct(module)
            return module
        module = yield from self.kernel.load_steps(self.resolve_library_path(path))
        return module

    def resolve_library_path(self, path):
        """dlopen.c's rule: a relative path is joined under /modules/ ("lib.so" ->
        "/modules/lib.so", "modules/lib.so" -> "/modules/modules/lib.so"). Files that say
        `device_fs = True` are a device file system, where that rule is exact; others (the
        default FileReader, a test's own reader) read host paths, where there is no
        /modules/, so a relative path that exists as given is taken as given first."""
        if path.startswith("/"):
            return path
        if not getattr(self.kernel.files, "device_fs", False):
            try:
                self.kernel.files.read(path)
                return path
            except OSError:
                pass
        return "/modules/" + path

    def create_main_thread(self, module, cmd):
        """See Kernel.create_main_thread."""
        kernel = self.kernel
        if not module.entry:
            raise RtdlError("%s: has no entry point (expected a program linked with -e main)"
                            % module.path, EINVAL)
        argv = split_command(cmd)
        if not argv:
            argv = [module.name]
        thread = self._start_with_argv(
            Thread(module.name, module, module.entry, module.stack_size, module.priority),
            argv, "rt_module_main_return")
        module.state = STAT_RUNNING
        self.write_struct(module)
        return thread

    def create_command_thread(self, module, command, cmd):
        """An msh command of `module` (finsh_exports.Command) called as cmd(argc, argv) on a
        thread of the module, as finsh calls it on its own 'tshell' thread (FINSH_THREAD_*
        priority and stack): its code is the module's, so a fault in it ends that module and
        not the shell. The thread ends when the function returns (rt_thread_exit), keeping
        its result in thread.exit_value; the module stays loaded."""
        return self._start_with_argv(
            Thread(COMMAND_THREAD_NAME, module, command.func, COMMAND_STACK_SIZE,
                   COMMAND_PRIORITY),
            split_command(cmd) or [command.name], "rt_thread_exit")

    def _start_with_argv(self, thread, argv, return_to):
        """Give `thread` a stack whose entry gets (argc, argv) and returns to the firmware's
        `return_to`, and make it ready; on a failure everything it took is freed."""
        kernel = self.kernel
        try:
            block = argv_block(kernel.heap, argv)
            thread.blocks.append(block)
            # In the stack region argv[] lives above the thread's stack top, read-only to
            # other modules' code as the stack is (stackprot.py); the heap block is then
            # only its charge, as the stack's own block is.
            above = stacks.allocate(kernel, thread, (len(argv), block),
                                    kernel.addresses[return_to], argv_bytes(argv))
            where = above or block
            put_argv(kernel.memory, where, argv)
            thread.context[1] = thread.argv = where
        except Exception:
            kernel.scheduler.release_thread(thread)
            raise
        kernel.scheduler.add(thread)
        return thread

    # ----------------------------------------------------------------- unloading -------
    def release(self, module):
        """See Kernel.release."""
        if module.nref > 0:
            module.nref -= 1
        if module.nref == 0 and not module.has_live_threads():
            yield from self.kernel.destroy_steps(module)    # it writes the struct if needed
        else:
            self.write_struct(module)
        self.kernel.imageprot.closed(module)

    def destroy_steps(self, module):
        """See Kernel.destroy_steps."""
        module.state = STAT_CLOSING
        image = module.image
        if image is not None and (image.cleanup_func or module.atexit or image.fini_array):
            # the destructors see the module closing; with none, no code can look at the
            # struct before it is freed
            self.write_struct(module)
        try:
            if module.image is not None:
                if module.image.cleanup_func:
                    yield (module.image.cleanup_func, (module.handle,))
                while module.atexit:
                    fn, arg = module.atexit.pop()
                    yield (fn, (arg,))
                for fn in reversed(module.image.fini_array):
                    yield (fn, ())
        except Exception:
            # a faulting destructor still leaves nothing of the module behind
            self.free_memory(module)
            raise
        self.free_memory(module)

    def code_runs(self):
        """How many times target code has run on this board (the cpu counts them), or None
        when the cpu does not say or is running now (a service ends a module while code
        runs on): then every check runs at every module end."""
        cpu = self.kernel.cpu
        if getattr(cpu, "running", True):
            return None
        return getattr(cpu, "runs", None)

    def check_damage(self, module):
        """The end-of-module checks of kernel memory: heap headers, the firmware's variables,
        control blocks and other modules' code. What they find is put back and becomes the
        module's fault. Only target code can damage these (the kernel's own writes keep them
        as they check them), so free_memory skips them when no code has run since they last
        ran: a module that was opened and closed without running finds nothing to check."""
        kernel = self.kernel
        damage = kernel.heap_damage()
        if damage is not None and module.fault is None:
            # found at the latest when the module ends: it is this module's fault
            module.fault = ModuleFault("%s: %s" % (module.name, damage))
            module.ret_code = EXIT_FAULT
        # alone: no other module ran alongside, or none ran since the last switch check
        alone = not [other for other in kernel.modules
                     if other is not module and other.has_live_threads()] or \
            kernel.imageprot.only_ran(module)
        for damage in (fwguard.damage(kernel), integrity.damage(kernel, module)):
            if damage is not None and module.fault is None and alone:
                # no other module ran alongside: the firmware variable, control block or
                # other module's code it overwrote is this module's doing
                module.fault = ModuleFault("%s: %s" % (module.name, damage))
                module.ret_code = EXIT_FAULT

    def free_memory(self, module):
        """Free everything of the module without running any of its code: its threads, its
        kernel objects, the heap blocks it owns, its image and its struct."""
        kernel = self.kernel
        runs = self.code_runs()
        if runs is None or runs != self.checked_at:
            self.check_damage(module)
            self.checked_at = runs
        strict = getattr(kernel, "heap_strict", None)
        if strict is not None:
            # before ownership frees its blocks: their redzones and its quarantine
            problem = strict.module_end(module)
            if problem is not None and module.fault is None:
                module.fault = ModuleFault("%s: %s" % (module.name, problem))
                module.ret_code = EXIT_FAULT
        if module.threads:
            for thread in list(module.threads):
                kernel.scheduler.release_thread(thread)
        if module.objects:
            for obj in list(module.objects):
                kernel.ipc_services.destroy_object(obj)
        kernel.hooks.forget(module)
        kernel.dfs.close_owned(module)
        kernel.devices.release_owned(module)
        kernel.ownership.reclaim(module)
        image = module.image
        if image is not None:
            kernel.imageprot.forget(module)
            if getattr(image, "aligned_block", False):
                kernel.heap.free_align(image.base)
            else:
                kernel.heap.free(image.base)
            # what it left in memory stays known to install.py until the heap hands it out
            image.freed_at = getattr(kernel.heap, "handed", None)
        if module.handle:
            kernel.heap.free(module.handle)
            written = getattr(module, "struct_written", None)
            handed = getattr(kernel.heap, "handed", None)
            if written is not None and written[1] is not None and written[1] == runs and \
                    handed is not None:
                self._struct_left = (module.handle, written[0], written[1], handed)
            module.handle = 0
        module.state = STAT_CLOSED
        if module in kernel.modules:
            kernel.modules.remove(module)
        if kernel.modules:
            return
        if runs is None or runs != self.restored_at:
            # the last module is gone: whatever it wrote into the firmware's .data/.bss
            # (newlib's _impure_ptr, ...) is undone, so the next module runs as after boot
            kernel.restore_firmware_data()
            self.restored_at = runs
        if hasattr(kernel.memory, "flush_code_cache"):
            kernel.memory.flush_code_cache()     # host memory stays flat (see memory.py)
