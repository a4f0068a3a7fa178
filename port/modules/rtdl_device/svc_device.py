"""Device services: RT-Thread's device API (src/device.c: rt_device_find/init/open/close/read/
write/control/set_rx_indicate/set_tx_complete) over the devices the board registers
(devices.py), and their interrupts.

Each device's struct rt_device is a system object's control block in the heap, entered in
kernel.objects (so rt_object_find, rt_object_get_type and the kernel-block checks know it).
The struct is kept true as RT-Thread's is: the kernel writes type, flag, open_flag,
ref_count and the callbacks after every call, and reads back what a module may write itself
(flag, rx_indicate, tx_complete) before using them.

Interrupts: between time slices (and while every thread waits, see Scheduler.idle) the
kernel asks `interrupts()` to take what the host lines received; each arrival calls the
module's rx_indicate(dev, size) as a UART's receive interrupt would, at top level with no
thread running (like a hard timer). A fault there is the callback's module's. A module that
ends gives back its opens and its callbacks; the device is as it was registered once nobody
holds it. Imports: struct, devices, faults, rt_layout, rterror, svc_thread.
"""
import struct

from . import devices
from . import faults
from .rt_layout import STRUCTS, offset
from .rterror import ModuleFault
from .svc_thread import caller

RT_EOK = 0
RT_ERROR = 1
RT_EBUSY = 7
RT_EINVAL = 10
_HEADER_TYPE = devices.RT_OBJECT_CLASS_DEVICE | 0x80        # a static (system) object
_TYPE = offset("rt_device", "type")
_FLAG = offset("rt_device", "flag")
_RX_INDICATE = offset("rt_device", "rx_indicate")
_TX_COMPLETE = offset("rt_device", "tx_complete")


def _neg(code):
    return (-code) & 0xFFFFFFFF


def _call(fn, args):
    yield (fn, args)


class DeviceServices:
    def __init__(self, kernel):
        self.kernel = kernel
        self.devices = []             # registered, in order (list_device's order)
        self.completions = []         # (device, buffer) whose tx_complete is due
        self.host_wait = None         # the board's wait(endpoints, timeout_us) -> None
        # the board's poll(devices) before their endpoints are read, when reading them one
        # by one would cost a round trip each (bridge_devices.py)
        self.host_poll = None

    def handlers(self):
        return (("rt_device_find", self.find),
                ("rt_device_init", self.init),
                ("rt_device_open", self.open),
                ("rt_device_close", self.close),
                ("rt_device_read", self.read),
                ("rt_device_write", self.write),
                ("rt_device_control", self.control),
                ("rt_device_set_rx_indicate", self.set_rx_indicate),
                ("rt_device_set_tx_complete", self.set_tx_complete))

    # ------------------------------------------------------------ registration ------
    def register(self, device):
        """The board registers `device` (rt_device_register): its struct rt_device comes
        from the heap, owned by the system."""
        kernel = self.kernel
        name = device.name[:8]
        for other in self.devices:
            if other.name == name:
                raise ValueError("device '%s' is registered twice" % name)
        size = STRUCTS["rt_device"][0]
        handle = kernel.heap.malloc(size)
        if not handle:
            raise MemoryError("no memory for the struct rt_device of '%s'" % name)
        device.name = name
        device.handle = handle
        kernel.memory.write(handle, self._header(name, size))
        kernel.objects[handle] = device
        self.devices.append(device)
        self.sync(device)
        return handle

    def find_name(self, name):
        for device in self.devices:
            if device.name == name:
                return device
        return None

    def stop(self):
        for device in self.devices:
            device.stop()

    def sync(self, device, memory=None):
        """Write what the kernel keeps of the struct."""
        memory = memory or self.kernel.memory
        memory.write(device.handle + _TYPE, struct.pack(
            "<BxHHBBII", device.device_class, device.device_flag & 0xFFFF,
            device.open_flag & 0xFFFF, device.ref_count & 0xFF, 0, device.rx_indicate,
            device.tx_complete))

    def render(self, device, memory):
        """The struct as the kernel wrote it, into `memory` (integrity.py's scratch copy);
        returns the (offset, size) of the fields modules may write themselves."""
        size = STRUCTS["rt_device"][0]
        memory.write(device.handle, self._header(device.name, size))
        self.sync(device, memory)
        return ((_FLAG, 2), (_RX_INDICATE, 4), (_TX_COMPLETE, 4))

    @staticmethod
    def _header(name, size):
        return struct.pack("<8sBBHI", name.encode(), _HEADER_TYPE, 0, 0, 0) + bytes(size - 16)

    def load(self, device):
        """Read back what modules may write in the struct themselves."""
        memory = self.kernel.memory
        device.device_flag = struct.unpack("<H", memory.read(device.handle + _FLAG, 2))[0]
        device.rx_indicate = memory.read32(device.handle + _RX_INDICATE)
        device.tx_complete = memory.read32(device.handle + _TX_COMPLETE)

    # ----------------------------------------------------------------- helpers -------
    def _device(self, handle, service):
        device = self.kernel.objects.get(handle)
        if not isinstance(device, devices.Device):
            raise ModuleFault("%s: %s: 0x%08x is not a device (%s)"
                              % (caller(self.kernel), service, handle,
                                 "it is %s" % device.describe() if device is not None else
                                 "rt_device_find gives the devices there are"))
        self.load(device)
        return device

    def _owner(self):
        kernel = self.kernel
        if kernel.current is not None:
            return kernel.current.module
        return kernel.ownership.owner_of_call() or kernel.initializing

    def _set_errno(self, code):
        thread = self.kernel.current
        if thread is not None and thread.tcb:
            self.kernel.errno.set(thread, code)

    # ---------------------------------------------------------------- services -------
    def find(self, args):
        device = self.find_name(self.kernel.args.string(args[0], "name", null="")[:8])
        return device.handle if device is not None else 0

    def init(self, args):
        device = self._device(args[0], "rt_device_init")
        device.device_flag |= devices.RT_DEVICE_FLAG_ACTIVATED
        self.sync(device)
        return RT_EOK

    def open(self, args):
        device = self._device(args[0], "rt_device_open")
        oflag = args[1] & 0xFFFF
        device.device_flag |= devices.RT_DEVICE_FLAG_ACTIVATED
        if device.device_flag & devices.RT_DEVICE_FLAG_STANDALONE and \
                device.open_flag & devices.RT_DEVICE_OFLAG_OPEN:
            self.sync(device)
            return _neg(RT_EBUSY)
        if device.ref_count >= 0xFF:
            raise ModuleFault("%s: rt_device_open: device '%s' is already open 255 times "
                              "(its ref_count is 8 bits)" % (caller(self.kernel), device.name))
        result = device.open(oflag)
        if result == RT_EOK:
            device.open_flag |= devices.RT_DEVICE_OFLAG_OPEN
            device.ref_count += 1
            device.openers.append(self._owner())
        self.sync(device)
        return result & 0xFFFFFFFF

    def close(self, args):
        device = self._device(args[0], "rt_device_close")
        if device.ref_count == 0:
            return _neg(RT_ERROR)
        owner = self._owner()
        if owner in device.openers:
            device.openers.remove(owner)
        elif device.openers:
            device.openers.pop(0)
        device.ref_count -= 1
        if device.ref_count == 0:
            self._shut(device)
        self.sync(device)
        return RT_EOK

    def _shut(self, device):
        device.close()
        device.open_flag = devices.RT_DEVICE_OFLAG_CLOSE
        device.rx_indicate = 0
        device.tx_complete = 0

    def _unit(self, device):
        return devices.SECTOR_SIZE if device.device_class == devices.RT_DEVICE_CLASS_BLOCK \
            else 1

    def read(self, args):
        """(dev, pos, buffer, size): what the device has, in its units (bytes, sectors)."""
        device = self._device(args[0], "rt_device_read")
        pos, buffer, size = args[1], args[2], args[3]
        if device.ref_count == 0:
            self._set_errno(-RT_ERROR)
            return 0
        unit = self._unit(device)
        if size * unit > 0x1000000:
            raise ModuleFault("%s: rt_device_read: %d units of %d bytes from '%s' do not fit "
                              "any buffer" % (caller(self.kernel), size, unit, device.name))
        if size:
            self.kernel.args.check_writable(buffer, size * unit, "buffer")
        data = device.read(pos, size)
        if data:
            self.kernel.args.write(buffer, data, "buffer")
        return len(data) // unit

    def write(self, args):
        """(dev, pos, buffer, size): the units written."""
        device = self._device(args[0], "rt_device_write")
        pos, buffer, size = args[1], args[2], args[3]
        if device.ref_count == 0:
            self._set_errno(-RT_ERROR)
            return 0
        unit = self._unit(device)
        if unit > 1:
            size = device.span(pos, size)
        if size * unit > 0x1000000:
            raise ModuleFault("%s: rt_device_write: %d bytes to '%s' are more than any "
                              "buffer" % (caller(self.kernel), size * unit, device.name))
        data = self.kernel.args.buffer(buffer, size * unit, "buffer")
        written = device.write(pos, data)
        if device.tx_complete and size:
            self.completions.append((device, buffer))
        return size if written is None else written

    def control(self, args):
        device = self._device(args[0], "rt_device_control")
        result, out = device.control(args[1])
        if out is not None:
            if not args[2]:
                return _neg(RT_EINVAL)
            self.kernel.args.write(args[2], out, "args")
        self.sync(device)
        return result & 0xFFFFFFFF

    def set_rx_indicate(self, args):
        device = self._device(args[0], "rt_device_set_rx_indicate")
        device.rx_indicate = args[1]
        self.sync(device)
        return RT_EOK

    def set_tx_complete(self, args):
        device = self._device(args[0], "rt_device_set_tx_complete")
        device.tx_complete = args[1]
        self.sync(device)
        return RT_EOK

    # --------------------------------------------------------------- interrupts ------
    def host_lines(self):
        """The open serial devices whose host line is still there."""
        return [d for d in self.devices if d.host and d.live()]

    def interrupts(self):
        """Between slices: the receive and transmit-complete interrupts of every open line.
        Nothing happens while a thread has interrupts masked (rt_hw_interrupt_disable)."""
        if not self.devices or (not self.completions and not self.host_lines()):
            return
        for thread in self.kernel.threads:
            if thread.irq_level:
                return
        while self.completions:
            device, buffer = self.completions.pop(0)
            self.load(device)
            if device.tx_complete:
                self._callback(device, device.tx_complete, (device.handle, buffer),
                               "tx_complete")
        lines = self.host_lines()
        if lines and self.host_poll is not None:
            self.host_poll(lines)
        for device in lines:
            if device.receive():
                self.load(device)
                if device.rx_indicate:
                    self._callback(device, device.rx_indicate,
                                   (device.handle, len(device.received)), "rx_indicate")

    def _callback(self, device, fn, args, what):
        kernel = self.kernel
        module = kernel.module_at(fn)
        if module is None:
            # not the code of any module: no driver would jump there; forget it
            if what == "rx_indicate":
                device.rx_indicate = 0
            else:
                device.tx_complete = 0
            self.sync(device)
            return
        try:
            kernel.drive(_call(fn, args))
        except ModuleFault as fault:
            fault = ModuleFault("%s: %s of device '%s': %s" % (module.name, what, device.name,
                                                              fault), fault.address,
                                fault.kind)
            faults.kill_module(kernel, module, fault)

    def wait(self, timeout_us):
        """Every thread waits and a host line is open: wait for the line (or the time) in
        host time, through the board."""
        lines = self.host_lines()
        if self.host_wait is not None and lines:
            self.host_wait([d.endpoint for d in lines], timeout_us)

    # -------------------------------------------------------------- module ends ------
    def release_owned(self, module):
        """`module` ended: its opens are closed, callbacks into its code forgotten, and a
        device nobody holds any more is as it was registered."""
        kernel = self.kernel
        for device in self.devices:
            self.load(device)
            count = device.openers.count(module)
            for _ in range(count):
                device.openers.remove(module)
            if count:
                device.ref_count -= count
                if device.ref_count <= 0:
                    device.ref_count = 0
                    self._shut(device)
            for name in ("rx_indicate", "tx_complete"):
                fn = getattr(device, name)
                if fn and kernel.module_at(fn) in (module, None):
                    setattr(device, name, 0)
            if device.ref_count == 0:
                activated = device.device_flag & devices.RT_DEVICE_FLAG_ACTIVATED
                device.device_flag = device.registered_flag | activated
            self.sync(device)
        self.completions = [c for c in self.completions
                            if kernel.module_at(c[0].tx_complete) is not module]
