"""The system threads RT-Thread always has, as real kernel threads: the idle thread `tidle0`
(priority RT_THREAD_PRIORITY_MAX - 1, time slice 32, as idle.c makes it) and the shell thread
`tshell` (FINSH_THREAD_PRIORITY 20). Their struct rt_thread (and stacks, on a board
without a stack region) are the firmware's static `rtdl_system_threads` (src/rtdl_services.h),
so rt_thread_find("tidle0") returns a real control block and ps shows their real state.

They are kept apart from kernel.threads, which holds the modules' threads and the timer thread:
a run ends when those are gone, and the system threads never end. tshell runs no target code
(msh is the kernel's own): it is RUNNING while msh runs a command and SUSPEND while a module it
started runs. tidle0 is READY; it runs (idle_time.idle) only while an idle hook is set and some
thread waits for a tick, calling the hooks through __rtdl_idle_thread's loop; with no hook,
idling is the tick jumping to the next wake-up, and reclaiming ended threads is the
scheduler's reap. Imports: stacks, tcb, records.
"""
from . import stacks
from . import tcb as rt_tcb
from .records import (Thread, RT_THREAD_PRIORITY_MAX, THREAD_BLOCKED, THREAD_READY,
                      THREAD_RUNNING)

IDLE_THREAD_STACK_SIZE = 1024      # rtconfig.h (RT-Thread's Kconfig default is 256)
IDLE_THREAD_TICK = 32              # idle.c
FINSH_THREAD_PRIORITY = 20
FINSH_THREAD_STACK_SIZE = 4096
FINSH_THREAD_TICK = 10
RT_IDLE_HOOK_LIST_SIZE = 4

# struct rtdl_system_threads: idle tcb, shell tcb, idle stack, shell stack (a _Static_assert
# in kernel_api.c keeps the C side to these offsets)
_SHELL_TCB = rt_tcb.TCB_SIZE
_IDLE_STACK = 2 * rt_tcb.TCB_SIZE
_SHELL_STACK = _IDLE_STACK + IDLE_THREAD_STACK_SIZE


class SystemThreads:
    def __init__(self, kernel):
        self.kernel = kernel
        addresses = kernel.addresses
        block = addresses.get("rtdl_system_threads", 0)
        self.idle = Thread("tidle0", None, addresses.get("__rtdl_idle_thread", 0) | 1,
                           IDLE_THREAD_STACK_SIZE, RT_THREAD_PRIORITY_MAX - 1, IDLE_THREAD_TICK)
        self.shell = Thread("tshell", None, 0, FINSH_THREAD_STACK_SIZE, FINSH_THREAD_PRIORITY,
                            FINSH_THREAD_TICK)
        for thread in (self.idle, self.shell):
            thread.system = True
            thread.static = True         # static in the firmware, as idle.c makes it
        if block:
            self._place(self.idle, block, block + _IDLE_STACK)
            self._place(self.shell, block + _SHELL_TCB, block + _SHELL_STACK)
        self.idle.state = THREAD_READY
        self.shell.state = THREAD_RUNNING
        self.threads = (self.shell, self.idle)     # ps order: made at boot, listed last
        self.idle_ran = False        # the idle thread ran hooks since it last (re)started

    def _place(self, thread, tcb, stack):
        size = thread.stack_size
        # On a board with a stack region the stack lives there, as the modules' threads' do:
        # read-only to module code that does not run on it (stackprot.py); the firmware's
        # static one is then left unused.
        stack = stacks.in_region(self.kernel, thread, size) or stack
        stacks.adopt(self.kernel, thread, stack, tcb, (0,),
                     self.kernel.addresses.get("rt_thread_exit", 0))
        thread.stack_size = size            # ps shows the configured size, canary included
        thread.state = THREAD_READY
        rt_tcb.sync(self.kernel.memory, thread)

    def restart_idle(self):
        """The idle thread starts its loop afresh (the hook it was in has gone or faulted).
        One that has not run since is left as it is: nothing is written."""
        idle = self.idle
        idle.module = None
        if not self.idle_ran:
            return
        self.idle_ran = False
        if idle.stack:
            stacks.adopt(self.kernel, idle, idle.stack, idle.tcb, (0,),
                         self.kernel.addresses.get("rt_thread_exit", 0))
            idle.stack_size = IDLE_THREAD_STACK_SIZE
        idle.module = None
        idle.state = THREAD_READY
        self.sync()

    def shell_waits(self, waiting):
        """tshell is suspended while a module it started runs, running otherwise."""
        self.shell.state = THREAD_BLOCKED if waiting else THREAD_RUNNING
        rt_tcb.sync(self.kernel.memory, self.shell)

    def find(self, name):
        for thread in self.threads:
            if thread.name == name:
                return thread
        return None

    def sync(self):
        memory = self.kernel.memory
        for thread in self.threads:
            rt_tcb.sync(memory, thread)
