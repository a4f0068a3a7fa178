"""The firmware's variables a module must never change (issue 10): the objects of the
firmware's .data/.bss that no legitimate call changes (newlib's _impure_ptr - which only the
kernel moves, to the running thread's reent (libcstate.py) - newlib's global reent,
__dso_handle, ...: everything but libc's own writable state - the reent of code outside
module threads, the time zone, locale and environment - which calls change for the module
and which keep_firmware_data puts back when the last module goes).

The firmware's linker script puts them on pages of their own (link.ld: __fwvars_start ..
__fwvars_end), which protect_variables makes read-only once boot is done: a module's store
there is a mem manage fault of the module at that instruction (the board's fault line names
the variable). They stay read-only for good rather than only while module code runs: after
boot no firmware code writes them (nor does the system threads' code), and the kernel's own
writes go through the memory interface, which is not bound by the pages' protection (unicorn's
uc_mem_write, also under the bridge). libc's writable state, which module calls write through
firmware code, is on pages of its own (protect_libc_state), whose stores the board judges by
who makes them (port/rtdl_board/libcguard.py).

The end-of-module check is the backstop for whatever of them stays on writable pages (a
firmware built with another linker script): each module's end compares them with their boot
contents; what changed is put back and, when no other module ran alongside, reported as a
fault of that module naming the variable.
Imports nothing.
"""


def protect_variables(kernel, start, end):
    """Make the firmware-variable pages [start, end) read-only (page-aligned by the linker
    script; nothing to do for a firmware without them). The one place that sets their
    protection: a change of when it applies (say, only while module code runs) goes here."""
    kernel.firmware_variables = (start, end)
    if end > start:
        kernel.memory.protect(start, end - start, False)


def protect_libc_state(kernel, start, end):
    """Make libc's pages [start, end) (link.ld __libcstate_start .. __libcstate_end: the
    system reent, time zone, locale, environment, the stdio streams) read-only once boot is
    done. The board lets libc's own stores there through and opens the pages until the next
    kernel entry (port/rtdl_board/libcguard.py); a module's store faults at the store."""
    if end > start:
        kernel.memory.protect(start, end - start, False)


def keep(kernel, objects):
    """Remember [(address, size, name)] of the protected firmware objects as they are now."""
    memory = kernel.memory
    kernel.firmware_objects = [(addr, size, name, memory.read(addr, size))
                               for addr, size, name in objects]


def damage(kernel):
    """Put back every protected object that differs from its boot contents (_impure_ptr:
    from the reent the kernel last pointed it at); returns a
    description of what was found ("_impure_ptr at 0x20000000 (4 bytes) was 0x..., found
    0x..."), or None."""
    memory = kernel.memory
    found = []
    libc = getattr(kernel, "libc", None)
    for addr, size, name, contents in getattr(kernel, "firmware_objects", ()):
        if libc is not None and addr == libc.pointer and size == 4:
            # _impure_ptr follows the running thread (libcstate.py): it must hold what the
            # kernel last put there
            active = libc.active
            contents = bytes([active & 0xFF, active >> 8 & 0xFF, active >> 16 & 0xFF,
                              active >> 24 & 0xFF])
        now = memory.read(addr, size)
        if now != contents:
            memory.write(addr, contents)
            found.append("%s at 0x%08x (%d bytes) was %s, found %s"
                         % (name, addr, size, _hex(contents), _hex(now)))
    if not found:
        return None
    return "firmware data overwritten: %s; the kernel put it back" % "; ".join(found)


def _hex(raw):
    if len(raw) == 4:
        return "0x%08x" % (raw[0] | raw[1] << 8 | raw[2] << 16 | raw[3] << 24)
    text = "".join(["%02x" % c for c in raw[:16]])
    return text + ("..." if len(raw) > 16 else "")
