"""The device's file system in a host directory: the device's `/` is `root`, and nothing
outside it is ever opened.

    board = Board(files=SandboxFiles("build"))      # dlopen("/lib.so") reads build/lib.so

It gives the kernel and msh the `files` interface (read, listdir, isdir, isfile, size,
chdir, getcwd) over device paths: absolute ones start at `root`, relative ones at the working
directory (`chdir`, as DFS's working_directory). `rtdl run`, `rtdl shell` and the API share it.

Why it cannot be raced: a path is never checked and then opened again. Each component is
opened from the directory fd of the one before (`dir_fd`, `O_NOFOLLOW`), starting at an fd of
the root taken once, so no symbolic link is ever followed by the host. A link met on the way
is read (readlink) and its target, made a device path, is walked again the same way - only
when it stays inside the root. Whatever a link points to at any moment, the walk can only
reach files below the root fd.

Modules load only from regular files: the entry is lstat'ed before it is opened (a device
node is never opened), opened O_NONBLOCK (a FIFO cannot block) and fstat'ed after. Reads are
bounded by `read_limit` (the board sets it to its heap size). Names are bytes inside; str
paths are encoded with surrogateescape, so names that are not UTF-8 list and open. Errors
(FileError, an OSError) name device paths, never the host's.

The API's default, host_files.HostFiles, walks the host's `/` the same way (Tree).
"""
import errno
import os
import stat

from rtdl_device.rterror import RtdlError

from .sandbox_io import FileIO

# Linux's MAXSYMLINKS: links followed in one lookup before ELOOP
MAX_LINKS = 40
_OPEN_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC | getattr(os, "O_NOCTTY", 0)


class FileError(OSError):
    """A file operation refused or failed; str() is the reason, with device paths only."""

    def __str__(self):
        return self.strerror


class SandboxEscape(FileError):
    """A symbolic link whose target lies outside the sandbox root."""


def show(path):
    """A device path (bytes or str) as printable text: bytes that are not UTF-8 as \\xNN."""
    if isinstance(path, str):
        path = os.fsencode(path)
    return path.decode("utf-8", "backslashreplace")


def normalize(parts, path, clamp):
    """Components `parts` extended by bytes `path` ('.', '..', '//' resolved); None when
    '..' climbs above the top and not `clamp`."""
    parts = list(parts)
    for part in path.split(b"/"):
        if part == b"" or part == b".":
            continue
        if part == b"..":
            if parts:
                parts.pop()
            elif not clamp:
                return None
        else:
            parts.append(part)
    return parts


def _device(parts):
    return b"/" + b"/".join(parts)


class Tree:
    """The walk over one host directory."""

    def __init__(self, root, contain):
        try:
            self._fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        except (OSError, ValueError) as error:
            raise RtdlError("%s: sandbox root is not a directory (%s; expected an existing "
                            "directory to map to the device's /)" % (show(os.fsencode(root)),
                                                                     _reason(error)))
        self.contain = contain
        # an absolute link target is inside when it starts with the root as given or as real
        self._prefixes = set()
        for host in (os.path.abspath(root), os.path.realpath(root)):
            host = os.fsencode(host).rstrip(b"/")
            self._prefixes.add(host + b"/")
        self.read_limit = None

    def close(self):
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def _link_parts(self, dir_parts, target, device):
        """The device components a link in directory `dir_parts` with `target` points to."""
        if target.startswith(b"/"):
            target = b"/" + b"/".join(normalize([], target, True))
            for prefix in self._prefixes:
                if target + b"/" == prefix or target.startswith(prefix):
                    return normalize([], target[len(prefix) - 1:], True)
            if self.contain:
                raise SandboxEscape(errno.EACCES, "%s: a symbolic link that leads outside "
                                    "the device's file system" % show(device))
            return normalize([], target, True)
        parts = normalize(dir_parts, target, not self.contain)
        if parts is None:
            raise SandboxEscape(errno.EACCES, "%s: a symbolic link that leads outside the "
                                "device's file system" % show(device))
        return parts

    def walk(self, parts, last, device):
        """last(dir_fd, name) on the final component of `parts`, every component before it
        opened from its parent's fd without following links. `last` raises OSError(ELOOP)
        when it meets a link; the link is then resolved and the walk starts again."""
        links = 0
        while True:
            fd = os.dup(self._fd)
            try:
                depth = 0
                while depth < len(parts) - 1:
                    name = parts[depth]
                    try:
                        child = os.open(name, _OPEN_FLAGS | os.O_DIRECTORY, dir_fd=fd)
                    except OSError as error:
                        if error.errno not in (errno.ELOOP, errno.ENOTDIR):
                            raise _error(error, device)
                        target = _readlink(fd, name, error, device)
                        parts = self._link_parts(parts[:depth], target, device) + \
                            parts[depth + 1:]
                        break
                    os.close(fd)
                    fd = child
                    depth += 1
                else:
                    name = parts[-1] if parts else b"."
                    try:
                        return last(fd, name)
                    except OSError as error:
                        if isinstance(error, FileError) or error.errno != errno.ELOOP:
                            raise _error(error, device)
                        target = _readlink(fd, name, error, device)
                        parts = self._link_parts(parts[:-1], target, device)
            finally:
                os.close(fd)
            links += 1
            if links > MAX_LINKS:
                raise FileError(errno.ELOOP, "%s: too many levels of symbolic links"
                                % show(device))

    # ----------------------------------------------------------- operations on a walk --
    def lstat(self, parts, device):
        def last(fd, name):
            st = os.stat(name, dir_fd=fd, follow_symlinks=False)
            if stat.S_ISLNK(st.st_mode):
                raise OSError(errno.ELOOP, "a symbolic link")
            return st
        return self.walk(parts, last, device)

    def entry(self, parts, device):
        """The last component's own lstat: a link there is not followed."""
        return self.walk(parts, lambda fd, name: os.stat(name, dir_fd=fd,
                                                         follow_symlinks=False), device)

    def read(self, parts, device):
        limit = self.read_limit

        def last(fd, name):
            st = os.stat(name, dir_fd=fd, follow_symlinks=False)
            if stat.S_ISLNK(st.st_mode):
                raise OSError(errno.ELOOP, "a symbolic link")
            _check_regular(st, device)
            # O_NONBLOCK: the entry may have become a FIFO since the lstat
            f = os.open(name, _OPEN_FLAGS | os.O_NONBLOCK, dir_fd=fd)
            try:
                st = os.fstat(f)
                _check_regular(st, device)
                if limit is not None and st.st_size > limit:
                    raise FileError(errno.EFBIG, "%s: %d bytes, larger than the %d-byte heap"
                                    % (show(device), st.st_size, limit))
                os.set_blocking(f, True)
                return _read_bounded(f, limit, device)
            finally:
                os.close(f)
        return self.walk(parts, last, device)

    def listdir(self, parts, device):
        def last(fd, name):
            f = os.open(name, _OPEN_FLAGS | os.O_DIRECTORY, dir_fd=fd)
            try:
                return os.listdir(f)
            finally:
                os.close(f)
        return self.walk(parts, last, device)


_KINDS = ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO"),
          (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
          (stat.S_ISSOCK, "a socket"))


def _check_regular(st, device):
    if stat.S_ISREG(st.st_mode):
        return
    kind = "a special file"
    for test, name in _KINDS:
        if test(st.st_mode):
            kind = name
    raise FileError(errno.EISDIR if stat.S_ISDIR(st.st_mode) else errno.EINVAL,
                    "%s: not a regular file (%s)" % (show(device), kind))


def _read_bounded(f, limit, device):
    chunks, total = [], 0
    while True:
        chunk = os.read(f, 1 << 20)
        if not chunk:
            return b"".join(chunks)
        total += len(chunk)
        if limit is not None and total > limit:
            raise FileError(errno.EFBIG, "%s: grew past the %d-byte heap while read"
                            % (show(device), limit))
        chunks.append(chunk)


def _readlink(fd, name, error, device):
    try:
        return os.readlink(name, dir_fd=fd)
    except OSError:
        # not a link after all (or gone): the open's own error stands
        raise _error(error, device)


def _reason(error):
    if isinstance(error, ValueError):
        return "a NUL byte in the path"
    return os.strerror(error.errno).lower() if error.errno else str(error)


def _error(error, device):
    """`error` as a FileError naming device path `device` only."""
    if isinstance(error, FileError):
        return error
    return FileError(error.errno or errno.EIO, "%s: %s" % (show(device), _reason(error)))


def encode(path):
    if isinstance(path, str):
        path = os.fsencode(path)
    elif not isinstance(path, bytes):
        path = os.fsencode(os.fspath(path))
    if b"\0" in path:
        raise FileError(errno.EINVAL, "%s: a NUL byte in the path (expected a path without "
                        "NUL)" % show(path.replace(b"\0", b"\\0")))
    return path


class SandboxFiles:
    device_fs = True             # paths are the device's: RT-Thread's /modules/ rule applies

    def __init__(self, root):
        self._tree = Tree(root, True)
        self.root = os.path.realpath(root)
        self.cwd = "/"
        # the modules' open files and namespace changes (open_file, fd_*, unlink, mkdir ...)
        self.io = FileIO(self._tree, self._parts, FileError, show)
        for name in ("open_file", "fd_read", "fd_write", "fd_seek", "fd_truncate", "fd_sync",
                     "fd_stat", "fd_entries", "fd_close", "file_stat", "unlink", "rmdir",
                     "mkdir", "rename"):
            setattr(self, name, getattr(self.io, name))

    @property
    def read_limit(self):
        """Bytes a read may return (None: no bound); a larger file is refused unread."""
        return self._tree.read_limit

    @read_limit.setter
    def read_limit(self, value):
        self._tree.read_limit = value

    def _parts(self, path):
        path = encode(path)
        # '..' at '/' stays at '/', as dfs_normalize_path keeps the topmost root
        parts = normalize([] if path.startswith(b"/") else
                           normalize([], os.fsencode(self.cwd), True), path, True)
        return parts, _device(parts)

    def device_path(self, path):
        """The absolute, normalised device path of `path` (relative to the working directory)."""
        return os.fsdecode(self._parts(path)[1])

    def read(self, path):
        return self._tree.read(*self._parts(path))

    def listdir(self, path):
        return self._tree.listdir(*self._parts(path))

    def stat(self, path):
        """The entry's os.stat_result, links inside the root followed."""
        return self._tree.lstat(*self._parts(path))

    def _mode(self, path):
        try:
            return self.stat(path).st_mode
        except OSError:
            return None

    def isdir(self, path):
        mode = self._mode(path)
        return mode is not None and stat.S_ISDIR(mode)

    def isfile(self, path):
        """True for any entry but a directory: running a FIFO must say it is not a regular
        file rather than that there is no such command."""
        mode = self._mode(path)
        return mode is not None and not stat.S_ISDIR(mode)

    def size(self, path):
        """The file's size; for a link that leads nowhere (outside, or to nothing) the link's
        own, so `ls` lists every entry without saying anything of what lies outside."""
        try:
            return self.stat(path).st_size
        except FileError:
            return self._tree.entry(*self._parts(path)).st_size

    def chdir(self, path):
        parts, device = self._parts(path)
        if not stat.S_ISDIR(self._tree.lstat(parts, device).st_mode):
            raise FileError(errno.ENOTDIR, "%s: not a directory" % show(device))
        self.cwd = os.fsdecode(device)

    def getcwd(self):
        return self.cwd


def device_path_of(host, root):
    """The device path of host path `host` in a sandbox rooted at host directory `root`, or
    None when it lies outside. The last component is kept as given (a link there is the
    sandbox's to follow or refuse); the folders are compared as given and as real paths."""
    host = os.path.abspath(host)
    folder, name = os.path.split(host)
    for base, top in ((host, os.path.abspath(root)),
                      (os.path.join(os.path.realpath(folder), name), os.path.realpath(root))):
        rel = os.path.relpath(base, top)
        if rel == os.curdir:
            return "/"
        if rel != os.pardir and not rel.startswith(os.pardir + os.sep):
            return "/" + rel.replace(os.sep, "/")
    return None
