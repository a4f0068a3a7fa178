"""The kernel services firmware code reaches with `SVC #n`.

One list is the single source of truth: the SVC number of a service is its index here. At
firmware build time `rtdl.gen_veneers` turns this list into assembler veneers (`svc #n; bx lr`,
one global label per name and alias); at run time the kernel binds each number to the handler a
service group (svc_*.py, steps.py) gives for the name, and refuses to start with a service
unhandled or a handler for no service. Imports nothing.
"""

# (service name, aliases...). The name is also the veneer's symbol; aliases are extra global
# labels on the same veneer (so malloc and rt_malloc are one service and one owner rule).
SERVICES = (
    ("__rtdl_console_write",),          # (buf, len) -> len
    ("rt_malloc", "malloc", "_Znwj", "_Znaj", "_ZnwjRKSt9nothrow_t", "_ZnajRKSt9nothrow_t"),
    ("rt_free", "free", "_ZdlPv", "_ZdaPv", "_ZdlPvj", "_ZdaPvj",
     "_ZdlPvRKSt9nothrow_t", "_ZdaPvRKSt9nothrow_t"),
    ("rt_realloc", "realloc"),
    ("rt_calloc", "calloc"),
    ("rt_malloc_align",),               # (size, align)
    ("rt_free_align",),
    ("__rtdl_memalign", "memalign"),   # (align, size)
    ("__rtdl_malloc_usable_size", "malloc_usable_size"),
    ("__rtdl_exit",),                   # (code): the calling thread's module ends
    ("__rtdl_abort",),                  # (reason string or 0): the calling module is killed
    ("dlmodule_self",),
    ("dlmodule_find",),
    ("dlmodule_load",),
    ("dlmodule_exec",),
    ("dlmodule_symbol_find",),
    ("dlopen",),
    ("dlsym",),
    ("dlclose",),
    ("dlerror",),
    ("rt_thread_self",),
    ("rt_tick_get",),
    ("rt_thread_mdelay",),
    ("rt_thread_delay",),
    ("rt_thread_yield",),
    ("__rtdl_memory_info",),            # (total*, used*, max_used*)
    ("__rtdl_atexit",),                 # (func, arg, dso): C++ static destructor registration
    ("__rtdl_resume",),                 # (r0 of a finished target call): continue a service
    # threads and IPC (svc_thread.py, svc_ipc.py); 5th/6th arguments come from the caller's stack
    ("__rtdl_thread_exit",),            # a thread's entry returned (rt_thread_exit trampoline)
    ("rt_thread_create",),              # (name, entry, parameter, stack_size, priority, tick)
    ("rt_thread_startup",),
    ("rt_thread_delete",),
    ("rt_sem_create",),                 # (name, value, flag)
    ("rt_sem_delete",),
    ("rt_sem_take",),                   # (sem, timeout in ticks)
    ("rt_sem_trytake",),
    ("rt_sem_release",),
    ("rt_mutex_create",),               # (name, flag)
    ("rt_mutex_delete",),
    ("rt_mutex_take",),                 # (mutex, timeout in ticks)
    ("rt_mutex_trytake",),
    ("rt_mutex_release",),
    ("rt_event_create",),               # (name, flag)
    ("rt_event_delete",),
    ("rt_event_send",),                 # (event, set)
    ("rt_event_recv",),                 # (event, set, option, timeout, recved*)
    ("rt_mb_create",),                  # (name, size in entries, flag)
    ("rt_mb_delete",),
    ("rt_mb_send",),                    # (mb, value)
    ("rt_mb_send_wait",),               # (mb, value, timeout in ticks)
    ("rt_mb_recv",),                    # (mb, value*, timeout in ticks)
    # threads and system (svc_sched.py): static threads, suspend/resume, the scheduler lock,
    # errno, rt_object_find
    ("rt_thread_init",),                # (thread, name, entry, parameter; stack, size, prio, tick)
    ("rt_thread_detach",),
    ("rt_thread_suspend",),
    ("rt_thread_resume",),
    ("rt_thread_control",),             # (thread, cmd, arg)
    ("rt_thread_find",),
    ("rt_thread_sleep",),               # (ticks)
    ("rt_enter_critical",),
    ("rt_exit_critical",),
    ("rt_critical_level",),
    ("rt_hw_interrupt_disable",),       # -> level
    ("rt_hw_interrupt_enable",),        # (level)
    ("rt_get_errno",),
    ("rt_set_errno",),
    ("_rt_errno",),                     # -> &thread->error
    ("rt_object_find",),                # (name, type)
    # kernel IPC objects (issue 9 part A): static objects (svc_ipc.py), message queues,
    # memory pools and object lookups (svc_kobj.py), software timers (svc_timer.py)
    ("rt_sem_init",),                   # (sem, name, value, flag)
    ("rt_sem_detach",),
    ("rt_mutex_init",),                 # (mutex, name, flag)
    ("rt_mutex_detach",),
    ("rt_event_init",),                 # (event, name, flag)
    ("rt_event_detach",),
    ("rt_mb_init",),                    # (mb, name, msgpool, size; flag)
    ("rt_mb_detach",),
    ("rt_mb_urgent",),                  # (mb, value)
    ("rt_mq_create",),                  # (name, msg_size, max_msgs, flag)
    ("rt_mq_init",),                    # (mq, name, msgpool, msg_size; pool_size, flag)
    ("rt_mq_delete",),
    ("rt_mq_detach",),
    ("rt_mq_send",),                    # (mq, buffer, size)
    ("rt_mq_send_wait",),               # (mq, buffer, size, timeout)
    ("rt_mq_urgent",),                  # (mq, buffer, size)
    ("rt_mq_recv",),                    # (mq, buffer, size, timeout) -> length or -error
    ("rt_mp_create",),                  # (name, block_count, block_size)
    ("rt_mp_init",),                    # (mp, name, start, size; block_size)
    ("rt_mp_delete",),
    ("rt_mp_detach",),
    ("rt_mp_alloc",),                   # (mp, timeout) -> block or RT_NULL
    ("rt_mp_free",),
    ("rt_object_get_type",),
    ("rt_object_is_systemobject",),
    ("rt_timer_create",),               # (name, timeout, parameter, time; flag)
    ("rt_timer_init",),                 # (timer, name, timeout, parameter; time, flag)
    ("rt_timer_delete",),
    ("rt_timer_detach",),
    ("rt_timer_start",),
    ("rt_timer_stop",),
    ("rt_timer_control",),              # (timer, cmd, arg)
    ("__rtdl_timer_next",),             # (job*): the timer thread's next soft callback
    # files: DFS/POSIX (svc_dfs.py; firmware_stub/src/dfs_posix.c); each returns >= 0 or -errno
    ("__rtdl_dfs_open",),               # (path, flags) -> fd
    ("__rtdl_dfs_close",),              # (fd)
    ("__rtdl_dfs_read",),               # (fd, buf, len) -> bytes read
    ("__rtdl_dfs_write",),              # (fd, buf, len) -> bytes written
    ("__rtdl_dfs_lseek",),              # (fd, offset, whence) -> position
    ("__rtdl_dfs_fsync",),              # (fd)
    ("__rtdl_dfs_ftruncate",),          # (fd, length)
    ("__rtdl_dfs_stat",),               # (path or 0, fd, out[3]: mode, size, mtime)
    ("__rtdl_dfs_unlink",),             # (path)
    ("__rtdl_dfs_rename",),             # (old, new)
    ("__rtdl_dfs_mkdir",),              # (path)
    ("__rtdl_dfs_rmdir",),              # (path)
    ("__rtdl_dfs_opendir",),            # (path) -> DIR*
    ("__rtdl_dfs_readdir",),            # (DIR*) -> struct dirent* or 0 at the end
    ("__rtdl_dfs_closedir",),           # (DIR*)
    ("__rtdl_dfs_getcwd",),             # (buf, size) -> buf
    ("__rtdl_dfs_chdir",),              # (path)
    ("__rtdl_dfs_mount",),              # (path, filesystemtype)
    ("__rtdl_dfs_unmount",),            # (path)
    ("__rtdl_time_now",),               # (out[3]: seconds low, high, microseconds) host clock
    # devices: RT-Thread's device model over the board's devices (svc_device.py, devices.py)
    ("rt_device_find",),                # (name) -> rt_device_t or RT_NULL
    ("rt_device_init",),
    ("rt_device_open",),                # (dev, oflag)
    ("rt_device_close",),
    ("rt_device_read",),                # (dev, pos, buffer, size) -> units read
    ("rt_device_write",),               # (dev, pos, buffer, size) -> units written
    ("rt_device_control",),             # (dev, cmd, arg)
    ("rt_device_set_rx_indicate",),     # (dev, rx_ind(dev, size))
    ("rt_device_set_tx_complete",),     # (dev, tx_done(dev, buffer))
    # hooks, system threads, signals and IPC control (issue 9 part C; svc_hooks.py,
    # svc_signal.py, svc_ipc_control.py)
    ("rt_thread_idle_sethook",),        # (hook) -> RT_EOK or -RT_EFULL
    ("rt_thread_idle_delhook",),        # (hook) -> RT_EOK or -RT_ENOSYS
    ("rt_thread_idle_gethandler",),     # -> the idle thread
    ("rt_scheduler_sethook",),          # (hook(from, to))
    ("__rtdl_idle_next",),              # -> the idle thread's next hook, or 0
    ("rt_signal_install",),             # (signo, handler) -> the old handler
    ("rt_signal_mask",),                # (signo)
    ("rt_signal_unmask",),              # (signo)
    ("rt_signal_wait",),                # (set*, siginfo*, timeout)
    ("rt_thread_kill",),                # (thread, signo)
    ("__rtdl_signal_return",),          # a signal handler returned: the thread resumes
    ("rt_sem_control",),                # (sem, cmd, arg)
    ("rt_mutex_control",),
    ("rt_event_control",),
    ("rt_mb_control",),
    ("rt_mq_control",),
)


def service_number(name):
    """SVC number of a service by its name or alias, or -1."""
    for number in range(len(SERVICES)):
        if name in SERVICES[number]:
            return number
    return -1
