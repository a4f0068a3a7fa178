"""Command lines and argument vectors: RT-Thread's msh argv splitting, its host-side inverse,
and the argv[] block main(argc, argv) receives in target memory.
Imports: struct, rterror.
"""
import struct

from .rterror import HeapError

ARGV_MAX = 8


def argv_bytes(argv):
    """Size of the block holding argv[] (a NULL-terminated pointer table) and its strings."""
    return 4 * (len(argv) + 1) + sum([len(a.encode()) + 1 for a in argv])


def split_command(cmd):
    """RT-Thread's msh argv rule: space/tab separated, '"' quotes, at most 8 arguments."""
    argv = []
    i, n = 0, len(cmd)
    while i < n and len(argv) < ARGV_MAX:
        while i < n and cmd[i] in " \t":
            i += 1
        if i >= n:
            break
        if cmd[i] == '"':
            i += 1
            start = i
            while i < n and cmd[i] != '"':
                i += 1
            argv.append(cmd[start:i])
            i += 1
        else:
            start = i
            while i < n and cmd[i] not in " \t":
                i += 1
            argv.append(cmd[start:i])
    return argv


def quote_args(args):
    """The inverse of split_command for a host command line: quote arguments with blanks."""
    out = []
    for arg in args:
        if arg == "" or " " in arg or "\t" in arg:
            out.append('"%s"' % arg)
        else:
            out.append(arg)
    return " ".join(out)


def argv_block(heap, argv):
    """The heap block charged for argv[] and its strings (argv_bytes(argv))."""
    block = heap.malloc(argv_bytes(argv))
    if not block:
        raise HeapError("no memory for the argument vector")
    return block


def put_argv(memory, block, argv):
    """Write argv[] (a NULL-terminated pointer table) and its strings at `block`."""
    strings = [a.encode() + b"\0" for a in argv]
    table = 4 * (len(argv) + 1)
    raw = bytearray(table)
    pos = block + table
    tail = b""
    for i in range(len(strings)):
        struct.pack_into("<I", raw, 4 * i, pos)
        pos += len(strings[i])
        tail += strings[i]
    memory.write(block, bytes(raw) + tail)
    return block
