"""The `files` interface across the bridge: BridgeFiles (read, listdir, isdir, isfile, size,
chdir, getcwd) with the modules' file operations (svc_dfs, msh_file), the methods
open_file, fd_read, fd_write, fd_seek, fd_truncate, fd_sync, fd_stat, fd_entries, fd_close,
file_stat, unlink, rmdir, mkdir, rename of the host's sandbox (rtdl.sandbox_io), called as
JSON requests. Names and data are bytes, which JSON cannot carry: they travel as hex
(binascii.hexlify), and fd_read's bytes come back as a DATA frame.
rtdl.mpy_runtime.commands decodes the same way on the host. Imports: binascii, bridge
(HostOSError).
"""
import binascii

from .bridge import HostOSError


def _hex(data):
    if isinstance(data, str):
        data = data.encode()
    return str(binascii.hexlify(data), "ascii")


class BridgeFileIO:
    def __init__(self, link):
        self.link = link

    def _call(self, *what):
        return self.link.call("files", *what)

    def open_file(self, path, flags):
        return self._call("open_file", _hex(path), flags)

    def fd_read(self, handle, size):
        return bytes(self._call("fd_read", handle, size))

    def fd_write(self, handle, data):
        return self._call("fd_write", handle, _hex(data))

    def fd_seek(self, handle, offset, whence):
        return self._call("fd_seek", handle, offset, whence)

    def fd_truncate(self, handle, length):
        return self._call("fd_truncate", handle, length)

    def fd_sync(self, handle):
        return self._call("fd_sync", handle)

    def fd_stat(self, handle):
        return self._call("fd_stat", handle)

    def fd_entries(self, handle):
        return [[binascii.unhexlify(name), is_dir]
                for name, is_dir in self._call("fd_entries", handle)]

    def fd_close(self, handle):
        return self._call("fd_close", handle)

    def file_stat(self, path):
        return self._call("file_stat", _hex(path))

    def unlink(self, path):
        return self._call("unlink", _hex(path))

    def rmdir(self, path):
        return self._call("rmdir", _hex(path))

    def mkdir(self, path):
        return self._call("mkdir", _hex(path))

    def rename(self, old, new):
        return self._call("rename", _hex(old), _hex(new))


METHODS = ("open_file", "fd_read", "fd_write", "fd_seek", "fd_truncate", "fd_sync", "fd_stat",
           "fd_entries", "fd_close", "file_stat", "unlink", "rmdir", "mkdir", "rename")


class BridgeFiles:
    """The `files` interface (read, listdir, isdir, isfile, size, chdir, getcwd, and the
    modules' file operations of bridge_fileio) of the device file system."""

    device_fs = True             # paths are the device's: RT-Thread's /modules/ rule applies

    def __init__(self, link):
        self.link = link
        io = BridgeFileIO(link)
        for name in METHODS:
            setattr(self, name, getattr(io, name))

    def read(self, path):
        return self.link.call("files", "read", path)

    def listdir(self, path):
        return self.link.call("files", "listdir", path)

    def isdir(self, path):
        return self.link.call("files", "isdir", path)

    def isfile(self, path):
        return self.link.call("files", "isfile", path)

    def size(self, path):
        return self.link.call("files", "size", path)

    def chdir(self, path):
        if isinstance(path, bytes):
            try:
                path = str(path, "utf-8")
            except UnicodeError:
                raise HostOSError(2, "a working directory whose name is not UTF-8")
        return self.link.call("files", "chdir", path)

    def getcwd(self):
        return self.link.call("files", "getcwd")
