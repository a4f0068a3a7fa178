"""Module services for C code: RT-Thread's dlmodule_* calls and POSIX libdl (dlopen, dlsym,
dlclose, dlerror), with the same rules as the Python-level dlmodule.py and dlfcn.py.
Loading and closing run target code, so those services return step generators.
Imports: steps, symtab, rterror.
"""
from .steps import guarded
from .rterror import ModuleStateError, RtdlError, ENOENT
from .svc_args import text


class DlServices:
    def __init__(self, kernel):
        self.kernel = kernel

    def handlers(self):
        return (("dlmodule_self", self.dlmodule_self),
                ("dlmodule_find", self.dlmodule_find),
                ("dlmodule_load", self.dlmodule_load),
                ("dlmodule_exec", self.dlmodule_exec),
                ("dlmodule_symbol_find", self.dlmodule_symbol_find),
                ("dlopen", self.dlopen),
                ("dlsym", self.dlsym),
                ("dlclose", self.dlclose),
                ("dlerror", self.dlerror))

    def _string(self, ptr, arg="name"):
        return self.kernel.args.string(ptr, arg)

    def dlmodule_self(self, args):
        module = self.kernel.self_module()
        return module.handle if module else 0

    def dlmodule_find(self, args):
        module = self.kernel.find(self._string(args[0]))
        return module.handle if module else 0

    def dlmodule_symbol_find(self, args):
        return self.kernel.symbols.find(self._string(args[0], "symbol"))

    def _load(self, path):
        module = yield from self.kernel.load_steps(path)
        return module.handle

    def dlmodule_load(self, args):
        return guarded(self.kernel, self._load(self._string(args[0], "path")))

    def _exec(self, path, cmd):
        module = yield from self.kernel.load_steps(path)
        # a program it starts is not a library it holds: its data is not the caller's
        self.kernel.imageprot.closed(module)
        try:
            self.kernel.create_main_thread(module, cmd)
        except RtdlError:
            # no room for its thread: unloaded again, as RT-Thread's dlmodule_exec does
            yield from self.kernel.destroy_steps(module)
            raise
        return module.handle

    def dlmodule_exec(self, args):
        path = self._string(args[0], "path")
        cmd = text(self.kernel.args.buffer(args[1], args[2], "cmd")) \
            if args[1] and args[2] else path
        return guarded(self.kernel, self._exec(path, cmd))

    def _open(self, path):
        module = yield from self.kernel.open_steps(path)
        return module.handle

    def dlopen(self, args):
        if not args[0]:
            self.kernel.set_error(RtdlError("dlopen: NULL path"))
            return 0
        raw = self.kernel.args.string_bytes(args[0], "path")
        try:
            path = str(raw, "utf-8")
        except (UnicodeError, ValueError):
            # module names and messages are text: a path that is not is refused, not a crash
            self.kernel.set_error(RtdlError("dlopen: the path is not UTF-8 text (expected a "
                                            "UTF-8 path)"))
            return 0
        return guarded(self.kernel, self._open(path))

    def dlsym(self, args):
        kernel = self.kernel
        module = kernel.by_handle(args[0])
        name = self.kernel.args.string(args[1], "symbol", null="")
        if module is None:
            kernel.set_error(ModuleStateError("dlsym: 0x%08x is not an open module handle"
                                              % args[0]))
            return 0
        addr = module.symbols.get(name, 0)
        if not addr:
            kernel.set_error(RtdlError("dlsym: %s: undefined symbol '%s'" % (module.name, name),
                                       ENOENT))
        return addr

    def _close(self, module):
        yield from self.kernel.release(module)
        return 0

    def dlclose(self, args):
        module = self.kernel.by_handle(args[0])
        if module is None:
            self.kernel.set_error(ModuleStateError("dlclose: 0x%08x is not an open module "
                                                   "handle" % args[0]))
            return -1 & 0xFFFFFFFF
        return guarded(self.kernel, self._close(module))

    def dlerror(self, args):
        """The last error as a C string (NULL when none), cleared by reading, as POSIX says."""
        kernel = self.kernel
        if kernel._dlerror_block:
            kernel.ownership.untrack(kernel._dlerror_block)
            kernel.heap.free(kernel._dlerror_block)
            kernel._dlerror_block = 0
        if not kernel.last_error:
            return 0
        text = kernel.last_error.encode()[:255] + b"\0"
        # The string belongs to the module that asked: it goes with the next dlerror() or
        # with that module, so a module's last dlerror() does not outlive it in the heap.
        block = kernel.ownership.track(kernel.heap.malloc(len(text)))
        if block:
            kernel.memory.write(block, text)
            kernel._dlerror_block = block
        kernel.last_error = ""
        return block
