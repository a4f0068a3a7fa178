"""struct rt_thread in target memory: the control block a module's rt_thread_t points at,
with RT-Thread 5.1's layout (rt_layout.STRUCTS["rt_thread"]). The kernel writes the fields
modules read (name, type, flag, module_id, entry, parameter, stack, priorities, ticks, stat)
when a thread is made, and refreshes the ones that change (stat, current_priority) before
every switch (only those that changed), so a module reading another thread's struct sees
RT-Thread's values. The `error` word is the thread's errno (rt_get_errno/_rt_errno read and
write it there). integrity.py compares the struct with what was written here.
Imports: struct, records, rt_layout.
"""
import struct

from . import rt_layout
from .records import THREAD_BLOCKED, THREAD_CLOSED, THREAD_INIT, THREAD_READY, THREAD_RUNNING

TCB_SIZE = rt_layout.STRUCTS["rt_thread"][0]
RT_OBJECT_CLASS_THREAD = 0x01
RT_OBJECT_CLASS_STATIC = 0x80     # rt_thread_init's objects (rt_object_is_systemobject)
_RT_NAME_MAX = 8

# records' states -> rtdef.h's stat (INIT 0, CLOSE 1, READY 2, RUNNING 3, SUSPEND 4)
_STAT = {THREAD_INIT: 0x00, THREAD_CLOSED: 0x01, THREAD_READY: 0x02, THREAD_RUNNING: 0x03,
         THREAD_BLOCKED: 0x04}

ERROR = rt_layout.offset("rt_thread", "error")
STACK_ADDR = rt_layout.offset("rt_thread", "stack_addr")
_STAT_AT = rt_layout.offset("rt_thread", "stat")
_CURRENT_PRIORITY = rt_layout.offset("rt_thread", "current_priority")
_INIT_PRIORITY = rt_layout.offset("rt_thread", "init_priority")
_NUMBER_MASK = rt_layout.offset("rt_thread", "number_mask")
_INIT_TICK = rt_layout.offset("rt_thread", "init_tick")
_REMAINING_TICK = rt_layout.offset("rt_thread", "remaining_tick")


def write(memory, thread, parameter, static):
    """The whole struct, as rt_thread_init/_create leave it (stat INIT)."""
    memory.write(thread.tcb, bytes(TCB_SIZE))
    name = thread.name.encode()[:_RT_NAME_MAX - 1]   # NUL-terminated, as rt_object_init (5.x)
    memory.write(thread.tcb, name)
    memory.write8(thread.tcb + 8, RT_OBJECT_CLASS_THREAD |
                  (RT_OBJECT_CLASS_STATIC if static else 0))
    memory.write32(thread.tcb + 12, thread.module.handle if thread.module else 0)
    memory.write(thread.tcb + rt_layout.offset("rt_thread", "entry"), struct.pack(
        "<IIII", thread.entry, parameter & 0xFFFFFFFF, thread.stack, thread.stack_size))
    memory.write32(thread.tcb + _INIT_TICK, thread.slice)
    memory.write32(thread.tcb + _REMAINING_TICK, thread.slice)
    memory.write8(thread.tcb + _INIT_PRIORITY, thread.base_priority)
    memory.write32(thread.tcb + _NUMBER_MASK, 1 << thread.priority)
    memory.write8(thread.tcb + _CURRENT_PRIORITY, thread.priority)
    # stat stays RT_THREAD_INIT (0) until rt_thread_startup
    thread.tcb_synced = None


def sync(memory, thread, render=False):
    """Refresh what changes while a thread lives: its stat and current priority. Only what
    changed since the last sync is written (thread.tcb_synced), which is also what
    integrity.py re-renders (`render`: write the last synced values, whatever the state)."""
    if not thread.tcb:
        return
    if render:
        key = thread.tcb_synced
        if key is None:
            return
    else:
        key = (thread.state, thread.priority, thread.base_priority)
        if key == thread.tcb_synced:
            return
        thread.tcb_synced = key
    state, priority, base = key
    memory.write8(thread.tcb + _STAT_AT, _STAT[state])
    memory.write8(thread.tcb + _CURRENT_PRIORITY, priority)
    memory.write8(thread.tcb + _INIT_PRIORITY, base)
    memory.write32(thread.tcb + _NUMBER_MASK, 1 << priority)


def made(memory, thread):
    """The struct is complete (rt_thread_init/_create): keep it as made, for integrity.py."""
    thread.tcb_made = memory.read(thread.tcb, TCB_SIZE)


def sync_all(kernel):
    memory = kernel.memory
    for thread in kernel.threads:
        sync(memory, thread)
