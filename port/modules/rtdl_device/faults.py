"""How a module dies of something other than a return from main: a fault or abort of one of
its threads, every thread blocked for ever (deadlock), or the run's budget spent (timeout).
The module is killed without running its destructors, the fault is kept on module.fault and
its exit code follows from the fault's kind.
Imports: records, stacks, rterror.
"""
from . import stacks
from .records import STAT_CLOSING, THREAD_BLOCKED, THREAD_CLOSED, THREAD_INIT
from .rterror import ModuleFault, StackOverflow

# exit codes a host reports for module deaths that are not a return from main
EXIT_FAULT = 139
EXIT_ABORT = 134
EXIT_TIMEOUT = 124
EXIT_DEADLOCK = 124            # every thread blocked for ever: it would never end (a hang)
EXIT_CODES = {"fault": EXIT_FAULT, "abort": EXIT_ABORT, "timeout": EXIT_TIMEOUT,
              "deadlock": EXIT_DEADLOCK}


def kill(kernel, thread, fault):
    """The thread's module dies of `fault` (a ModuleFault); a thread of no module just ends.
    A fault that is really a stack overflow is reported as one."""
    module = thread.module
    if module is None:
        kernel.scheduler.release_thread(thread)
        return
    overflow = stacks.overflow_at(thread, fault.address)
    if overflow is None:
        try:
            stacks.check(kernel.memory, thread)
        except StackOverflow as error:
            overflow = error
    if overflow is not None:
        if overflow.report is None:
            overflow.report = fault.report       # the registers of the faulting access
        fault = overflow
    fault = kernel.imageprot.explain(fault)
    module.fault = fault
    module.ret_code = EXIT_CODES[fault.kind]
    # A module the thread was loading or closing when it faulted goes first.
    kernel.steps.abandon_pending(thread.pending, fault)
    kernel.set_error(fault)
    # A faulted module's destructors are not trusted to run: free its memory directly.
    module.state = STAT_CLOSING
    kernel.lifecycle.free_memory(module)


def in_callback(module, context, fault):
    """The fault of `module`'s callback (`context`: "idle hook", "hard timer 't'") from the
    fault its code raised: the same parts behind the context, the line naming the module
    once (the code's own line names it, or "kernel" for the kernel stack it ran on), its CPU
    report kept for -v."""
    what = fault.what
    if fault.who not in (None, module.name, "kernel"):
        what = "%s: %s" % (fault.who, what)
    hooked = ModuleFault("%s: %s" % (context, what), fault.address, fault.kind, fault.region,
                         fault.rest, module.name)
    hooked.report = fault.report
    return hooked


def kill_module(kernel, module, fault):
    """`module` dies of `fault` raised by its code run in no thread (a hard timer's callback
    in the tick interrupt)."""
    fault = kernel.imageprot.explain(fault)
    module.fault = fault
    module.ret_code = EXIT_CODES[fault.kind]
    kernel.set_error(fault)
    module.state = STAT_CLOSING
    kernel.lifecycle.free_memory(module)


def _kill_groups(kernel, groups, make_fault):
    """Kill each group of threads of one module with the fault make_fault(module, threads)."""
    for threads in groups:
        kill(kernel, threads[0], make_fault(threads[0].module, threads))
        for thread in threads[1:]:
            if thread.state != THREAD_CLOSED:      # a thread of no module
                kernel.scheduler.release_thread(thread)


def _by_module(threads):
    groups = []
    for thread in threads:
        for group in groups:
            if group[0].module is thread.module:
                group.append(thread)
                break
        else:
            groups.append([thread])
    return groups


def _name(module):
    return module.name if module else "kernel"


def deadlock(kernel, stuck):
    """Every thread waits for ever and none can wake another: each module with such
    threads ends with a fault naming every one of them and what it waits on."""
    def make_fault(module, threads):
        what = "; ".join(["thread '%s' waits for ever on %s" % (t.name, _waiting_on(t))
                          for t in threads])
        return ModuleFault("%s: deadlock: every thread is blocked and none can wake the "
                           "others: %s" % (_name(module), what), None, "deadlock")
    _kill_groups(kernel, _by_module(stuck), make_fault)


def out_of_time(kernel, timeout_us, residents=None):
    """The run's budget is spent: every module with a thread left ends with a timeout
    that says what each of its threads was doing (but `residents`, whose threads stay)."""
    def make_fault(module, threads):
        doing = "; ".join(["thread '%s' %s" % (t.name, _doing(t)) for t in threads])
        return ModuleFault("%s: timed out when the run's %d ms ran out: %s"
                           % (_name(module), timeout_us // 1000, doing), None, "timeout")
    alive = [t for t in kernel.threads if t.state != THREAD_CLOSED and
             (residents is None or t.module not in residents)]
    _kill_groups(kernel, _by_module(alive), make_fault)


def _waiting_on(thread):
    if thread.wait is None:
        return "rt_thread_suspend (nothing resumes it)" if thread.suspended else "a delay"
    obj = thread.wait
    if obj.module is thread.module:
        return obj.describe()
    return "%s of %s" % (obj.describe(), "module '%s'" % obj.module.name
                         if obj.module is not None else "the system")


def _doing(thread):
    if thread.state == THREAD_BLOCKED:
        if thread.wait is None:
            return "sleeping until tick %d" % thread.wake_tick
        return "blocked on %s" % thread.wait.describe()
    if thread.state == THREAD_INIT:
        return "created but never started"
    return "still running"
