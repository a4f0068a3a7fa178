"""RT-Thread's message queues, memory pools and software timers: their state and wait queues,
in the style of ipc.py (operations return wakeups; the kernel blocks and wakes threads).
Messages are kept here as bytes; a pool's blocks are real target memory whose addresses the
kernel hands out. Imports: ipc.
"""
from .ipc import (IpcObject, SenderQueue, RT_EOK, RT_ERROR, RT_EFULL, CLASS_MESSAGEQUEUE,
                  CLASS_MEMPOOL, CLASS_TIMER)

MQ_HEADER = 8                  # struct rt_mq_message: next pointer and rt_ssize_t length
POOL_HEADER = 4                # the pool pointer in front of every memory pool block

RT_TIMER_FLAG_ACTIVATED = 0x1
RT_TIMER_FLAG_PERIODIC = 0x2
RT_TIMER_FLAG_SOFT_TIMER = 0x4


class MessageQueue(SenderQueue):
    """max_msgs messages of up to msg_size bytes; receivers wait in `waiters` (wait_value:
    their buffer size), blocked senders in `senders` (wait_value: (message, urgent))."""
    kind = "message queue"
    object_class = CLASS_MESSAGEQUEUE
    struct = "rt_messagequeue"

    def __init__(self, name, flag, handle, module, msg_size, max_msgs, pool=0):
        SenderQueue.__init__(self, name, flag, handle, module)
        self.msg_size = msg_size
        self.max_msgs = max_msgs
        self.pool = pool
        self.messages = []

    def send(self, data, urgent=False):
        """(result, wakeups): a waiting receiver gets the message at once (its result is the
        length it received, the value the bytes for its buffer); else it is queued, or
        -RT_EFULL."""
        if self.waiters:
            thread = self.waiters.pop(0)
            part = data[:thread.wait_value]
            return RT_EOK, [(thread, len(part), part)]
        if len(self.messages) >= self.max_msgs:
            return -RT_EFULL, []
        if urgent:
            self.messages.insert(0, data)
        else:
            self.messages.append(data)
        return RT_EOK, []

    def recv(self):
        """(message or None when empty, wakeups): taking one lets the first blocked sender
        put its message in."""
        if not self.messages:
            return None, []
        data = self.messages.pop(0)
        wakeups = []
        if self.senders:
            sender = self.senders.pop(0)
            message, urgent = sender.wait_value
            if urgent:
                self.messages.insert(0, message)
            else:
                self.messages.append(message)
            wakeups.append((sender, RT_EOK, None))
        return data, wakeups

    def state(self):
        return "%d of %d messages" % (len(self.messages), self.max_msgs)


class MemPool(IpcObject):
    """Fixed-size blocks in target memory at start_address, each behind a POOL_HEADER word;
    `free` holds the addresses (as the module sees them) of the free blocks, first out
    first. A waiter that times out, or whose pool goes, gets RT_NULL."""
    kind = "memory pool"
    object_class = CLASS_MEMPOOL
    struct = "rt_mempool"
    timeout_result = 0

    def __init__(self, name, flag, handle, module, start, size, block_size):
        IpcObject.__init__(self, name, flag, handle, module)
        self.start = start
        self.size = size
        self.block_size = block_size
        self.total = size // (block_size + POOL_HEADER)
        stride = block_size + POOL_HEADER
        self.free = [start + i * stride + POOL_HEADER for i in range(self.total)]

    def owns(self, block):
        offset = block - POOL_HEADER - self.start
        return 0 <= offset < self.total * (self.block_size + POOL_HEADER) and \
            offset % (self.block_size + POOL_HEADER) == 0

    def alloc(self):
        """A block's address, or 0: the caller must wait."""
        return self.free.pop(0) if self.free else 0

    def release(self, block):
        """(result, wakeups): the first waiter gets the block, else it is free again."""
        if self.waiters:
            return RT_EOK, [(self.waiters.pop(0), block, None)]
        self.free.insert(0, block)
        return RT_EOK, []

    def state(self):
        return "%d of %d blocks free" % (len(self.free), self.total)


class Timer(IpcObject):
    """A software timer: `flag` is RT-Thread's timer flag (ACTIVATED, PERIODIC, SOFT);
    `timeout_tick` the tick it fires at; `order` keeps timers due at the same tick in the
    order RT-Thread's sorted list does (started earlier, fires earlier)."""
    kind = "timer"
    object_class = CLASS_TIMER
    struct = "rt_timer"

    def __init__(self, name, flag, handle, module, func, parameter, init_tick):
        IpcObject.__init__(self, name, flag & ~RT_TIMER_FLAG_ACTIVATED, handle, module)
        self.func = func
        self.parameter = parameter
        self.init_tick = init_tick
        self.timeout_tick = 0
        self.order = 0

    @property
    def active(self):
        return bool(self.flag & RT_TIMER_FLAG_ACTIVATED)

    @property
    def soft(self):
        return bool(self.flag & RT_TIMER_FLAG_SOFT_TIMER)

    def start(self, tick, order):
        self.flag |= RT_TIMER_FLAG_ACTIVATED
        self.timeout_tick = tick + self.init_tick
        self.order = order
        return RT_EOK

    def stop(self):
        if not self.active:
            return -RT_ERROR
        self.flag &= ~RT_TIMER_FLAG_ACTIVATED
        return RT_EOK

    def due(self, tick):
        return self.active and tick >= self.timeout_tick

    def state(self):
        return "%s, %s, every %d ticks" % ("active" if self.active else "stopped",
                                           "periodic" if self.flag & RT_TIMER_FLAG_PERIODIC
                                           else "one shot", self.init_tick)
