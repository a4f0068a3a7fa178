"""Kernel object control blocks in target memory: RT-Thread's struct rt_object header (name,
type, flag, module_id) and the fields modules read from each kind of object (a semaphore's
value, a mutex's owner and hold, an event's set, a mailbox's entry and ring, a queue's entry,
a pool's free count, a timer's flag and ticks), at the offsets of rt_layout.STRUCTS. The
kernel keeps its own state in the ipc/kobjects classes and writes these fields after every
operation (`sync`), so they are always true when module code runs.
Imports: struct, rt_layout, ipc, kobjects.
"""
import struct

from . import ipc
from . import kobjects
from .rt_layout import STRUCTS, offset

RT_NAME_MAX = 8


def size_of(cls):
    return STRUCTS[cls.struct][0]


def write_header(memory, obj, module_handle):
    """The rt_object header; the rest of the struct is zeroed (list nodes the kernel does not
    use read as empty)."""
    size = STRUCTS[obj.struct][0]
    kind = obj.object_class | (0 if obj.dynamic else ipc.CLASS_STATIC)
    name = obj.name.encode()[:RT_NAME_MAX - 1]    # NUL-terminated, as rt_object_init (5.x)
    memory.write(obj.handle, struct.pack("<8sBBHI", name, kind, obj.flag & 0xFF, 0,
                                         module_handle) + bytes(size - 16))
    sync(memory, obj)


def _at(obj, path):
    return obj.handle + offset(obj.struct, path)


def sync(memory, obj):
    """Write the fields of `obj`'s struct that follow its state."""
    if obj.handle == 0:
        return
    memory.write8(obj.handle + 9, obj.flag & 0xFF)
    if isinstance(obj, ipc.Semaphore):
        memory.write16(_at(obj, "value"), obj.value & 0xFFFF)
    elif isinstance(obj, ipc.Mutex):
        top = 0xFF
        for waiter in obj.waiters:
            if waiter.priority < top:
                top = waiter.priority
        memory.write8(_at(obj, "priority"), top)
        memory.write8(_at(obj, "hold"), obj.hold & 0xFF)
        memory.write32(_at(obj, "owner"), obj.owner.tcb if obj.owner is not None else 0)
    elif isinstance(obj, ipc.Event):
        memory.write32(_at(obj, "set"), obj.set)
    elif isinstance(obj, ipc.Mailbox):
        count = len(obj.entries)
        memory.write32(_at(obj, "msg_pool"), obj.pool)
        memory.write(_at(obj, "size"), struct.pack("<HHHH", obj.size & 0xFFFF, count,
                                                   (obj.out + count) % obj.size, obj.out))
        if obj.pool:
            for i in range(count):
                memory.write32(obj.pool + ((obj.out + i) % obj.size) * 4, obj.entries[i])
    elif isinstance(obj, kobjects.MessageQueue):
        memory.write32(_at(obj, "msg_pool"), obj.pool)
        memory.write(_at(obj, "msg_size"), struct.pack("<HHH", obj.msg_size & 0xFFFF,
                                                       obj.max_msgs & 0xFFFF,
                                                       len(obj.messages)))
    elif isinstance(obj, kobjects.MemPool):
        memory.write(_at(obj, "start_address"), struct.pack(
            "<IIIIII", obj.start, obj.size, obj.block_size,
            obj.free[0] - kobjects.POOL_HEADER if obj.free else 0, obj.total, len(obj.free)))
    elif isinstance(obj, kobjects.Timer):
        memory.write(_at(obj, "timeout_func"), struct.pack(
            "<IIII", obj.func, obj.parameter, obj.init_tick & 0xFFFFFFFF,
            obj.timeout_tick & 0xFFFFFFFF))
