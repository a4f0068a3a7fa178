"""Running target code from kernel work: step generators.

Work that must run target code (constructors of a module another module dlopens, destructors
at dlclose) is a generator yielding `(function, args)` calls and finally returning its result,
because an emulator cannot be re-entered from its own hook. At top level `drive` runs each
call with cpu.call on the kernel stack; inside a service `start` redirects the calling thread
into the function with LR = the `__rtdl_resume` veneer, whose service (`resume`) continues the
generator and finally restores the thread's frame with the result in r0. If the target code
fails, every waiting generator is thrown the error so it can undo its work.
Imports: rterror.
"""
from .rterror import ModuleFault, RtdlError


class Steps:
    def __init__(self, kernel):
        self.kernel = kernel

    def handlers(self):
        return (("__rtdl_resume", self.resume),)

    def drive(self, steps):
        """Run a step generator at top level (no thread is running): calls go to cpu.call."""
        kernel = self.kernel
        result = None
        running = kernel.imageprot.running
        kernel.libc.outside()              # outside any thread: libc on the system reent
        try:
            while True:
                fn, args = steps.send(result)
                # the called code is its module's: that module's images are writable
                kernel.imageprot.enter(kernel.lifecycle.module_at(fn & ~1))
                try:
                    result = kernel.cpu.call(fn, args, kernel.call_timeout_us)
                except Exception as error:
                    # a store into another module's image names it (constructors, hooks)
                    error = kernel.imageprot.explain(error)
                    # innermost first: services the failed call had started, then this one
                    self.abandon_pending(kernel.pending, error)
                    self.abandon(steps, error)
                    raise error
        except StopIteration as stop:
            return stop.value
        finally:
            kernel.imageprot.enter(running if running in kernel.modules else None)
            kernel.libc.select(kernel.errno.word)     # back on the errno owner's reent

    def abandon(self, steps, error):
        """Throw `error` into a service generator waiting for a target call, so it undoes its
        work (a half-loaded module is freed); what it returns or raises then is dropped."""
        try:
            steps.throw(error)
        except Exception:
            return
        steps.close()

    def abandon_pending(self, pending, error):
        while pending:
            self.abandon(pending.pop()[0], error)

    def _pending(self):
        # Outside any thread the caller is target code run by drive() (a constructor that
        # calls dlopen): the same redirection works on the kernel stack.
        thread = self.kernel.current
        return thread.pending if thread is not None else self.kernel.pending

    def start(self, steps, value=None):
        """Advance a service generator; redirect the thread to its next target call.
        Returns the service's r0 when the generator has finished, else None."""
        kernel = self.kernel
        try:
            fn, args = steps.send(value)
        except StopIteration as stop:
            return stop.value or 0
        self._pending().append((steps, kernel.cpu.save_call_frame()))
        kernel.cpu.redirect(fn, args, kernel.addresses["__rtdl_resume"])
        return None

    def resume(self, args):
        """__rtdl_resume(r0 of the finished target call): continue the service."""
        pending = self._pending()
        if not pending:
            raise ModuleFault("%s: __rtdl_resume called out of turn (no service is waiting "
                              "for a target call)" % (self.kernel.current.who()
                                                      if self.kernel.current else "kernel"))
        steps, frame = pending.pop()
        self.kernel.cpu.restore_call_frame(frame)
        try:
            return self.start(steps, args[0])
        except RtdlError as error:
            self.kernel.set_error(error)
            return 0


def guarded(kernel, steps):
    """Generator: `steps` with errors reported through dlerror and a result of 0, as a C
    service reports them, instead of raised."""
    try:
        result = yield from steps
    except RtdlError as error:
        kernel.set_error(error)
        return 0
    return result
