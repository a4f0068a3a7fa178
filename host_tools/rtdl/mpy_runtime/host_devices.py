"""The host ends of `--disk` and `--serial` under `--runtime micropython`: opened here, in the
board's process, by the board's own code (rtdl_board.host_ends.open_host_ends: the same image
checks, transports and messages as under CPython), and served over the bridge to the
device side's endpoints (rtdl_device/bridge_devices.py describes the requests).

    ends = HostDevices(disks, serials)    # BoardDeviceError for a bad option
    serve(board, dict(info, devices=ends.listed()), dict(handlers, **ends.handlers()),
          device_write=ends.write)
    ends.close()

May import: rtdl_board, rtdl_device (rterror), the standard library.
"""
import binascii

from rtdl_board import host_serial
from rtdl_board.host_ends import open_host_ends
from rtdl_device.rterror import RtdlError


class HostDevices:
    def __init__(self, disks, serials):
        self.ends = open_host_ends(disks or {}, serials or {})

    def listed(self):
        """[kind, name, size] of each device, in registration order."""
        return [[kind, name, endpoint.size if kind == "disk" else 0]
                for kind, name, endpoint in self.ends]

    def handlers(self):
        return {"disk_read": self.disk_read, "disk_sync": self.disk_sync,
                "serial_poll": self.serial_poll, "serial_wait": self.serial_wait}

    def _end(self, index, kind):
        if not isinstance(index, int) or not 0 <= index < len(self.ends) or \
                self.ends[index][0] != kind:
            raise RtdlError("bridge: no %s device %r" % (kind, index))
        return self.ends[index][2]

    def disk_read(self, index, offset, size):
        return self._end(index, "disk").read(offset, size)

    def disk_sync(self, index):
        self._end(index, "disk").sync()

    def write(self, index, offset, data):
        """OP_DEVICE_WRITE: sectors of a disk at `offset`, or bytes sent on a line."""
        kind = self.ends[index][0] if 0 <= index < len(self.ends) else None
        if kind == "disk":
            try:
                self._end(index, "disk").write(offset, data)
            except OSError as error:
                # a queued write has no answer: the session fails with one clear line
                raise RtdlError("--disk %s: writing %d bytes at offset %d failed (%s)"
                                % (self.ends[index][1], len(data), offset,
                                   error.strerror or error))
        else:
            line = self._end(index, "serial")
            if line.alive:
                line.write(data)

    def serial_poll(self, asked):
        """[[alive, hex of the bytes read]] for each [index, room] asked: a line is read
        only when its buffer has room, as SerialDevice.receive reads it on CPython."""
        answers = []
        for index, room in asked:
            line = self._end(index, "serial")
            data = line.read(room) if room > 0 and line.alive else b""
            answers.append([line.alive, binascii.hexlify(data).decode()])
        return answers

    def serial_wait(self, indexes, timeout_us):
        host_serial.wait_readable([self._end(i, "serial") for i in indexes], timeout_us)

    def close(self):
        for _, _, endpoint in self.ends:
            endpoint.close()
