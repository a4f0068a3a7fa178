"""Reading, writing and changing files of the sandbox for the modules' DFS/POSIX calls.

sandbox.SandboxFiles gives the kernel these operations on device paths (bytes or str) by
delegating to `FileIO` over its walk (sandbox.Tree), so every one is resolved and opened in
one step from the root's fd, never following a link out of it:

    open_file(path, flags) -> handle     flags are newlib's O_* bits (the target's ABI)
    fd_read(handle, size) -> bytes       fd_write(handle, data) -> count
    fd_seek(handle, offset, whence)      fd_truncate(handle, length)   fd_sync(handle)
    fd_stat(handle) -> [mode, size, mtime]   fd_entries(handle) -> [[name, is_dir], ...]
    fd_close(handle)                     file_stat(path) -> [mode, size, mtime]
    unlink(path)  rmdir(path)  mkdir(path)  rename(old, new)

Handles are small integers of this object; the host fds behind them never reach the device.
Only regular files and directories open: a FIFO, socket or device node is refused without
blocking (lstat first, O_NONBLOCK, fstat after). Errors are sandbox.FileError with the host's
errno (the kernel turns it into the target's) and device paths only.
Imports: errno, os, stat, sandbox's helpers.
"""
import errno
import os
import stat

# newlib's <sys/_default_fcntl.h> bits, as modules pass them
T_ACCMODE = 3
T_WRONLY = 1
T_RDWR = 2
T_APPEND = 0x0008
T_CREAT = 0x0200
T_TRUNC = 0x0400
T_EXCL = 0x0800
T_DIRECTORY = 0x200000

_BASE = os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0)


def host_flags(flags):
    """The host's open flags for newlib's `flags` (the sandbox adds no-follow and no-block)."""
    access = flags & T_ACCMODE
    host = os.O_RDWR if access == T_RDWR else os.O_WRONLY if access == T_WRONLY else os.O_RDONLY
    for bit, value in ((T_APPEND, os.O_APPEND), (T_CREAT, os.O_CREAT), (T_TRUNC, os.O_TRUNC),
                       (T_EXCL, os.O_EXCL), (T_DIRECTORY, os.O_DIRECTORY)):
        if flags & bit:
            host |= value
    return host | _BASE


def _info(st):
    return [st.st_mode, st.st_size, int(st.st_mtime)]


class FileIO:
    """The open files of one sandbox (see the module docstring)."""

    def __init__(self, tree, parts_of, file_error, show):
        self._tree = tree
        self._parts_of = parts_of            # path -> (components, device path bytes)
        self._FileError = file_error
        self._show = show
        self._open = {}                      # handle -> [host fd, device path, is_dir]
        self._next = 1

    def _fail(self, code, device, text):
        return self._FileError(code, "%s: %s" % (self._show(device), text))

    def _get(self, handle):
        entry = self._open.get(handle)
        if entry is None:
            raise self._FileError(errno.EBADF, "bad file handle %r" % (handle,))
        return entry

    # ------------------------------------------------------------------ files ----------
    def open_file(self, path, flags):
        parts, device = self._parts_of(path)
        host = host_flags(flags)
        want_dir = bool(flags & T_DIRECTORY)

        def last(fd, name):
            try:
                st = os.stat(name, dir_fd=fd, follow_symlinks=False)
            except FileNotFoundError:
                st = None
                if not host & os.O_CREAT:
                    raise
            if st is not None:
                if stat.S_ISLNK(st.st_mode):
                    raise OSError(errno.ELOOP, "a symbolic link")
                if not (stat.S_ISREG(st.st_mode) or stat.S_ISDIR(st.st_mode)):
                    raise self._fail(errno.EACCES, device, "not a regular file or directory")
                if stat.S_ISDIR(st.st_mode) and not want_dir:
                    if host & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
                        raise self._fail(errno.EISDIR, device, "is a directory")
            mode = 0o644 if not want_dir else 0
            f = os.open(name, host, mode, dir_fd=fd)
            try:
                st = os.fstat(f)
                if not (stat.S_ISREG(st.st_mode) or stat.S_ISDIR(st.st_mode)):
                    raise self._fail(errno.EACCES, device, "not a regular file or directory")
                if want_dir and not stat.S_ISDIR(st.st_mode):
                    raise self._fail(errno.ENOTDIR, device, "not a directory")
                os.set_blocking(f, True)
            except BaseException:
                os.close(f)
                raise
            return f, stat.S_ISDIR(st.st_mode)

        f, is_dir = self._tree.walk(parts, last, device)
        handle = self._next
        self._next += 1
        self._open[handle] = [f, device, is_dir]
        return handle

    def fd_read(self, handle, size):
        f, device, is_dir = self._get(handle)
        if is_dir:
            raise self._fail(errno.EISDIR, device, "is a directory")
        return self._call(os.read, device, f, max(0, int(size)))

    def fd_write(self, handle, data):
        f, device, is_dir = self._get(handle)
        if is_dir:
            raise self._fail(errno.EISDIR, device, "is a directory")
        return self._call(os.write, device, f, bytes(data))

    def fd_seek(self, handle, offset, whence):
        f, device, _ = self._get(handle)
        return self._call(os.lseek, device, f, offset, whence)

    def fd_truncate(self, handle, length):
        f, device, _ = self._get(handle)
        self._call(os.ftruncate, device, f, length)

    def fd_sync(self, handle):
        f, device, _ = self._get(handle)
        self._call(os.fsync, device, f)

    def fd_stat(self, handle):
        f, device, _ = self._get(handle)
        return _info(self._call(os.fstat, device, f))

    def fd_entries(self, handle):
        """The directory's entries as [name bytes, is_dir] (links judged by their target
        only when it stays inside; otherwise they list as files)."""
        f, device, is_dir = self._get(handle)
        if not is_dir:
            raise self._fail(errno.ENOTDIR, device, "not a directory")
        out = []
        for name in sorted(self._call(os.listdir, device, f)):
            name = os.fsencode(name)
            try:
                st = os.stat(name, dir_fd=f, follow_symlinks=False)
                is_sub = stat.S_ISDIR(st.st_mode)
            except OSError:
                is_sub = False
            out.append([name, is_sub])
        return out

    def fd_close(self, handle):
        f = self._get(handle)[0]
        del self._open[handle]
        os.close(f)

    def close_all(self):
        for handle in list(self._open):
            self.fd_close(handle)

    def _call(self, fn, device, *args):
        try:
            return fn(*args)
        except OSError as error:
            raise self._fail(error.errno or errno.EIO, device,
                             os.strerror(error.errno or errno.EIO).lower())

    # ------------------------------------------------------------- the namespace -------
    def file_stat(self, path):
        parts, device = self._parts_of(path)
        return _info(self._tree.lstat(parts, device))

    def _in_parent(self, path, action):
        """action(dir_fd, name, device) in the opened parent directory of `path`."""
        parts, device = self._parts_of(path)
        if not parts:
            raise self._fail(errno.EBUSY, device, "the device's root")
        folder, name = parts[:-1], parts[-1]

        def open_dir(fd, leaf):
            if stat.S_ISLNK(os.stat(leaf, dir_fd=fd, follow_symlinks=False).st_mode):
                raise OSError(errno.ELOOP, "a symbolic link")     # the walk resolves it
            return os.open(leaf, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC,
                           dir_fd=fd)
        parent = self._tree.walk(folder, open_dir, device) if folder else \
            os.dup(self._tree._fd)
        try:
            return action(parent, name, device)
        except OSError as error:
            if isinstance(error, self._FileError):
                raise
            raise self._fail(error.errno or errno.EIO, device,
                             os.strerror(error.errno or errno.EIO).lower())
        finally:
            os.close(parent)

    def unlink(self, path):
        def act(fd, name, device):
            st = os.stat(name, dir_fd=fd, follow_symlinks=False)
            if stat.S_ISDIR(st.st_mode):
                os.rmdir(name, dir_fd=fd)
            else:
                os.unlink(name, dir_fd=fd)
        self._in_parent(path, act)

    def rmdir(self, path):
        self._in_parent(path, lambda fd, name, device: os.rmdir(name, dir_fd=fd))

    def mkdir(self, path):
        self._in_parent(path, lambda fd, name, device: os.mkdir(name, 0o755, dir_fd=fd))

    def rename(self, old, new):
        def act(fd, name, device):
            def into(fd2, name2, device2):
                os.rename(name, name2, src_dir_fd=fd, dst_dir_fd=fd2)
            self._in_parent(new, into)
        self._in_parent(old, act)
