"""The firmware's variables a module must never change (issue 10): after boot the board names
the objects of the firmware's .data/.bss that no legitimate call changes (newlib's
_impure_ptr, __dso_handle, ...: everything but libc's own state - the reentrancy structure
with stdio, errno and rand, the time zone, locale and environment - which calls change for
the module and which keep_firmware_data puts back when the last module goes). Each module's
end compares them with their boot contents; what changed is put back and, when no other
module ran alongside, reported as a fault of that module naming the variable.

Not write-protected while module code runs: the firmware's data pages also hold libc's state,
which module calls write through firmware code (see README, "Faults").
Imports nothing.
"""


def keep(kernel, objects):
    """Remember [(address, size, name)] of the protected firmware objects as they are now."""
    memory = kernel.memory
    kernel.firmware_objects = [(addr, size, name, memory.read(addr, size))
                               for addr, size, name in objects]


def damage(kernel):
    """Put back every protected object that differs from its boot contents; returns a
    description of what was found ("_impure_ptr at 0x20000000 (4 bytes) was 0x..., found
    0x..."), or None."""
    memory = kernel.memory
    found = []
    for addr, size, name, contents in getattr(kernel, "firmware_objects", ()):
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
