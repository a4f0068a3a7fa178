"""What the host works out from a firmware ELF once, kept on disk for the next process.

A firmware's description (the board's symbol table and function list, `rtdl verify`'s facts)
depends on the ELF's bytes and on the code that works it out (the heap `rtdl verify` records
comes from booting the board), and working it out walks thousands of symbols and boots the
board: it is stored under `$XDG_CACHE_HOME/rtdl/firmware-facts/` (default `~/.cache`), one
file per kind of description, ELF (keyed by the BLAKE2b digest of its bytes, or of the parts the
description is read from), version of that code
(the size and modification time of every source file of rtdl_device and rtdl_board, and of
the caller's own) and Python version (marshal's format is Python's own). A file that is
missing, unreadable, of another format or for other bytes or code is worked out again and
rewritten (atomically: a reader never sees half a file); a cache that cannot be written is
simply not kept.

CPython only. May import: the standard library.
"""
import marshal
import os
import sys

try:
    # the BLAKE2 built into CPython: hashlib's first import initialises OpenSSL, which cost
    # more than hashing the whole ELF; every board boot pays this
    from _blake2 import blake2b as _hash
except ImportError:
    from hashlib import blake2b as _hash

FORMAT = 1


def directory():
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "rtdl", "firmware-facts")


def digest(data):
    """The key of an ELF: the BLAKE2b digest of its bytes, in hex."""
    return _hash(data).hexdigest()


_stamps = {}


def code_stamp(extra=()):
    """A digest of the size and modification time of every .py file of rtdl_device and
    rtdl_board (and of the files `extra`): a changed source makes a new key."""
    key = tuple(extra)
    if key not in _stamps:
        import rtdl_device
        here = os.path.dirname(os.path.abspath(__file__))
        folders = (os.path.dirname(os.path.abspath(rtdl_device.__file__)), here)
        parts = []
        for folder in folders:
            for entry in sorted(os.scandir(folder), key=lambda e: e.name):
                if entry.name.endswith(".py"):
                    info = entry.stat()
                    parts.append("%s %d %d" % (entry.path, info.st_size, info.st_mtime_ns))
        for path in key:
            info = os.stat(path)
            parts.append("%s %d %d" % (path, info.st_size, info.st_mtime_ns))
        _stamps[key] = digest("\n".join(parts).encode())
    return _stamps[key]


def cached(kind, data, compute, code=()):
    """`compute()`'s value (a marshal-able one) for the firmware bytes `data` it is worked out
    from (the whole ELF, or the parts of it the description reads), from the cache when it
    holds it for exactly these bytes and this code (code_stamp of `code`, the caller's own
    source files), else computed and stored."""
    key = digest((digest(data) + code_stamp(code)).encode())
    path = os.path.join(directory(), "%s-%s.%s" % (kind, key[:40], sys.implementation.cache_tag))
    try:
        with open(path, "rb") as stream:
            entry = marshal.loads(stream.read())
        if (isinstance(entry, tuple) and len(entry) == 3 and entry[0] == FORMAT
                and entry[1] == key):
            return entry[2]
    except (OSError, EOFError, ValueError, TypeError):
        pass                      # not there, or not a file of ours: work it out again
    value = compute()
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        staging = "%s.%d.tmp" % (path, os.getpid())
        with open(staging, "wb") as stream:
            marshal.dump((FORMAT, key, value), stream)
        os.replace(staging, path)
    except OSError:
        pass                      # a read-only home: the description is just not kept
    return value
