"""Module lifecycle: finding modules, loading one and running its constructors (initfini.py),
starting its main thread, reference counting, its destructors and freeing all it owns.
Loading and unloading run target code, so they are step generators (see steps.py); the part
before any target code runs is a plain call (load_now, open_now, release_now), so a library
with no constructors or destructors is opened and closed without driving a generator.
Imports: struct, argv, fwguard, initfini, integrity, linkcache, load_plan, loader, records,
stacks, rterror.
"""
import struct

from . import fwguard
from . import initfini
from . import integrity
from . import loader
from . import stacks
from .linkcache import LinkCache
from .argv import argv_block, argv_bytes, put_argv, split_command
from .load_plan import MODULE_STRUCT_SIZE, config_error, exec_blocks  # noqa: F401
from .records import Module, Thread, STAT_CLOSED, STAT_CLOSING, STAT_RUNNING
from .rterror import HeapError, ModuleFault, RtdlError, EINVAL, ENOENT

EXIT_FAULT = 139               # faults.EXIT_FAULT (faults imports lifecycle's users)
# finsh's own thread, on which RT-Thread runs msh commands (finsh Kconfig defaults)
COMMAND_THREAD_NAME = "tshell"
COMMAND_PRIORITY = 20
COMMAND_STACK_SIZE = 4096


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
        self._flush = None           # memory.flush_code_cache (False: the memory has none)

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
        module = self.load_now(path)
        return (yield from self.construct_steps(module))

    def load_now(self, path, name=None):
        """The part of a load that runs no target code: read, place, link, write, protect;
        the module is open (nref 1) and its constructors (construct_steps) are still to run."""
        kernel = self.kernel
        try:
            data = kernel.files.read(path)
        except OSError as error:
            raise RtdlError("%s: cannot read file (%s)" % (path, error), ENOENT)
        module = Module(name or self.name_of(path), path)
        heap = kernel.heap
        handle = heap.malloc(MODULE_STRUCT_SIZE)
        if not handle:
            raise HeapError("%s: no memory for the module object" % path)
        imageprot = kernel.imageprot
        imageprot.loading = True
        try:
            module.image = image = loader.load_image(data, path, heap, kernel.memory,
                                                     kernel.symbols.find, None, kernel.target,
                                                     self.linked)
        except Exception:
            imageprot.loading = False
            imageprot.claimed = None
            heap.free(handle)
            raise
        imageprot.loading = False
        module.handle = handle
        integrity.keep_image(module)
        imageprot.keep(module)
        error = config_error(image, path) if image.priority is not None or \
            image.stack_size is not None else None
        if error is not None:
            self.free_memory(module)
            raise error
        if image.priority is not None:
            module.priority = image.priority
        if image.stack_size is not None:
            module.stack_size = image.stack_size   # RT-Thread's inverted test never did this
        module.nref = 1
        kernel.modules.append(module)
        imageprot.opened(module)
        self.write_struct(module)
        module.loaded_runs = module.struct_written[1]      # code_runs() now
        return module

    def construct_steps(self, module):
        """Generator: the module's constructors, after load_now; returns the module."""
        return initfini.construct_steps(self, module)

    def open_steps(self, path):
        """See Kernel.open_steps."""
        module, steps = self.open_now(path)
        if steps is not None:
            yield from steps
        return module

    def open_now(self, path):
        """dlopen's work up to target code: (the module, None) when it is open, or (the
        module, the generator of its constructors) when they are still to run. dlfcn drives
        the generator only then: a library with no constructors is opened without one."""
        name = self._names.get(path) or self.name_of(path)
        for module in self.kernel.modules:
            if module.name == name and module.state != STAT_CLOSED:
                module.nref += 1
                self.kernel.imageprot.opened(module)
                self.write_struct(module)
                return module, None
        if not path.startswith("/"):
            path = self.resolve_library_path(path)
            name = self.name_of(path)
        module = self.load_now(path, name)
        image = module.image
        if image.init_array or image.init_functions or image.init_func:
            return module, self.construct_steps(module)
        return module, None

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
        steps = self.release_now(module)
        if steps is not None:
            yield from steps

    def release_now(self, module):
        """dlclose's work up to target code: None when it is done, or the generator of the
        rest when destructors are to run (dlfcn drives it only then)."""
        if module.nref > 0:
            module.nref -= 1
        if module.nref == 0 and (not module.threads or not module.has_live_threads()):
            if initfini.has_destructors(module):
                return self._release_steps(module)
            module.state = STAT_CLOSING
            self.free_memory(module)
        else:
            self.write_struct(module)
        self.kernel.imageprot.closed(module)
        return None

    def _release_steps(self, module):
        yield from self.kernel.destroy_steps(module)    # it writes the struct if needed
        self.kernel.imageprot.closed(module)

    def destroy_steps(self, module):
        """See Kernel.destroy_steps."""
        return initfini.destroy_steps(self, module)

    def code_runs(self):
        """How many times target code has run on this board (the cpu's quiet_runs), or None
        when the cpu does not count or is running now (a service ends a module while code
        runs on): then every check runs at every module end."""
        return getattr(self.kernel.cpu, "quiet_runs", None)

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
        if runs is None or runs != module.loaded_runs:
            # hooks, files, devices and heap blocks are taken by services its code calls: a
            # module whose code never ran (no code at all since its load) holds none
            kernel.hooks.forget(module)
            kernel.dfs.close_owned(module)
            kernel.devices.release_owned(module)
            kernel.ownership.reclaim(module)
        heap = kernel.heap
        handed = getattr(heap, "handed", None)       # frees hand out nothing
        image = module.image
        if image is not None:
            kernel.imageprot.forget(module)
            if image.aligned_block:
                heap.free_align(image.base)
            else:
                heap.free(image.base)
            # what it left in memory stays known to install.py until the heap hands it out
            image.freed_at = handed
        if module.handle:
            heap.free(module.handle)
            written = module.struct_written
            if written is not None and runs is not None and written[1] == runs and \
                    handed is not None:
                self._struct_left = (module.handle, written[0], runs, handed)
            module.handle = 0
        module.state = STAT_CLOSED
        modules = kernel.modules
        if module in modules:
            modules.remove(module)
        if modules:
            return
        if runs is None or runs != self.restored_at:
            # the last module is gone: whatever it wrote into the firmware's .data/.bss
            # (newlib's _impure_ptr, ...) is undone, so the next module runs as after boot
            kernel.restore_firmware_data()
            self.restored_at = runs
        flush = self._flush
        if flush is None:
            flush = self._flush = getattr(kernel.memory, "flush_code_cache", False)
        if flush:
            flush()     # host memory stays flat (see memory.py)
