"""Thread and scheduler services beyond create/delete (issue 9, threads and system), with
RT-Thread 5.x semantics: static threads (rt_thread_init/detach on the module's own struct and
stack), rt_thread_suspend/resume/control/find/sleep, the scheduler lock (rt_enter_critical,
rt_exit_critical, rt_critical_level, and rthw.h's rt_hw_interrupt_disable/enable, which on this
single core lock the scheduler the same way), the per-thread errno and rt_object_find.
The scheduler honours the lock: a thread holding it keeps the CPU (scheduler.pick, preempt).
Imports: ipc, stacks, tcb, loader (RT_NAME_MAX), records, svc_thread, rterror; arguments
are read through kernel.args (svc_args).
"""
from . import ipc
from . import stacks
from . import tcb as rt_tcb
from .loader import RT_NAME_MAX
from .records import (Thread, DEFAULT_TICK, MIN_STACK_SIZE, RT_THREAD_PRIORITY_MAX,
                      THREAD_BLOCKED, THREAD_CLOSED, THREAD_INIT, THREAD_READY,
                      THREAD_RUNNING)
from .rterror import ModuleFault, RtdlError
from .svc_thread import caller, creator

RT_THREAD_CTRL_STARTUP = 0
RT_THREAD_CTRL_CLOSE = 1
RT_THREAD_CTRL_CHANGE_PRIORITY = 2
RT_THREAD_CTRL_RESET_PRIORITY = 5


def locked(thread):
    """Whether `thread` holds the scheduler lock (critical section or interrupts masked)."""
    return thread is not None and (thread.critical > 0 or thread.irq_level > 0)


class SchedServices:
    def __init__(self, kernel, threads):
        self.kernel = kernel
        self.threads = threads          # svc_thread.ThreadServices: startup, delete, sleep
        self.errno = 0                  # RT-Thread's _errno, for code outside any thread

    def handlers(self):
        return (("rt_thread_init", self.init),
                ("rt_thread_detach", self.detach),
                ("rt_thread_suspend", self.suspend),
                ("rt_thread_resume", self.resume),
                ("rt_thread_control", self.control),
                ("rt_thread_find", self.find),
                ("rt_thread_sleep", self.threads.delay),
                ("rt_enter_critical", self.enter_critical),
                ("rt_exit_critical", self.exit_critical),
                ("rt_critical_level", self.critical_level),
                ("rt_hw_interrupt_disable", self.interrupt_disable),
                ("rt_hw_interrupt_enable", self.interrupt_enable),
                ("rt_get_errno", self.get_errno),
                ("rt_set_errno", self.set_errno),
                ("_rt_errno", self.errno_address),
                ("rt_object_find", self.object_find))

    # ------------------------------------------------------------- static threads ------
    def init(self, args):
        """rt_thread_init(thread, name, entry, parameter; stack_start, stack_size, priority,
        tick on the caller's stack): the thread lives in the module's struct and stack."""
        kernel = self.kernel
        memory = kernel.memory
        sp = kernel.cpu.sp()
        stack, stack_size = memory.read32(sp), memory.read32(sp + 4)
        priority, tick = memory.read32(sp + 8) & 0xFF, memory.read32(sp + 12)
        handle, entry, parameter = args[0], args[2], args[3]
        name = kernel.args.string(args[1], "name", null="thread")[:RT_NAME_MAX]
        problem = None
        if not handle:
            problem = "a NULL struct rt_thread"
        elif self.threads.live(handle) is not None:
            problem = "struct rt_thread at 0x%08x is already a live thread" % handle
        elif not entry:
            problem = "a NULL entry function"
        elif not stack:
            problem = "a NULL stack"
        elif priority >= RT_THREAD_PRIORITY_MAX:
            problem = "priority %d (expected 0..%d)" % (priority, RT_THREAD_PRIORITY_MAX - 1)
        elif stack_size < MIN_STACK_SIZE:
            problem = "stack size %d (expected %d bytes or more)" % (stack_size, MIN_STACK_SIZE)
        if problem is not None:
            raise ModuleFault("%s: rt_thread_init '%s': %s" % (caller(kernel), name, problem))
        # the struct and the stack are the caller's memory, which the kernel writes now
        # (the struct, the stack's canary) and the thread later: never flash or kernel blocks
        kernel.args.check_writable(handle, rt_tcb.TCB_SIZE, "thread")
        kernel.args.check_writable(stack, stack_size, "stack_start")
        thread = Thread(name, creator(kernel), entry, stack_size, priority,
                        tick if 0 < tick < 0x10000 else DEFAULT_TICK)
        thread.static = True
        stacks.adopt(kernel, thread, stack, handle, (parameter,),
                     kernel.addresses["rt_thread_exit"])
        thread.state = THREAD_INIT
        kernel.scheduler.add(thread)
        return ipc.RT_EOK

    def detach(self, args):
        thread = self.threads.thread_of(args[0], "rt_thread_detach")
        if not thread.static:
            raise ModuleFault("%s: rt_thread_detach: thread '%s' was made by rt_thread_create "
                              "(expected rt_thread_delete)" % (caller(self.kernel), thread.name))
        return self.threads.delete(args)

    # ------------------------------------------------------------ suspend, resume ------
    def suspend(self, args):
        """A READY or RUNNING thread leaves the ready queue until rt_thread_resume; one
        suspending itself leaves the CPU now. A thread already suspended in a delay or a
        wait (RT-Thread's SUSPEND stat) has its timeout halted, as 5.x's
        rt_thread_suspend_to_list does: it then waits until resumed. Closed and never
        started threads give -RT_ERROR."""
        kernel = self.kernel
        thread = self.threads.thread_of(args[0], "rt_thread_suspend")
        if thread.state == THREAD_BLOCKED:
            thread.wake_tick = None
            return ipc.RT_EOK
        if thread.state not in (THREAD_READY, THREAD_RUNNING):
            return -ipc.RT_ERROR
        running = thread.state == THREAD_RUNNING
        thread.state = THREAD_BLOCKED
        thread.wait = None
        thread.wake_tick = None
        thread.suspended = True
        rt_tcb.sync(kernel.memory, thread)
        if running:
            kernel.cpu.stop()
        return ipc.RT_EOK

    def resume(self, args):
        """A suspended thread becomes READY (-RT_ERROR if it is not suspended). One that was
        sleeping or waiting on an object is woken early: its call returns -RT_EINTR."""
        kernel = self.kernel
        thread = self.threads.thread_of(args[0], "rt_thread_resume")
        if thread.state != THREAD_BLOCKED:
            return -ipc.RT_ERROR
        kernel.scheduler.interrupt(thread)
        rt_tcb.sync(kernel.memory, thread)
        return ipc.RT_EOK

    def control(self, args):
        """STARTUP, CLOSE (detach or delete), CHANGE_PRIORITY (*(rt_uint8_t *)arg: the
        thread's own priority; a mutex it holds may still lift it), RESET_PRIORITY; other
        commands (INFO, BIND_CPU on one core) do nothing and return RT_EOK, as in thread.c."""
        kernel = self.kernel
        thread = self.threads.thread_of(args[0], "rt_thread_control")
        cmd, arg = args[1], args[2]
        if cmd == RT_THREAD_CTRL_STARTUP:
            return self.threads.startup(args)
        if cmd == RT_THREAD_CTRL_CLOSE:
            return self.threads.delete(args)
        if cmd in (RT_THREAD_CTRL_CHANGE_PRIORITY, RT_THREAD_CTRL_RESET_PRIORITY):
            if not arg:
                raise ModuleFault("%s: rt_thread_control: a NULL priority pointer"
                                  % caller(kernel))
            priority = kernel.memory.read8(arg)
            if priority >= RT_THREAD_PRIORITY_MAX:
                return -ipc.RT_ERROR
            thread.base_priority = priority
            kernel.scheduler.update_priority(thread)
            kernel.scheduler.resched = True
            if thread.state == THREAD_READY:
                kernel.scheduler.to_back(thread)
            rt_tcb.sync(kernel.memory, thread)
        return ipc.RT_EOK

    def find(self, args):
        thread = self._named(self.kernel.args.string(args[0], "name", null="")[:RT_NAME_MAX])
        return thread.tcb if thread is not None else 0

    def _named(self, name):
        for thread in self.kernel.threads:
            if thread.state != THREAD_CLOSED and thread.name[:RT_NAME_MAX] == name:
                return thread
        return self.kernel.system.find(name)     # tidle0, tshell

    def object_find(self, args):
        """rt_object_find(name, type): threads by name; kernel objects by name and class."""
        kernel = self.kernel
        name = kernel.args.string(args[0], "name", null="")[:RT_NAME_MAX]
        kind = args[1] & 0x7F
        if kind == rt_tcb.RT_OBJECT_CLASS_THREAD:
            thread = self._named(name)
            return thread.tcb if thread is not None else 0
        for handle in kernel.objects:
            obj = kernel.objects[handle]
            if obj.object_class == kind and obj.name[:RT_NAME_MAX] == name:
                return handle
        return 0

    # ------------------------------------------------------------ scheduler lock --------
    def enter_critical(self, args):
        thread = self.kernel.current
        if thread is not None:
            thread.critical += 1
        return None

    def exit_critical(self, args):
        thread = self.kernel.current
        if thread is not None and thread.critical > 0:
            thread.critical -= 1
            if not locked(thread):
                self.kernel.scheduler.resched = True    # rt_schedule() at the last exit
        return None

    def critical_level(self, args):
        thread = self.kernel.current
        return thread.critical if thread is not None else 0

    def interrupt_disable(self, args):
        """Returns the level to give back to rt_hw_interrupt_enable (the nesting before)."""
        thread = self.kernel.current
        if thread is None:
            return 0
        level = thread.irq_level
        thread.irq_level = level + 1
        return level

    def interrupt_enable(self, args):
        thread = self.kernel.current
        if thread is not None:
            thread.irq_level = args[0] if args[0] < thread.irq_level else thread.irq_level - 1
            if thread.irq_level < 0:
                thread.irq_level = 0
            if not locked(thread):
                self.kernel.scheduler.resched = True
        return None

    # -------------------------------------------------------------------- errno --------
    def get_errno(self, args):
        thread = self.kernel.current
        if thread is None or not thread.tcb:
            return self.errno & 0xFFFFFFFF
        return self.kernel.errno.get(thread)

    def set_errno(self, args):
        thread = self.kernel.current
        if thread is None or not thread.tcb:
            self.errno = args[0]
        else:
            self.kernel.errno.set(thread, args[0])
        return None

    def errno_address(self, args):
        """Where the calling thread's errno is: newlib's errno word while it runs
        (thread_errno.py), the same word `errno` names."""
        thread = self.kernel.current
        if thread is None or not thread.tcb:
            raise RtdlError("kernel: _rt_errno called outside any thread")
        return self.kernel.errno.address(thread)
