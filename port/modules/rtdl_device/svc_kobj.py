"""Message queue and memory pool services for C code (RT-Thread 5.x: rt_mq_recv returns the
length it received or a negated error; a pool's rt_mp_alloc returns RT_NULL when it gives up),
and the object lookups (rt_object_get_type ...; rt_object_find is in svc_sched). Objects are entered, synced
to their C structs and destroyed through the IPC group (svc_ipc.py), which owns the object
table; blocking and waking go through the scheduler.
Imports: ipc, kobjects, tcb, records, svc_thread (caller names), rterror. Threads answer
rt_object_get_type and rt_object_is_systemobject as kernel objects too.
"""
from . import ipc
from . import kobjects
from . import tcb
from .records import THREAD_CLOSED
from .rterror import HeapError, ModuleFault, RtdlError
from .svc_thread import caller, signed

RT_EINVAL = 10
_ALIGN = 4                     # RT_ALIGN_SIZE


def _aligned(size):
    return (size + _ALIGN - 1) & ~(_ALIGN - 1)


class KobjServices:
    def __init__(self, kernel):
        self.kernel = kernel
        self.ipc = kernel.ipc_services

    def handlers(self):
        synced = self.ipc._synced
        return tuple((name, synced(fn)) for name, fn in (
            ("rt_mq_create", self.mq_create),
            ("rt_mq_init", self.mq_init),
            ("rt_mq_delete", self.mq_delete),
            ("rt_mq_detach", self.mq_detach),
            ("rt_mq_send", self.mq_send),
            ("rt_mq_send_wait", self.mq_send_wait),
            ("rt_mq_urgent", self.mq_urgent),
            ("rt_mq_recv", self.mq_recv),
            ("rt_mp_create", self.mp_create),
            ("rt_mp_init", self.mp_init),
            ("rt_mp_delete", self.mp_delete),
            ("rt_mp_detach", self.mp_detach),
            ("rt_mp_alloc", self.mp_alloc),
            ("rt_mp_free", self.mp_free),
            ("rt_object_get_type", self.object_get_type),
            ("rt_object_is_systemobject", self.object_is_systemobject)))

    def _refuse(self, service, problem):
        self.kernel.set_error(RtdlError("%s: %s: %s" % (caller(self.kernel), service,
                                                        problem)))

    # ------------------------------------------------------------ message queues ------
    def mq_create(self, args):
        """(name, msg_size, max_msgs, flag): the control block and the pool of messages
        (each behind its header, as RT-Thread sizes it) come from the heap."""
        kernel = self.kernel
        msg_size, max_msgs = args[1], args[2]
        if msg_size == 0 or max_msgs == 0 or max_msgs > 0xFFFF or msg_size > 0xFFFF:
            self._refuse("rt_mq_create", "%d messages of %d bytes (expected 1..65535 of "
                         "1..65535)" % (max_msgs, msg_size))
            return 0
        handle = self.ipc._new_object(kobjects.MessageQueue, args[0], args[3], msg_size,
                                      max_msgs)
        if handle:
            mq = kernel.objects[handle]
            pool = kernel.heap.malloc((_aligned(msg_size) + kobjects.MQ_HEADER) * max_msgs)
            if not pool:
                self.ipc.destroy_object(mq)
                kernel.set_error(HeapError("%s: no memory for the messages of queue '%s'"
                                           % (caller(kernel), mq.name)))
                return 0
            mq.pool = pool
        return handle

    def mq_init(self, args):
        """(mq, name, msgpool, msg_size; pool_size and flag on the stack): as many messages
        as fit the module's pool, -RT_EINVAL when not one does."""
        kernel = self.kernel
        sp = kernel.cpu.sp()
        pool_size, flag = kernel.memory.read32(sp), kernel.memory.read32(sp + 4)
        msg_size = args[3]
        max_msgs = pool_size // (_aligned(msg_size) + kobjects.MQ_HEADER) if msg_size else 0
        if max_msgs == 0 or msg_size > 0xFFFF:
            return -RT_EINVAL
        if pool_size:
            self.kernel.args.check_writable(args[2], pool_size, "msgpool")
        return self.ipc.init_object(args[0], kobjects.MessageQueue, "rt_mq_init", args[1],
                                    flag, msg_size, min(max_msgs, 0xFFFF), args[2])

    def mq_delete(self, args):
        return self.ipc._delete(args, kobjects.MessageQueue, "rt_mq_delete")

    def mq_detach(self, args):
        return self.ipc._detach(args, kobjects.MessageQueue, "rt_mq_detach")

    def _send(self, args, service, urgent, timeout=0):
        mq = self.ipc._object(args[0], kobjects.MessageQueue, service)
        buffer, size = args[1], args[2]
        if size == 0 or size > mq.msg_size:
            return -ipc.RT_ERROR
        data = self.kernel.args.buffer(buffer, size, "buffer")
        result, wakeups = mq.send(data, urgent)
        self.kernel.scheduler.apply(wakeups, mq)
        if result != -ipc.RT_EFULL or timeout == 0:
            return result
        return self.ipc._wait(mq, timeout, (data, urgent), 0, True)

    def mq_send(self, args):
        return self._send(args, "rt_mq_send", False)

    def mq_send_wait(self, args):
        return self._send(args, "rt_mq_send_wait", False, args[3])

    def mq_urgent(self, args):
        return self._send(args, "rt_mq_urgent", True)

    def mq_recv(self, args):
        """(mq, buffer, size, timeout): the length received (the message cut to `size`)."""
        mq = self.ipc._object(args[0], kobjects.MessageQueue, "rt_mq_recv")
        buffer, size = args[1], args[2]
        if size:
            self.kernel.args.check_writable(buffer, size, "buffer")
        data, wakeups = mq.recv()
        if data is not None:
            data = data[:size]
            self.kernel.args.write(buffer, data, "buffer")
            self.kernel.scheduler.apply(wakeups, mq)
            return len(data)
        return self.ipc._wait(mq, args[3], size, buffer)

    # -------------------------------------------------------------- memory pools ------
    def mp_create(self, args):
        """(name, block_count, block_size): control block and blocks from the heap."""
        kernel = self.kernel
        count, block_size = args[1], _aligned(args[2])
        if count == 0 or block_size == 0 or count * (block_size + 4) > 0x1000000:
            self._refuse("rt_mp_create", "%d blocks of %d bytes" % (count, args[2]))
            return 0
        size = count * (block_size + kobjects.POOL_HEADER)
        start = kernel.heap.malloc(size)
        if not start:
            kernel.set_error(HeapError("%s: no memory for %d blocks of %d bytes"
                                       % (caller(kernel), count, block_size)))
            return 0
        try:
            handle = self.ipc._new_object(kobjects.MemPool, args[0], 0, start, size,
                                          block_size)
        except Exception:
            kernel.heap.free(start)          # a bad name: the blocks go back with the fault
            raise
        if not handle:
            kernel.heap.free(start)
            return 0
        kernel.objects[handle].heap_pool = start
        return handle

    def mp_init(self, args):
        """(mp, name, start, size; block_size on the stack)."""
        kernel = self.kernel
        block_size = _aligned(kernel.memory.read32(kernel.cpu.sp()))
        size = args[3]
        if block_size == 0 or size // (block_size + kobjects.POOL_HEADER) == 0:
            raise ModuleFault("%s: rt_mp_init: a pool of %d bytes holds no %d-byte block"
                              % (caller(kernel), size, block_size))
        if size:
            self.kernel.args.check_writable(args[2], size, "start")
        return self.ipc.init_object(args[0], kobjects.MemPool, "rt_mp_init", args[1], 0,
                                    args[2], size, block_size)

    def mp_delete(self, args):
        return self.ipc._delete(args, kobjects.MemPool, "rt_mp_delete")

    def mp_detach(self, args):
        return self.ipc._detach(args, kobjects.MemPool, "rt_mp_detach")

    def mp_alloc(self, args):
        """(mp, time): a block, or RT_NULL when none frees up in time (0: do not wait)."""
        mp = self.ipc._object(args[0], kobjects.MemPool, "rt_mp_alloc")
        block = mp.alloc()
        if block:
            self.kernel.memory.write32(block - kobjects.POOL_HEADER, mp.handle)
            return block
        if signed(args[1]) == 0:
            return 0
        return self.ipc._wait(mp, args[1])

    def mp_free(self, args):
        """The block goes back to the pool its header names (a waiter gets it at once)."""
        kernel = self.kernel
        block = args[0]
        if block == 0:
            return 0
        header = block - kobjects.POOL_HEADER
        mp = None
        if kernel.args.readable(header, 4):
            mp = kernel.objects.get(kernel.memory.read32(header))
        if not isinstance(mp, kobjects.MemPool) or not mp.owns(block):
            for obj in kernel.objects.values():
                if isinstance(obj, kobjects.MemPool) and obj.owns(block):
                    # RT-Thread follows the header to a pool that is not one and crashes
                    raise ModuleFault(
                        "%s: rt_mp_free: the header of block 0x%08x of %s was overwritten "
                        "(found 0x%08x, expected the pool 0x%08x: a write past the block "
                        "before it?)" % (caller(kernel), block, obj.describe(),
                                         kernel.memory.read32(header), obj.handle))
            raise ModuleFault("%s: rt_mp_free: 0x%08x is not a block of any memory pool"
                              % (caller(kernel), block))
        if block in mp.free:
            raise ModuleFault("%s: rt_mp_free: block 0x%08x of %s is already free"
                              % (caller(kernel), block, mp.describe()))
        self.ipc.touched.append(mp)
        result, wakeups = mp.release(block)
        kernel.scheduler.apply(wakeups, mp)
        return 0

    # ------------------------------------------------------------------- lookups ------
    def _any(self, handle, service):
        obj = self.kernel.objects.get(handle)
        if obj is None:
            thread = self._thread_at(handle)
            if thread is not None:
                return thread
            raise ModuleFault("%s: %s: 0x%08x is not a kernel object"
                              % (caller(self.kernel), service, handle))
        return obj

    def _thread_at(self, handle):
        """The live thread (a module's, the timer thread, tidle0, tshell) whose struct
        rt_thread is at `handle`: a thread is a kernel object too."""
        kernel = self.kernel
        for thread in tuple(kernel.threads) + kernel.system.threads:
            if thread.tcb == handle and thread.state != THREAD_CLOSED:
                return _ThreadObject(thread)
        return None

    def object_get_type(self, args):
        return self._any(args[0], "rt_object_get_type").object_class

    def object_is_systemobject(self, args):
        return 0 if self._any(args[0], "rt_object_is_systemobject").dynamic else 1


class _ThreadObject:
    """A thread as rt_object_get_type and rt_object_is_systemobject see it."""
    object_class = tcb.RT_OBJECT_CLASS_THREAD

    def __init__(self, thread):
        self.dynamic = not thread.static
