"""RT-Thread's inter-thread communication objects: semaphore, mutex, event set and mailbox.

Plain classes holding each object's state and its queue of waiting threads. They never block or
wake anything themselves: an operation that cannot complete returns "wait" to the kernel
(svc_ipc.py, scheduler.py), which blocks the calling thread and enqueues it with `wait()`; an
operation that satisfies waiters returns them as `(thread, result, value)` wakeups, which the
kernel resumes (result into r0, value stored through the thread's out pointer when there is
one). A thread only needs `priority`, `wait_value` (what it waits with) and `name`. Imports
nothing.
"""

try:
    from micropython import const
except ImportError:
    def const(x):
        return x

# rtdef.h error codes (the C API returns them negated)
RT_EOK = const(0)
RT_ERROR = const(1)
RT_ETIMEOUT = const(2)
RT_EFULL = const(3)
RT_EEMPTY = const(4)

RT_IPC_FLAG_FIFO = const(0x00)
RT_IPC_FLAG_PRIO = const(0x01)

RT_EVENT_FLAG_AND = const(0x01)
RT_EVENT_FLAG_OR = const(0x02)
RT_EVENT_FLAG_CLEAR = const(0x04)

RT_SEM_VALUE_MAX = const(0xFFFF)
RT_MUTEX_HOLD_MAX = const(0xFF)

# rt_object_class_type
CLASS_THREAD = const(1)
CLASS_SEMAPHORE = const(2)
CLASS_MUTEX = const(3)
CLASS_EVENT = const(4)
CLASS_MAILBOX = const(5)
CLASS_MESSAGEQUEUE = const(6)
CLASS_MEMPOOL = const(8)
CLASS_TIMER = const(10)
CLASS_STATIC = const(0x80)


class IpcObject:
    """What every IPC object has: a name, RT-Thread's flag (FIFO or PRIO wait order), the
    C handle (address of its control block in target memory), the module that owns it (None:
    the system) and the threads waiting on it."""
    kind = "object"
    object_class = 0
    struct = "rt_ipc_object"      # its C struct (rt_layout.STRUCTS)
    timeout_result = -RT_ETIMEOUT  # r0 of a waiter that times out or whose object goes
    dynamic = True                # created (control block in the heap) or _init (static)

    def __init__(self, name, flag, handle, module):
        self.name = name
        self.flag = flag
        self.handle = handle
        self.module = module
        self.waiters = []

    def wait(self, thread):
        """Queue a thread that blocks on this object: by priority (FIFO among equals), or in
        arrival order for RT_IPC_FLAG_FIFO."""
        insert_queued(self.waiters, thread, self.flag & RT_IPC_FLAG_PRIO)

    def requeue(self, thread):
        """A waiting thread's priority changed (priority inheritance): keep the order right."""
        if thread in self.waiters and self.flag & RT_IPC_FLAG_PRIO:
            self.waiters.remove(thread)
            self.wait(thread)

    def remove(self, thread):
        """A waiting thread leaves without being satisfied (timeout, deletion)."""
        if thread in self.waiters:
            self.waiters.remove(thread)

    def destroy(self):
        """The object is deleted: every waiter wakes with -RT_ERROR."""
        result = -RT_ERROR if self.timeout_result else 0
        wakeups = [(thread, result, None) for thread in self.waiters]
        self.waiters = []
        return wakeups

    def state(self):
        return ""

    def describe(self):
        extra = self.state()
        return "%s '%s'%s" % (self.kind, self.name, " (%s)" % extra if extra else "")


def insert_queued(queue, thread, by_priority):
    if by_priority:
        i = 0
        while i < len(queue) and queue[i].priority <= thread.priority:
            i += 1
        queue.insert(i, thread)
    else:
        queue.append(thread)


class Semaphore(IpcObject):
    kind = "semaphore"
    object_class = CLASS_SEMAPHORE
    struct = "rt_semaphore"

    def __init__(self, name, flag, handle, module, value):
        IpcObject.__init__(self, name, flag, handle, module)
        self.value = value

    def take(self):
        """True when a unit was taken; False: the caller must wait."""
        if self.value > 0:
            self.value -= 1
            return True
        return False

    def release(self):
        """(result, wakeups): the first waiter gets the unit, else the count grows."""
        if self.waiters:
            return RT_EOK, [(self.waiters.pop(0), RT_EOK, None)]
        if self.value >= RT_SEM_VALUE_MAX:
            return -RT_EFULL, []
        self.value += 1
        return RT_EOK, []

    def state(self):
        return "value %d" % self.value


class Mutex(IpcObject):
    """Owned by one thread, recursive for its owner. The kernel keeps each thread's list of
    held mutexes and applies priority inheritance; this class keeps owner and hold count."""
    kind = "mutex"
    object_class = CLASS_MUTEX
    struct = "rt_mutex"

    def __init__(self, name, flag, handle, module):
        # RT-Thread queues mutex waiters by priority whatever the flag says
        IpcObject.__init__(self, name, flag | RT_IPC_FLAG_PRIO, handle, module)
        self.owner = None
        self.hold = 0

    def take(self, thread):
        """RT_EOK (taken, maybe again by its owner), -RT_EFULL (hold count overflow) or
        None: held by another thread, the caller must wait."""
        if self.owner is None:
            self.owner = thread
            self.hold = 1
            return RT_EOK
        if self.owner is thread:
            if self.hold >= RT_MUTEX_HOLD_MAX:
                return -RT_EFULL
            self.hold += 1
            return RT_EOK
        return None

    def release(self, thread):
        """(result, wakeups): only the owner releases; the last release hands the mutex to
        the first waiter."""
        if self.owner is not thread:
            return -RT_ERROR, []
        self.hold -= 1
        if self.hold > 0:
            return RT_EOK, []
        return RT_EOK, self.hand_over()

    def hand_over(self):
        """The owner lets go entirely (last release, or the owner ended)."""
        self.owner = None
        self.hold = 0
        if not self.waiters:
            return []
        thread = self.waiters.pop(0)
        self.owner = thread
        self.hold = 1
        return [(thread, RT_EOK, None)]

    def state(self):
        if self.owner is None:
            return "free"
        return "held by thread '%s'" % self.owner.name


class Event(IpcObject):
    """32 event flags; a waiter's wait_value is (set, option)."""
    kind = "event"
    object_class = CLASS_EVENT
    struct = "rt_event"

    def __init__(self, name, flag, handle, module):
        IpcObject.__init__(self, name, flag, handle, module)
        self.set = 0

    def _match(self, wanted, option):
        if option & RT_EVENT_FLAG_AND:
            if self.set & wanted == wanted:
                return wanted
        elif option & RT_EVENT_FLAG_OR:
            if self.set & wanted:
                return self.set & wanted
        return 0

    def recv(self, wanted, option):
        """The received flags (non-zero) or 0: the caller must wait."""
        got = self._match(wanted, option)
        if got and option & RT_EVENT_FLAG_CLEAR:
            self.set &= ~got & 0xFFFFFFFF
        return got

    def send(self, flags):
        """(result, wakeups): set the flags, wake every waiter now satisfied (in queue
        order), then clear what the woken CLEAR waiters asked for."""
        self.set = (self.set | flags) & 0xFFFFFFFF
        wakeups = []
        clear = 0
        for thread in list(self.waiters):
            wanted, option = thread.wait_value
            got = self._match(wanted, option)
            if got:
                self.waiters.remove(thread)
                wakeups.append((thread, RT_EOK, got))
                if option & RT_EVENT_FLAG_CLEAR:
                    clear |= got
        self.set &= ~clear & 0xFFFFFFFF
        return RT_EOK, wakeups

    def state(self):
        return "set 0x%08x" % self.set


class SenderQueue(IpcObject):
    """An object whose senders can block too (mailboxes, message queues): besides the
    receivers in `waiters`, blocked senders wait in `senders` with what they send in
    wait_value, and go with the object when it is deleted."""

    def __init__(self, name, flag, handle, module):
        IpcObject.__init__(self, name, flag, handle, module)
        self.senders = []

    def wait_send(self, thread):
        insert_queued(self.senders, thread, self.flag & RT_IPC_FLAG_PRIO)

    def requeue(self, thread):
        if thread in self.senders:
            self.senders.remove(thread)
            self.wait_send(thread)
        else:
            IpcObject.requeue(self, thread)

    def remove(self, thread):
        if thread in self.senders:
            self.senders.remove(thread)
        IpcObject.remove(self, thread)

    def destroy(self):
        wakeups = IpcObject.destroy(self)
        wakeups += [(thread, -RT_ERROR, None) for thread in self.senders]
        self.senders = []
        return wakeups


class Mailbox(SenderQueue):
    """`size` 32-bit entries; receivers wait in `waiters`, blocked senders (rt_mb_send_wait)
    in `senders` with their value in wait_value."""
    kind = "mailbox"
    object_class = CLASS_MAILBOX
    struct = "rt_mailbox"

    def __init__(self, name, flag, handle, module, size, pool=0):
        SenderQueue.__init__(self, name, flag, handle, module)
        self.size = size
        self.pool = pool             # msg_pool in target memory (the ring the C struct shows)
        self.out = 0                 # out_offset: ring index of entries[0]
        self.entries = []

    def send(self, value, urgent=False):
        """(result, wakeups): a waiting receiver gets the value at once; else it is queued
        (at the front when urgent), or -RT_EFULL when the box is full (the caller may
        wait)."""
        if self.waiters:
            return RT_EOK, [(self.waiters.pop(0), RT_EOK, value & 0xFFFFFFFF)]
        if len(self.entries) >= self.size:
            return -RT_EFULL, []
        if urgent:
            self.entries.insert(0, value & 0xFFFFFFFF)
            self.out = (self.out - 1) % self.size
        else:
            self.entries.append(value & 0xFFFFFFFF)
        return RT_EOK, []

    def recv(self):
        """(True, value, wakeups) or (False, 0, []) when empty: the caller must wait. Taking
        an entry lets the first blocked sender put its value in."""
        if not self.entries:
            return False, 0, []
        value = self.entries.pop(0)
        self.out = (self.out + 1) % self.size
        wakeups = []
        if self.senders:
            sender = self.senders.pop(0)
            self.entries.append(sender.wait_value)
            wakeups.append((sender, RT_EOK, None))
        return True, value, wakeups

    def state(self):
        return "%d of %d entries" % (len(self.entries), self.size)
