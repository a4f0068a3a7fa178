"""The modules' file operations (svc_dfs, msh_file) across the bridge: the `files` methods
open_file, fd_read, fd_write, fd_seek, fd_truncate, fd_sync, fd_stat, fd_entries, fd_close,
file_stat, unlink, rmdir, mkdir, rename of the host's sandbox (rtdl.sandbox_io), called as
JSON requests. Names and data are bytes, which JSON cannot carry: they travel as hex
(binascii.hexlify), and fd_read's bytes come back as a DATA frame.
rtdl.mpy_runtime.commands decodes the same way on the host. Imports: binascii.
"""
import binascii


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
