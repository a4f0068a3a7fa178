"""A device file system in a host directory: the device's `/` is `root`, nothing outside it
is reachable.

    board = Board(files=SandboxFiles("build"))      # dlopen("/lib.so") reads build/lib.so

It gives the kernel and msh the `files` interface (read, listdir, isdir, isfile, size,
chdir, getcwd) over device paths: absolute ones start at `root`, relative ones at the working
directory (`chdir`, as DFS's working_directory). A path whose '..' climbs above `/`, or that
resolves through a symbolic link to a host path outside `root`, raises SandboxEscape naming
the path, the root and what was expected; a missing file raises the OSError open() raises.
"""
import os

from rtdl_device import msh
from rtdl_device.rterror import RtdlError

EACCES = 13


class SandboxEscape(RtdlError):
    """A device path that would reach a host file outside the sandbox root."""
    errno = EACCES


class SandboxFiles:
    def __init__(self, root):
        if not os.path.isdir(root):
            raise RtdlError("%s: sandbox root is not a directory (expected an existing "
                            "directory to map to the device's /)" % root)
        self.root = os.path.realpath(root)
        self.cwd = "/"

    def device_path(self, path):
        """The absolute, normalised device path of `path` (relative to the working directory)."""
        device = msh.normalize_path(self.cwd, path)
        if device is None:
            raise SandboxEscape("%s: '..' climbs above the device's / (sandbox root %s); "
                                "expected a path inside the sandbox" % (path, self.root))
        return device

    def host_path(self, path):
        """The host path of device path `path`, checked to lie inside the root."""
        host = os.path.join(self.root, self.device_path(path).lstrip("/"))
        real = os.path.realpath(host)
        if real != self.root and not real.startswith(self.root + os.sep):
            raise SandboxEscape("%s: resolves to %s, outside the sandbox root %s; expected a "
                                "path inside the sandbox" % (path, real, self.root))
        return host

    def read(self, path):
        with open(self.host_path(path), "rb") as f:
            return f.read()

    def listdir(self, path):
        return os.listdir(self.host_path(path))

    def isdir(self, path):
        return os.path.isdir(self.host_path(path))

    def isfile(self, path):
        return os.path.isfile(self.host_path(path))

    def size(self, path):
        return os.path.getsize(self.host_path(path))

    def chdir(self, path):
        device = self.device_path(path)
        if not self.isdir(device):
            raise FileNotFoundError(2, "no such directory in the sandbox", path)
        self.cwd = device

    def getcwd(self):
        return self.cwd
