"""Byte layout of RT-Thread's kernel object structs as modules see them (firmware_stub/include
rtdef.h and rtobjects.h: RT-Thread 5.1, 32-bit ARM, not SMP, RT_USING_MODULE).

A module may place these structs itself (`static struct rt_thread t;`) and read their fields,
so the kernel must keep the fields it owns true in target memory at these offsets.
tests/test_rt_layout.py checks every entry against the compiler. Imports nothing.

STRUCTS maps a struct name to (size, fields); each field is (path, offset, size), where a
path names a member the way C does (`sched_thread_ctx.stat`). rt_thread lists the 4.x flat
names too (`stat`, `current_priority` ...): they are the same bytes as the 5.1 paths.
"""

_OBJECT = (("name", 0, 8), ("type", 8, 1), ("flag", 9, 1), ("module_id", 12, 4),
           ("list", 16, 8))


def _under(prefix, fields, base=0):
    return tuple((prefix + "." + path, base + offset, size) for path, offset, size in fields)


_IPC = _under("parent", _OBJECT, 0) + (("parent", 0, 24), ("suspend_thread", 24, 8))

STRUCTS = {
    "rt_list_node": (8, (("next", 0, 4), ("prev", 4, 4))),
    "rt_object": (24, _OBJECT),
    "rt_timer": (48, _under("parent", _OBJECT) + (
        ("row", 24, 8), ("timeout_func", 32, 4), ("parameter", 36, 4),
        ("init_tick", 40, 4), ("timeout_tick", 44, 4))),
    "rt_thread": (172, _under("parent", _OBJECT) + (
        # 4.x names of the object header
        ("name", 0, 8), ("type", 8, 1), ("flag", 9, 1), ("flags", 9, 1),
        ("module_id", 12, 4), ("list", 16, 8),
        ("sp", 24, 4), ("entry", 28, 4), ("parameter", 32, 4), ("stack_addr", 36, 4),
        ("stack_size", 40, 4), ("error", 44, 4),
        ("sched_thread_ctx", 48, 28),
        ("sched_thread_ctx.thread_list_node", 48, 8),
        ("sched_thread_ctx.stat", 56, 1),
        ("sched_thread_ctx.sched_thread_priv.init_tick", 60, 4),
        ("sched_thread_ctx.sched_thread_priv.remaining_tick", 64, 4),
        ("sched_thread_ctx.sched_thread_priv.current_priority", 68, 1),
        ("sched_thread_ctx.sched_thread_priv.init_priority", 69, 1),
        ("sched_thread_ctx.sched_thread_priv.number_mask", 72, 4),
        # 4.x names of the scheduler's fields
        ("tlist", 48, 8), ("stat", 56, 1), ("init_tick", 60, 4), ("remaining_tick", 64, 4),
        ("current_priority", 68, 1), ("init_priority", 69, 1), ("number_mask", 72, 4),
        ("thread_timer", 76, 48), ("cleanup", 124, 4), ("taken_object_list", 128, 8),
        ("pending_object", 136, 4), ("event_set", 140, 4), ("event_info", 144, 1),
        ("sig_pending", 148, 4), ("sig_mask", 152, 4), ("sig_ret", 156, 4),
        ("sig_vectors", 160, 4), ("si_list", 164, 4), ("user_data", 168, 4))),
    "rt_ipc_object": (32, _under("parent", _OBJECT) + (("suspend_thread", 24, 8),)),
    "rt_semaphore": (36, _under("parent", _IPC) + (("value", 32, 2), ("reserved", 34, 2))),
    "rt_mutex": (48, _under("parent", _IPC) + (
        ("ceiling_priority", 32, 1), ("priority", 33, 1), ("hold", 34, 1),
        ("reserved", 35, 1), ("owner", 36, 4), ("taken_list", 40, 8))),
    "rt_event": (36, _under("parent", _IPC) + (("set", 32, 4),)),
    "rt_mailbox": (52, _under("parent", _IPC) + (
        ("msg_pool", 32, 4), ("size", 36, 2), ("entry", 38, 2), ("in_offset", 40, 2),
        ("out_offset", 42, 2), ("suspend_sender_thread", 44, 8))),
    "rt_messagequeue": (64, _under("parent", _IPC) + (
        ("msg_pool", 32, 4), ("msg_size", 36, 2), ("max_msgs", 38, 2), ("entry", 40, 2),
        ("msg_queue_head", 44, 4), ("msg_queue_tail", 48, 4), ("msg_queue_free", 52, 4),
        ("suspend_sender_thread", 56, 8))),
    # RT-Thread 5.1 without RT_USING_DM, RT_USING_DEVICE_OPS or RT_USING_POSIX_DEVIO;
    # `type` is an enum, one byte under arm-none-eabi's short enums
    "rt_device": (72, _under("parent", _OBJECT) + (
        ("parent", 0, 24), ("type", 24, 1), ("flag", 26, 2), ("open_flag", 28, 2),
        ("ref_count", 30, 1), ("device_id", 31, 1), ("rx_indicate", 32, 4),
        ("tx_complete", 36, 4), ("init", 40, 4), ("open", 44, 4), ("close", 48, 4),
        ("read", 52, 4), ("write", 56, 4), ("control", 60, 4), ("readlink", 64, 4),
        ("user_data", 68, 4))),
    "rt_device_blk_geometry": (16, (("sector_count", 0, 8), ("bytes_per_sector", 8, 4),
                                    ("block_size", 12, 4))),
    "rt_mempool": (56, _under("parent", _OBJECT) + (
        ("start_address", 24, 4), ("size", 28, 4), ("block_size", 32, 4),
        ("block_list", 36, 4), ("block_total_count", 40, 4), ("block_free_count", 44, 4),
        ("suspend_thread", 48, 8))),
}


def offset(struct, path):
    """Offset of a field, e.g. offset("rt_thread", "stat") -> 56; KeyError if unknown."""
    for name, off, _size in STRUCTS[struct][1]:
        if name == path:
            return off
    raise KeyError("%s.%s" % (struct, path))
