"""What a module hands to finsh and to RT-Thread's component init: the `struct finsh_syscall`
records MSH_CMD_EXPORT / MSH_CMD_EXPORT_ALIAS / FINSH_FUNCTION_EXPORT put in its FSymTab
section, and the functions INIT_BOARD_EXPORT ... INIT_APP_EXPORT put in `.rti_fn.<level>`.
Both are read from the linked image (pointers already relocated), for ET_DYN and ET_REL alike:
the layout names the sections (`named_sections`). A record that points outside the module is
bad input: one line naming the file, the section and the entry.

On RT-Thread these tables live in the firmware and are walked at boot (components.c sorts the
`.rti_fn.N` sections by name, so level 1 runs before level 6); a loaded module's tables are
never read. Here the kernel runs a module's init functions at load and msh lists and runs
its commands while it is loaded (lifecycle.py, msh.py).
Imports: struct.
"""
import struct

FSYMTAB = "FSymTab"
INIT_SECTION = ".rti_fn."
CMD_PREFIX = "__cmd_"          # MSH_CMD_EXPORT's name prefix, which msh strips
RECORD_SIZE = 12               # name, desc, func (FINSH_USING_DESCRIPTION)
NAME_MAX = 80                  # FINSH_CMD_SIZE: longer names are not finsh's
DESC_MAX = 256

# rtdef.h's levels: "0" is rti_start, "6.end" rti_end (RT-Thread's own markers)
LEVEL_NAMES = {"1": "INIT_BOARD_EXPORT", "2": "INIT_PREV_EXPORT", "3": "INIT_DEVICE_EXPORT",
               "4": "INIT_COMPONENT_EXPORT", "5": "INIT_ENV_EXPORT", "6": "INIT_APP_EXPORT"}


class Command:
    """One finsh_syscall record: `name` as msh knows it (without "__cmd_"), its help text,
    the Thumb address of its function, and whether it came from MSH_CMD_EXPORT."""

    def __init__(self, name, desc, func, msh):
        self.name = name
        self.desc = desc
        self.func = func
        self.msh = msh

    def __repr__(self):
        return "<command %s at 0x%08x>" % (self.name, self.func)


class InitFunction:
    """One `.rti_fn.<level>` entry: its level ("1".."6") and Thumb address."""

    def __init__(self, level, func):
        self.level = level
        self.func = func

    @property
    def macro(self):
        return LEVEL_NAMES.get(self.level, "INIT_EXPORT(level \"%s\")" % self.level)


def _string(image, addr, section, index, what, limit):
    vaddr = (addr - image.bias) & 0xFFFFFFFF
    if not image.inside(vaddr, 1):
        raise image.elf.error("%s entry %d: %s pointer 0x%08x is outside the module"
                              % (section, index, what, addr))
    off = vaddr - image.placement.vstart
    raw = bytes(image.data[off:off + limit + 1])
    end = raw.find(b"\0")
    if end < 0:
        raise image.elf.error("%s entry %d: %s at 0x%08x is not a string of at most %d bytes"
                              % (section, index, what, addr, limit))
    return raw[:end].decode()


def _function(image, fn, section, index):
    if not (fn & 1 and image.in_code(fn)):
        raise image.elf.error("%s entry %d is 0x%08x (expected a Thumb function inside the "
                              "module's code)" % (section, index, fn))
    return fn


def _commands(image, vaddr, size):
    if size % RECORD_SIZE:
        raise image.elf.error("%s is %d bytes (expected struct finsh_syscall records of %d "
                              "bytes: name, desc, func)" % (FSYMTAB, size, RECORD_SIZE))
    found = []
    off = vaddr - image.placement.vstart
    for i in range(size // RECORD_SIZE):
        name_ptr, desc_ptr, func = struct.unpack_from("<III", image.data, off + i * 12)
        name = _string(image, name_ptr, FSYMTAB, i, "name", NAME_MAX)
        desc = _string(image, desc_ptr, FSYMTAB, i, "desc", DESC_MAX) if desc_ptr else ""
        msh = name.startswith(CMD_PREFIX)
        if msh:
            name = name[len(CMD_PREFIX):]
        if not name:
            raise image.elf.error("%s entry %d has an empty name" % (FSYMTAB, i))
        found.append(Command(name, desc, _function(image, func, FSYMTAB, i), msh))
    return found


def read(image):
    """(commands, init functions) of a linked image; init functions in level order (the
    sections sorted by name, as RT-Thread's link script sorts them), each level's entries in
    link order."""
    commands = []
    levels = []
    if not hasattr(image.placement, "named_sections"):
        return commands, []
    for name, vaddr, size in image.placement.named_sections(image):
        if not image.inside(vaddr, size):
            raise image.elf.error("section %s at 0x%x (%d bytes) is not inside the module"
                                  % (name, vaddr, size))
        if name == FSYMTAB:
            commands += _commands(image, vaddr, size)
        elif name.startswith(INIT_SECTION):
            levels.append((name, vaddr, size))
    levels.sort()
    inits = []
    for name, vaddr, size in levels:
        if size % 4:
            raise image.elf.error("%s is %d bytes (expected an array of 4-byte function "
                                  "addresses)" % (name, size))
        for i in range(size // 4):
            fn = image.read32(vaddr + 4 * i)
            if fn:
                inits.append(InitFunction(name[len(INIT_SECTION):],
                                          _function(image, fn, name, i)))
    return commands, inits
