"""Services the C runtime of a module calls on its own behalf: console output (stdio),
exit, abort and atexit registration (C++ static destructors).
Imports: records, symtab, rterror.
"""
from .records import STAT_CLOSING, THREAD_CLOSED
from .rterror import ModuleFault


class RuntimeServices:
    def __init__(self, kernel):
        self.kernel = kernel

    def handlers(self):
        return (("__rtdl_console_write", self.console_write),
                ("__rtdl_exit", self.exit),
                ("__rtdl_abort", self.abort),
                ("__rtdl_atexit", self.atexit))

    def console_write(self, args):
        buf, size = args[0], args[1]
        if size:
            self.kernel.console.write(self.kernel.args.buffer(buf, size, "buf"))
        return size

    def exit(self, args):
        """(code): the calling thread's module ends; every thread of it stops and the module
        is destroyed once they are off the CPU."""
        kernel = self.kernel
        thread = kernel.current
        if thread is None or thread.module is None:
            raise ModuleFault("dlmodule_exit called outside a module thread")
        module = thread.module
        module.ret_code = args[0] - (1 << 32) if args[0] & 0x80000000 else args[0]
        module.state = STAT_CLOSING
        for other in module.threads:
            kernel.scheduler.leave_wait(other)     # out of every wait queue: no wake-up reaches it
            other.state = THREAD_CLOSED
        kernel.lifecycle.write_struct(module)
        kernel.cpu.stop()
        return None

    def abort(self, args):
        """(reason string or 0): the calling module is killed."""
        kernel = self.kernel
        reason = kernel.args.string(args[0], "reason", null="abort")
        current = kernel.current
        raise ModuleFault("%s: %s called (module aborted)"
                          % (current.name if current else "kernel",
                             reason if reason == "abort" else reason + " -> abort"),
                          None, "abort")

    def atexit(self, args):
        """(func, arg, dso): the dso handle is the module's own __dso_handle (rtdl build
        gives each module one)."""
        kernel = self.kernel
        module = (kernel.module_at(args[2]) or kernel.ownership.owner_of_call()
                  or kernel.self_module() or kernel.initializing)
        if module is None:
            return -1 & 0xFFFFFFFF
        if module.state == STAT_CLOSING:
            # A handler registering another one while the module is unloading would keep
            # destroy_steps running forever (found by the fuzzer): the module is going away.
            return -1 & 0xFFFFFFFF
        module.atexit.append((args[0], args[1]))
        return 0
