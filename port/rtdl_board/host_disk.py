"""The host's end of a board's disk (`--disk NAME=FILE`): an image file read and written in
place, with the block endpoint interface of rtdl_device/devices.py (read(offset, size),
write(offset, data), size, sync, close). The path is the user's own, on the host: it is not
a device path and the sandbox of --root does not apply. CPython only (os)."""
import os


class DiskImageError(ValueError):
    """FILE cannot serve as a disk image."""


class HostDisk:
    def __init__(self, path):
        try:
            self.fd = os.open(path, os.O_RDWR)
        except OSError as error:
            raise DiskImageError("%s: %s (expected a disk image file to read and write)"
                                 % (path, error.strerror or error))
        size = os.fstat(self.fd).st_size
        if size < 512:
            os.close(self.fd)
            raise DiskImageError("%s: %d bytes (expected an image of at least one 512-byte "
                                 "sector)" % (path, size))
        self.path = path
        self.size = size - size % 512

    def read(self, offset, size):
        return os.pread(self.fd, size, offset)

    def write(self, offset, data):
        os.pwrite(self.fd, data, offset)

    def sync(self):
        os.fsync(self.fd)

    def close(self):
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None
