"""DFS services: RT-Thread's POSIX file API for modules (firmware_stub/src/dfs_posix.c wraps
them), over the kernel's `files` (a sandbox on the host: device paths, bytes names).

Descriptors are RT-Thread's: a global table of DFS_FD_MAX entries numbered from
DFS_FD_OFFSET (0-2 are the console), each owned by the module whose thread opened it and closed
when that module is freed. Services return a value >= 0 or -errno with newlib's numbers, which
the C side stores in errno as RT-Thread's rt_set_errno does (negative) and turns into -1.
`files` without `open_file` (the API's HostFiles) is a board with nothing mounted: every call
answers -ENOENT, as dfs_file_open does without a file system.
Imports: struct.
"""
import struct

DFS_FD_OFFSET = 3
DFS_FD_MAX = 16
DFS_PATH_MAX = 256
DIRENT_NAME_MAX = 256
DIR_SIZE = 4 + 512 + 4 + 4           # struct DIR: fd, buf[512], num, cur
DIRENT_SIZE = 4 + DIRENT_NAME_MAX     # d_type, d_namlen, d_reclen, d_name[256]
DT_REG = 0x01
DT_DIR = 0x02

# newlib's errno numbers
EPERM = 1
ENOENT = 2
EIO = 5
EBADF = 9
ENOMEM = 12
EACCES = 13
EBUSY = 16
EEXIST = 17
ENOTDIR = 20
EISDIR = 21
EINVAL = 22
ESPIPE = 29
ENAMETOOLONG = 91
ENODEV = 19

# the host's (Linux) errno numbers where newlib's differ; 1..34 are the same in both
_FROM_HOST = {36: 91, 38: 88, 39: 90, 40: 92, 95: 134, 75: 139}

_PATH_LIMIT = 4096


def target_errno(error):
    """newlib's errno for an OSError of the host's files."""
    code = getattr(error, "errno", None) or EIO
    if code in _FROM_HOST:
        return _FROM_HOST[code]
    return code if code <= 34 else EIO


def _neg(code):
    return (-code) & 0xFFFFFFFF


class _Descriptor:
    def __init__(self, handle, module, path, is_dir):
        self.handle = handle
        self.module = module
        self.path = path
        self.is_dir = is_dir
        self.entries = None               # a directory's [name, is_dir] list, read once
        self.position = 0


class DfsServices:
    def __init__(self, kernel):
        self.kernel = kernel
        self.fds = [None] * DFS_FD_MAX
        self.dirs = {}                    # DIR* -> fd
        self.mounted = True               # the board mounts its files at / on boot

    def handlers(self):
        return (("__rtdl_dfs_open", self.open),
                ("__rtdl_dfs_close", self.close),
                ("__rtdl_dfs_read", self.read),
                ("__rtdl_dfs_write", self.write),
                ("__rtdl_dfs_lseek", self.lseek),
                ("__rtdl_dfs_fsync", self.fsync),
                ("__rtdl_dfs_ftruncate", self.ftruncate),
                ("__rtdl_dfs_stat", self.stat),
                ("__rtdl_dfs_unlink", self.unlink),
                ("__rtdl_dfs_rename", self.rename),
                ("__rtdl_dfs_mkdir", self.mkdir),
                ("__rtdl_dfs_rmdir", self.rmdir),
                ("__rtdl_dfs_opendir", self.opendir),
                ("__rtdl_dfs_readdir", self.readdir),
                ("__rtdl_dfs_closedir", self.closedir),
                ("__rtdl_dfs_getcwd", self.getcwd),
                ("__rtdl_dfs_chdir", self.chdir),
                ("__rtdl_dfs_mount", self.mount),
                ("__rtdl_dfs_unmount", self.unmount))

    # ---------------------------------------------------------------- helpers ----------
    def _files(self):
        files = self.kernel.files
        if not self.mounted or not hasattr(files, "open_file"):
            return None
        return files

    def _path(self, addr):
        """The bytes of a C string; None when longer than any path can be."""
        return self.kernel.args.string_bytes(addr, "path", _PATH_LIMIT, too_long=True)

    def _owner(self):
        kernel = self.kernel
        if kernel.current is not None and kernel.current.module is not None:
            return kernel.current.module
        return kernel.initializing

    def _get(self, fd):
        if fd & 0x80000000:
            return None
        index = fd - DFS_FD_OFFSET
        if 0 <= index < DFS_FD_MAX:
            return self.fds[index]
        return None

    def _do(self, fn, *args):
        """fn(files, *args) -> its value, or -errno for an OSError; no file system: -ENOENT."""
        files = self._files()
        if files is None:
            return _neg(ENOENT)
        try:
            value = fn(files, *args)
        except OSError as error:
            return _neg(target_errno(error))
        return 0 if value is None else value

    def _with_path(self, addr, fn):
        if not addr:
            return _neg(EINVAL)
        path = self._path(addr)
        if path is None:
            return _neg(ENAMETOOLONG)
        if not path:
            return _neg(ENOENT)
        return self._do(fn, path)

    # ------------------------------------------------------------- descriptors ---------
    def _new_fd(self, handle, path, is_dir):
        for index in range(DFS_FD_MAX):
            if self.fds[index] is None:
                self.fds[index] = _Descriptor(handle, self._owner(), path, is_dir)
                return index + DFS_FD_OFFSET
        return -1

    def _open(self, path, flags):
        if self.fds.count(None) == 0:
            return _neg(ENOMEM)          # fd_new failed, as dfs_posix's open reports it

        def do(files, path):
            handle = files.open_file(path, flags)
            is_dir = files.fd_stat(handle)[0] & 0o170000 == 0o040000
            return self._new_fd(handle, path, is_dir)
        return self._with_path(path, do)

    def open(self, args):
        """(path, flags)"""
        return self._open(args[0], args[1])

    def _release(self, fd):
        desc = self._get(fd)
        self.fds[fd - DFS_FD_OFFSET] = None
        files = self.kernel.files
        try:
            files.fd_close(desc.handle)
        except OSError as error:
            return _neg(target_errno(error))
        return 0

    def close(self, args):
        if self._get(args[0]) is None:
            return _neg(EBADF)
        return self._release(args[0])

    def close_owned(self, module):
        """Close every descriptor and free every DIR `module` still holds (it ended)."""
        if not self.dirs and not any(self.fds):
            return                   # nothing is open (most modules end so)
        for index in range(DFS_FD_MAX):
            desc = self.fds[index]
            if desc is not None and desc.module is module:
                self._release(index + DFS_FD_OFFSET)
        for block in list(self.dirs):
            if self._get(self.dirs[block]) is None:
                del self.dirs[block]

    def _on_fd(self, fd, fn, *args):
        desc = self._get(fd)
        if desc is None:
            return _neg(EBADF)
        try:
            value = fn(self.kernel.files, desc, *args)
        except OSError as error:
            return _neg(target_errno(error))
        return 0 if value is None else value

    def read(self, args):
        """(fd, buf, len)"""
        buf, size = args[1], args[2]

        def do(files, desc):
            if desc.is_dir:
                return _neg(EISDIR)
            data = files.fd_read(desc.handle, size)
            if data:
                self.kernel.args.write(buf, data, "buf")
            return len(data)
        return self._on_fd(args[0], do)

    def write(self, args):
        """(fd, buf, len)"""
        buf, size = args[1], args[2]

        def do(files, desc):
            if desc.is_dir:
                return _neg(EISDIR)
            if not size:
                return 0
            return files.fd_write(desc.handle, self.kernel.args.buffer(buf, size, "buf"))
        return self._on_fd(args[0], do)

    def lseek(self, args):
        """(fd, offset, whence): a negative result is -EINVAL, as dfs_posix checks."""
        offset = args[1] - (1 << 32) if args[1] & 0x80000000 else args[1]
        whence = args[2]
        if whence > 2:
            return _neg(EINVAL)

        def do(files, desc):
            if whence == 0:
                target = offset
            elif whence == 1:
                target = files.fd_seek(desc.handle, 0, 1) + offset
            else:
                target = files.fd_stat(desc.handle)[1] + offset
            if target < 0 or target > 0x7FFFFFFF:
                return _neg(EINVAL)
            return files.fd_seek(desc.handle, target, 0)
        return self._on_fd(args[0], do)

    def fsync(self, args):
        return self._on_fd(args[0], lambda files, desc: files.fd_sync(desc.handle))

    def ftruncate(self, args):
        length = args[1]
        if length & 0x80000000:
            return _neg(EINVAL) if self._get(args[0]) is not None else _neg(EBADF)
        return self._on_fd(args[0], lambda files, desc: files.fd_truncate(desc.handle, length))

    def _put_stat(self, out, info):
        self.kernel.args.write(out, struct.pack("<III", info[0] & 0xFFFFFFFF,
                                                min(info[1], 0xFFFFFFFF),
                                                info[2] & 0xFFFFFFFF), "stat")
        return 0

    def stat(self, args):
        """(path or 0, fd, out*): out gets mode, size, mtime (three u32)."""
        out = args[2]
        if args[0]:
            return self._with_path(args[0], lambda files, path:
                                   self._put_stat(out, files.file_stat(path)))
        return self._on_fd(args[1], lambda files, desc:
                           self._put_stat(out, files.fd_stat(desc.handle)))

    # ---------------------------------------------------------------- namespace --------
    def unlink(self, args):
        return self._with_path(args[0], lambda files, path: files.unlink(path))

    def rmdir(self, args):
        return self._with_path(args[0], lambda files, path: files.rmdir(path))

    def mkdir(self, args):
        return self._with_path(args[0], lambda files, path: files.mkdir(path))

    def rename(self, args):
        if not args[1]:
            return _neg(EINVAL)
        new = self._path(args[1])
        if new is None:
            return _neg(ENAMETOOLONG)
        return self._with_path(args[0], lambda files, old: files.rename(old, new))

    # -------------------------------------------------------------- directories --------
    def opendir(self, args):
        """(path) -> DIR* (a heap block owned by the calling module) or -errno."""
        fd = self._open(args[0], 0x200000)        # O_RDONLY | O_DIRECTORY
        if fd & 0x80000000:
            return fd
        desc = self._get(fd)
        if not desc.is_dir:
            self._release(fd)
            return _neg(ENOTDIR)
        kernel = self.kernel
        block = kernel.heap.malloc(DIR_SIZE)
        if not block:
            self._release(fd)
            return _neg(ENOMEM)
        if desc.module is not None:
            kernel.ownership.give(block, desc.module)
        kernel.memory.write(block, struct.pack("<i", fd) + bytes(DIR_SIZE - 4))
        self.dirs[block] = fd
        return block

    def _dir_fd(self, block):
        fd = self.dirs.get(block)
        if fd is None or self._get(fd) is None:
            return None
        return fd

    def readdir(self, args):
        """(DIR*) -> the struct dirent in DIR's buffer, 0 at the end, or -errno."""
        block = args[0]
        fd = self._dir_fd(block)
        if fd is None:
            return _neg(EBADF)

        def do(files, desc):
            if desc.entries is None:
                desc.entries = files.fd_entries(desc.handle)
            while desc.position < len(desc.entries):
                name, is_dir = desc.entries[desc.position]
                desc.position += 1
                if len(name) < DIRENT_NAME_MAX:
                    break
            else:
                return 0
            record = struct.pack("<BBH", DT_DIR if is_dir else DT_REG, len(name),
                                 DIRENT_SIZE) + name + b"\0"
            self.kernel.memory.write(block + 4, record)
            return block + 4
        return self._on_fd(fd, do)

    def closedir(self, args):
        block = args[0]
        fd = self._dir_fd(block)
        if fd is None:
            return _neg(EBADF)
        del self.dirs[block]
        result = self._release(fd)
        self.kernel.ownership.untrack(block)
        self.kernel.heap.free(block)
        return result

    # ---------------------------------------------------------- working directory ------
    def getcwd(self, args):
        """(buf, size): rt_strncpy of the working directory into buf."""
        buf, size = args[0], args[1]
        files = self.kernel.files
        cwd = files.getcwd() if hasattr(files, "getcwd") else "/"
        if isinstance(cwd, str):
            cwd = cwd.encode()
        if buf and size:
            # rt_strncpy: NUL-padded to size, not terminated when the name fills it
            self.kernel.args.write(buf, (cwd + bytes(size))[:size], "buf")
        return buf

    def chdir(self, args):
        if not args[0]:
            return 0
        path = self._path(args[0])
        if path is None or len(path) > DFS_PATH_MAX:
            return _neg(ENOTDIR)

        def do(files, path):
            files.chdir(path)
        return self._do(do, path)

    # -------------------------------------------------------------------- mounts -------
    def mount(self, args):
        """(path, filesystemtype): only the board's own file system at '/'."""
        path = self._path(args[0]) if args[0] else None
        if path != b"/":
            return _neg(ENOTDIR if path else EINVAL)
        if self.mounted:
            return _neg(EINVAL)                # something is mounted there already
        if not hasattr(self.kernel.files, "open_file"):
            return _neg(ENODEV)
        self.mounted = True
        return 0

    def unmount(self, args):
        path = self._path(args[0]) if args[0] else None
        if path != b"/" or not self.mounted:
            return _neg(EINVAL)
        for index in range(DFS_FD_MAX):
            if self.fds[index] is not None:
                return _neg(EBUSY)
        self.mounted = False
        return 0

