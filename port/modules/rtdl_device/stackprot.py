"""Other threads' stacks are read-only while a module's code runs (issue 10): a wild store into
the stack of a thread of another module, or of a system thread no module code is running on,
faults at the store as the writer's mem manage fault (DACCVIOL), its line naming whose stack it
hit ("stack of thread 'worker' of module 'other'").

Only stacks in the board's stack region (memory.stack_alloc, stacks.py) are guarded: each is a
mapping of its own there, whole pages with unmapped gaps around it, so one permission change
covers a stack and touches nothing else. While module M's code runs, a stack is writable when
  - its thread belongs to a module M may write under imageprot.allowed (M itself, what M
    holds open, what holds M open): a module passes its own locals between its threads, and
    a library's threads call back into their openers;
  - or it is the stack the code runs on (`on`: the thread the scheduler gave the CPU, or the
    one calling the service that switched: the timer thread running M's callback).
All others - other modules' threads, the timer thread between callbacks - are read-only. The
kernel stack (constructors, kernel-made calls in steps.drive) stays writable: nothing lives
on it between two such calls, so a store there damages nothing that outlives the module.

The rules follow imageprot's: its enter() tells `enter` at every change of running module
(None: between kernel runs, for host calls - every module's threads' stacks writable again;
a system thread's stays read-only until code runs on it), the scheduler tells `runs` which
thread gets the CPU. The kernel's own writes into a stack (an out-pointer filled
when a blocked receiver is woken, the siginfo of rt_signal_wait, a new thread's canary) go
through memory.write, which page permissions do not stop; the CPU pushes no exception frame
(a service is an SVC hook, a preempted thread's context is kept by the kernel). A stack is made read-only when it is
allocated if its thread's module may not be written by the one running (a module starting a
program alongside), and writable again before its slot is freed (stack_free keeps the
mapping for the next thread).
Imports: none.
"""


class StackProtection:
    def __init__(self, kernel):
        self.kernel = kernel
        self.module = None      # the module whose rules are in force (None: every stack open)
        self.on = None          # the thread whose stack the running code uses (None: kernel's)
        self.extra = None       # a thread writable only because it is `on`
        self.closed = []        # threads whose stack is read-only now

    def _page(self):
        memory = self.kernel.memory
        if not hasattr(memory, "protect"):
            return 0
        return getattr(memory, "page_size", 0)

    # ------------------------------------------------------------- switching ------------
    def enter(self, module):
        """imageprot.enter: `module`'s code runs next (None: no module's), on the stack of
        kernel.current (None: the kernel stack, or the thread `runs` names next)."""
        on = self.kernel.current
        if module is self.module:
            self._move_on(on)
            return
        self.module = module
        self.on = on
        self._apply(on)

    def holds_changed(self):
        """imageprot.opened/closed: the running module took or dropped a hold, so the stacks
        it may write change now, not at the next switch."""
        if self.module is not None:
            self._apply(self.on)

    def _apply(self, on):
        module = self.module
        self.extra = None
        if not self._page():
            return
        if module is None:
            # modules' stacks open; a system thread's stays read-only, no module code runs
            # on it between kernel runs (the next run then changes no permission of it)
            for thread in list(self.closed):
                if thread.module is not None:
                    self._open(thread)
            return
        allowed = self.kernel.imageprot.allowed(module)
        for thread in self._threads():
            if thread is on or thread.module in allowed:
                if thread in self.closed:
                    self._open(thread)
            elif thread not in self.closed:
                self._close(thread)
        if on is not None and on.module not in allowed:
            self.extra = on

    def runs(self, thread):
        """The scheduler gives `thread` the CPU: its stack is written from now on."""
        self._move_on(thread)

    def _move_on(self, on):
        if on is self.on:
            return
        self.on = on
        extra = self.extra
        if extra is not None and extra is not on:
            self.extra = None
            if extra.region_stack and extra not in self.closed:
                self._close(extra)
        if on is not None and on in self.closed:
            self._open(on)
            self.extra = on

    # ------------------------------------------------------------- stacks come and go ---
    def made(self, thread):
        """stacks.allocate gave `thread` a stack in the region: read-only at once when the
        running module may not write its module's."""
        module = self.module
        if module is None or thread is self.on or not self._page():
            return
        if thread.module not in self.kernel.imageprot.allowed(module):
            self._close(thread)

    def freed(self, thread):
        """Before the thread's slot goes back to the region: writable again, as a new
        thread's stack starts."""
        if thread in self.closed:
            self._open(thread)
        if self.extra is thread:
            self.extra = None
        if self.on is thread:
            self.on = None

    def _threads(self):
        """The threads with a stack in the region."""
        found = [thread for thread in self.kernel.threads if thread.region_stack]
        for thread in self.kernel.system.threads:
            if thread.region_stack:
                found.append(thread)
        return found

    def _close(self, thread):
        self.kernel.memory.protect(thread.region_stack, self._extent(thread), False)
        self.closed.append(thread)

    def _open(self, thread):
        self.closed.remove(thread)
        self.kernel.memory.protect(thread.region_stack, self._extent(thread), True)

    def _extent(self, thread):
        return thread.region_size      # what stack_alloc mapped for it, in whole pages

    # ------------------------------------------------------------- fault lines ----------
    def where(self, address):
        """"stack of thread 'x' of module 'm'" (or "argument vector of ...", "libc state
        (struct _reent) of ...", or "... of
        system thread 'x'") when `address` is on a read-only stack, else None
        (imageprot.explain names it in the fault line)."""
        if address is None:
            return None
        for thread in self.closed:
            bottom = thread.region_stack
            if bottom <= address < bottom + self._extent(thread):
                what = "stack"
                if thread.argv and address >= thread.argv:
                    what = "argument vector"          # above its stack top (lifecycle.py)
                if thread.reent_slot and address >= thread.reent_slot:
                    what = "libc state (struct _reent)"     # at the slot's top (stacks.py)
                if thread.module is None:
                    return "%s of system thread '%s'" % (what, thread.name)
                return "%s of thread '%s' of module '%s'" % (what, thread.name,
                                                             thread.module.name)
        return None
