"""The board's host-backed devices across the bridge (`rtdl run/shell --runtime micropython
--disk NAME=FILE --serial NAME=SPEC`): endpoints with the interfaces of devices.py whose host
ends (image files, ptys, sockets, commands) stay in the board's process
(rtdl.mpy_runtime.host_devices serves them). The device model itself is devices.py and
svc_device.py, the same as on CPython.

The host lists its devices in the session's info as [kind, name, size] (kind "disk" or
"serial"; size in bytes for a disk), in registration order; a device is named by its index
in that list. What crosses the bridge:
    writes (sectors, bytes sent on a line)  OP_DEVICE_WRITE, queued: no round trip
    ["disk_read", index, offset, size]      -> DATA
    ["disk_sync", index]
    ["serial_poll", [[index, room], ...]]   -> [[alive, hex bytes], ...]: what each open
                                            line has, for all of them in one request per
                                            interrupt poll (DeviceServices.host_poll)
    ["serial_wait", [index, ...], timeout_us]  every thread waits: until a line has bytes
Imports: binascii, struct, bridge, devices.
"""
import binascii
import struct

from . import bridge
from . import devices


class BridgeDisk:
    """Block endpoint: read(offset, size), write(offset, data), size, sync."""

    def __init__(self, link, index, size):
        self.link = link
        self.index = index
        self.size = size

    def read(self, offset, size):
        if size <= 0:
            return b""
        return bytes(self.link.call("disk_read", self.index, offset, size))

    def write(self, offset, data):
        self.link.post(bridge.OP_DEVICE_WRITE, struct.pack("<BQ", self.index, offset) +
                       bytes(data))

    def sync(self):
        self.link.call("disk_sync", self.index)

    def close(self):
        pass                      # the host closes its end when the session ends


class BridgeLine:
    """Serial endpoint: read(n) gives what the last poll brought, write(data) is queued;
    `alive` is what the host said at the last poll."""

    def __init__(self, link, index):
        self.link = link
        self.index = index
        self.alive = True
        self.pending = b""

    def read(self, n):
        data = self.pending[:n]
        self.pending = self.pending[len(data):]
        return data

    def write(self, data):
        self.link.post(bridge.OP_DEVICE_WRITE, struct.pack("<BQ", self.index, 0) +
                       bytes(data))

    def close(self):
        pass


def attach(kernel, link, listed):
    """Register the host's devices (`listed`, from the session's info) with the kernel,
    and give it the bridge's poll and wait."""
    registry = kernel.devices
    for index in range(len(listed)):
        kind, name, size = listed[index]
        if kind == "disk":
            registry.register(devices.BlockDevice(name, BridgeDisk(link, index, size)))
        else:
            registry.register(devices.SerialDevice(name, BridgeLine(link, index)))

    def poll(lines):
        asked = []
        for device in lines:
            endpoint = device.endpoint
            room = devices.RX_BUFFER_SIZE - len(device.received) - len(endpoint.pending)
            asked.append([endpoint.index, room if room > 0 else 0])
        answers = link.call("serial_poll", asked)
        for i in range(len(lines)):
            alive, data = answers[i]
            endpoint = lines[i].endpoint
            endpoint.alive = alive
            if data:
                endpoint.pending += binascii.unhexlify(data)

    def wait(endpoints, timeout_us):
        link.call("serial_wait", [e.index for e in endpoints], timeout_us)

    registry.host_poll = poll
    registry.host_wait = wait
