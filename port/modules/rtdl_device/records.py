"""What the kernel keeps per thread and per module (RT-Thread's struct rt_thread and
struct rt_dlmodule, plus the kernel's own bookkeeping), their states and defaults.
Imports nothing.
"""
try:
    from micropython import const
except ImportError:
    def const(x):
        return x

# module states (dlmodule.h)
STAT_INIT = const(0)
STAT_RUNNING = const(1)
STAT_CLOSING = const(2)
STAT_CLOSED = const(3)
STATE_NAMES = ("INIT", "RUNNING", "CLOSING", "CLOSED")

# thread states (rtdef.h: INIT, READY, SUSPEND, RUNNING, CLOSE)
THREAD_INIT = const(0)
THREAD_READY = const(1)
THREAD_BLOCKED = const(2)
THREAD_RUNNING = const(3)
THREAD_CLOSED = const(4)

DEFAULT_TICK = 10              # a thread's time slice in ticks (dlmodule's main thread: 10)
RT_THREAD_PRIORITY_MAX = 32
DEFAULT_PRIORITY = 20          # RT-Thread uses MAX-1, the idle thread's priority (defect 14)
# RT-Thread's 2048 bytes does not hold newlib's printf of a double plus the module's frames.
DEFAULT_STACK_SIZE = 8192
MIN_STACK_SIZE = 256


class Thread:
    def __init__(self, name, module, entry, stack_size, priority, tick=DEFAULT_TICK):
        self.name = name
        self.module = module
        self.priority = priority     # current: raised by priority inheritance
        self.base_priority = priority
        self.slice = tick            # time slice in ticks
        self.stack_size = stack_size
        self.state = THREAD_READY
        self.wait = None             # the ipc object a BLOCKED thread waits on (None: sleep)
        self.wake_tick = None        # tick at which a BLOCKED thread times out (None: never)
        self.wait_value = None       # what it waits with (value to send, event set/option)
        self.wait_ptr = 0            # where the value it receives goes (mailbox, event)
        self.held = []               # mutexes it owns
        self.blocks = []         # heap blocks that die with the thread (stack, argv, tcb)
        self.pending = []        # generator-driven services waiting for a target call to return
        self.stack = 0           # lowest usable stack address (the canary words)
        self.stack_block = 0
        self.aligned_stack = False
        self.region_stack = 0    # its stack in the board's stack region (stacks.py), or 0
        self.region_size = 0     # the bytes mapped for it there
        self.argv = 0            # where the argv[] its entry gets lives (lifecycle.py), or 0
        self.guard = None        # (start, end) of the write-protected page below the stack
        self.stack_top = 0
        self.tcb = 0
        self.reent = 0           # its own newlib struct _reent (libcstate.py), or 0
        self.reent_slot = 0      # where its slot in the stack region keeps room for it, or 0
        self.tcb_made = None     # its struct rt_thread as made (tcb.made, integrity.py)
        self.tcb_synced = None   # (state, priority, base priority) tcb.sync last wrote
        self.context = None
        self.entry = entry
        self.static = False      # rt_thread_init: the module's own struct and stack
        self.suspended = False   # BLOCKED by rt_thread_suspend until rt_thread_resume
        self.critical = 0        # rt_enter_critical nesting: no other thread runs while > 0
        self.irq_level = 0       # rt_hw_interrupt_disable nesting: the same lock
        self.exit_value = None   # r0 when its entry returned (rt_thread_exit)
        self.system = False      # tidle0, tshell (systhreads.py): never ends, never waits
        self.sig_pending = 0     # signals sent and not yet handled (bit 1 << signo)
        self.sig_mask = 0        # RT-Thread's sig_mask: the bits of the signals let through
        self.sig_vectors = None  # signo -> handler, from the first rt_signal_install
        self.sig_frame = None    # the context a running signal handler returns to
        self.sig_wait = 0        # the set rt_signal_wait waits for (0: not waiting)
        self.sig_si = 0          # where rt_signal_wait puts the siginfo of its catch

    def who(self):
        """How reports name the thread: the module's name for its main thread."""
        if self.module is None:
            return "thread '%s'" % self.name
        if self.name == self.module.name:
            return self.name
        return "%s: thread '%s'" % (self.module.name, self.name)


class Module:
    """A loaded module: RT-Thread's struct rt_dlmodule plus what the kernel tracks for it."""

    def __init__(self, name, path):
        self.name = name
        self.path = path
        self.state = STAT_INIT
        self.nref = 0
        self.ret_code = 0
        self.fault = None
        self.image = None
        self.handle = 0          # address of the struct rt_dlmodule in target memory
        self.threads = []
        self.objects = []        # ipc objects it created (destroyed with it)
        self.atexit = []         # (function, argument) from __cxa_atexit / __aeabi_atexit
        self.reclaimed = 0       # leaked heap blocks freed when the module was destroyed
        self.priority = DEFAULT_PRIORITY
        self.stack_size = DEFAULT_STACK_SIZE
        self.struct_written = None   # (bytes, cpu.runs) its struct rt_dlmodule last got
        self.loaded_runs = None      # cpu.runs at the end of its load (lifecycle.free_memory)

    @property
    def mem_space(self):
        return self.image.base if self.image else 0

    @property
    def mem_size(self):
        return self.image.size if self.image else 0

    @property
    def entry(self):
        return self.image.entry if self.image else 0

    @property
    def symbols(self):
        return self.image.symbols if self.image else {}

    def contains(self, addr):
        image = self.image
        return image is not None and image.base <= addr < image.base + image.size

    def has_live_threads(self):
        for thread in self.threads:
            if thread.state != THREAD_CLOSED:
                return True
        return False

    def __repr__(self):
        return "<module %s %s nref=%d at 0x%08x>" % (self.name, STATE_NAMES[self.state],
                                                      self.nref, self.mem_space)
