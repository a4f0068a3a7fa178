"""RT-Thread's device model on the device side: the devices the board registers (a UART, a
block device), their state, and the bytes they move. svc_device.py turns the C API
(rt_device_find/open/read ...) into calls on these objects and keeps their struct rt_device
true in target memory.

A device is backed by an endpoint the board gives it, never by host code of its own:
  serial endpoint: read(n) -> bytes now available (b"" when none), write(data), alive
                   (False after the other side has gone), fileno() for the board's wait
  block endpoint:  read(offset, size) -> bytes, write(offset, data), size (bytes)
so the same classes run over the unicorn board's host files, ptys and sockets, or over a
device's own UART and flash. Imports: ipc.
"""
from .ipc import IpcObject

# rtdef.h: enum rt_device_class_type (RT-Thread 5.1) and the names list_device prints
RT_DEVICE_CLASS_CHAR = 0
RT_DEVICE_CLASS_BLOCK = 1
CLASS_NAMES = ("Character Device", "Block Device", "Network Interface", "MTD Device",
               "CAN Device", "RTC", "Sound Device", "Graphic Device", "I2C Bus",
               "USB Slave Device", "USB Host Bus", "USB OTG Bus", "SPI Bus", "SPI Device",
               "SDIO Bus", "PM Pseudo Device", "Pipe", "Portal Device", "Timer Device",
               "Miscellaneous Device", "Sensor Device", "Touch Device", "Phy Device",
               "Security Device", "WLAN Device", "Pin Device", "ADC Device", "DAC Device",
               "WDT Device", "PWM Device", "Bus Device", "Unknown")

RT_OBJECT_CLASS_DEVICE = 0x09

RT_DEVICE_FLAG_RDONLY = 0x001
RT_DEVICE_FLAG_WRONLY = 0x002
RT_DEVICE_FLAG_RDWR = 0x003
RT_DEVICE_FLAG_REMOVABLE = 0x004
RT_DEVICE_FLAG_STANDALONE = 0x008
RT_DEVICE_FLAG_ACTIVATED = 0x010
RT_DEVICE_FLAG_STREAM = 0x040
RT_DEVICE_FLAG_INT_RX = 0x100

RT_DEVICE_OFLAG_CLOSE = 0x000
RT_DEVICE_OFLAG_OPEN = 0x008
RT_DEVICE_OFLAG_MASK = 0xf0f

# RT_DEVICE_CTRL_BASE(Type) is (class + 1) * 0x100
RT_DEVICE_CTRL_CHAR_STREAM = 0x101
RT_DEVICE_CTRL_BLK_GETGEOME = 0x201
RT_DEVICE_CTRL_BLK_SYNC = 0x202

SECTOR_SIZE = 512
# RT_SERIAL_RB_BUFSZ: bytes a UART holds between the interrupt and the reader; more stay on
# the host's side (pipe, socket, pty), which is the line's flow control
RX_BUFFER_SIZE = 256


class Device(IpcObject):
    """A registered device: a system object (module None) in kernel.objects, its struct
    rt_device at `handle`. `flag` is what it registered with; modules may change the flag
    in the struct (ymodem clears STREAM), so the kernel reads it back from there."""
    kind = "device"
    object_class = RT_OBJECT_CLASS_DEVICE
    struct = "rt_device"
    dynamic = False
    device_class = RT_DEVICE_CLASS_CHAR
    host = False                  # its endpoint is on the host: time must follow the host's

    def __init__(self, name, flag, endpoint):
        IpcObject.__init__(self, name, 0, 0, None)
        self.registered_flag = flag
        self.device_flag = flag
        self.open_flag = RT_DEVICE_OFLAG_CLOSE
        self.ref_count = 0
        self.rx_indicate = 0
        self.tx_complete = 0
        self.endpoint = endpoint
        self.openers = []         # the module (or None) of each open, in order

    def state(self):
        return "%s, %s" % (CLASS_NAMES[self.device_class],
                           "open %d times" % self.ref_count if self.ref_count else "closed")

    def open(self, oflag):
        """The driver's open: RT_EOK, or a negated error."""
        self.open_flag = oflag & RT_DEVICE_OFLAG_MASK
        return 0

    def close(self):
        return 0

    def read(self, pos, size):
        return b""

    def write(self, pos, data):
        return 0

    def control(self, cmd):
        """(result, bytes to write through the argument or None)."""
        return -6, None           # -RT_ENOSYS

    def stop(self):
        """The board shuts down: let go of the endpoint."""
        close = getattr(self.endpoint, "close", None)
        if close is not None:
            close()


class SerialDevice(Device):
    """A UART in interrupt-RX mode: bytes from the line collect in `received` (at most
    RX_BUFFER_SIZE) while it is open, and each arrival calls the module's rx_indicate with
    the count held; writes go out at once (polling TX) and then report tx_complete."""
    device_class = RT_DEVICE_CLASS_CHAR

    def __init__(self, name, endpoint):
        Device.__init__(self, name, RT_DEVICE_FLAG_RDWR | RT_DEVICE_FLAG_INT_RX, endpoint)
        self.received = b""
        self.host = True

    def live(self):
        """Open and its line still there: a thread may be waiting for what comes."""
        return self.ref_count > 0 and self.endpoint.alive

    def open(self, oflag):
        self.open_flag = (oflag & RT_DEVICE_OFLAG_MASK) | (oflag & RT_DEVICE_FLAG_STREAM)
        return 0

    def close(self):
        self.received = b""
        return 0

    def receive(self):
        """Take what the line has, as far as the buffer holds: True when bytes came."""
        room = RX_BUFFER_SIZE - len(self.received)
        if room <= 0 or not self.endpoint.alive:
            return False
        data = self.endpoint.read(room)
        if not data:
            return False
        self.received += data
        return True

    def read(self, pos, size):
        data = self.received[:size]
        self.received = self.received[len(data):]
        return data

    def write(self, pos, data):
        if (self.device_flag | self.open_flag) & RT_DEVICE_FLAG_STREAM:
            data = data.replace(b"\n", b"\r\n")
        if self.endpoint.alive:
            self.endpoint.write(data)
        return None               # the caller's size: every byte went to the line

    def control(self, cmd):
        if cmd == RT_DEVICE_CTRL_CHAR_STREAM:
            self.device_flag |= RT_DEVICE_FLAG_STREAM
            return 0, None
        return 0, None            # line settings (baud rate ...) mean nothing on the host


class BlockDevice(Device):
    """A disk of SECTOR_SIZE-byte sectors over a block endpoint: pos and size of read and
    write count sectors, as RT-Thread's block drivers take them."""
    device_class = RT_DEVICE_CLASS_BLOCK

    def __init__(self, name, endpoint):
        Device.__init__(self, name, RT_DEVICE_FLAG_RDWR | RT_DEVICE_FLAG_REMOVABLE |
                        RT_DEVICE_FLAG_STANDALONE, endpoint)

    def sectors(self):
        return self.endpoint.size // SECTOR_SIZE

    def span(self, pos, size):
        """How many of `size` sectors from `pos` the disk has (0 past its end)."""
        count = self.sectors()
        if pos < 0 or pos >= count:
            return 0
        return min(size, count - pos)

    def read(self, pos, size):
        count = self.span(pos, size)
        return self.endpoint.read(pos * SECTOR_SIZE, count * SECTOR_SIZE)

    def write(self, pos, data):
        self.endpoint.write(pos * SECTOR_SIZE, data)
        return len(data) // SECTOR_SIZE

    def control(self, cmd):
        if cmd == RT_DEVICE_CTRL_BLK_GETGEOME:
            count = self.sectors()
            # struct rt_device_blk_geometry: u64 sector_count, bytes_per_sector, block_size
            geometry = bytes((count >> (8 * i)) & 0xFF for i in range(8)) + \
                bytes((SECTOR_SIZE >> (8 * i)) & 0xFF for i in range(4)) * 2
            return 0, geometry
        if cmd == RT_DEVICE_CTRL_BLK_SYNC:
            sync = getattr(self.endpoint, "sync", None)
            if sync is not None:
                sync()
            return 0, None
        return 0, None
