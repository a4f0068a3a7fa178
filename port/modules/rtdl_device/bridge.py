"""The board across a synchronous byte stream: `memory`, `cpu`, `console` and `files` proxies for
a device side that runs in another process than the emulator (MicroPython under Node, with the
unicorn board in CPython: rtdl.mpy_runtime serves the other end).

Frames are `<u32 length><u8 op><body>`, little-endian. Requests that need no answer (writes,
invalidate, protect, console output) are only queued (by the runner) and leave with the next
request that waits for one, so a heap operation or a module image costs no round trip. Reads
are served from whole pages fetched once and kept until target code runs again. A CPU run
(RUN, CALL) is answered by SVC frames, each carrying the service number and r0-r15; the
kernel handles the service here while the emulator waits inside its SVC hook, and SVC_DONE
carries back the registers the service changed, r0 and whether to stop - so the board
behaves exactly as when the kernel runs in its own hook. Imports: struct, json, rterror. The
`memory` interface is in bridge_memory, the `files` interface across the bridge in
bridge_fileio, the host-backed devices' endpoints in bridge_devices, the board's stack
region in bridge_stacks.
"""
import json
import struct

from . import symbolize
from .rterror import ModuleFault, RtdlError

try:
    from micropython import const
except ImportError:
    def const(x):
        return x

# device -> board
OP_WRITE = const(0x77)       # w  addr, data                  (queued)
OP_INVALIDATE = const(0x69)  # i  addr, size                  (queued)
OP_PROTECT = const(0x70)     # p  addr, size, writable        (queued)
PROTECT_RETIRE = const(2)    #    writable's value for memory.retire
OP_HELD_MODES = const(0x68)  # h  json plan | empty: the same  (queued; heldplan.py)
OP_CONSOLE = const(0x63)     # c  bytes                       (queued)
OP_READ = const(0x72)        # r  addr, size                  -> DATA | ERROR
OP_REGS = const(0x67)        # g                              -> DATA (r0-r15)
OP_RUN = const(0x75)         # u  17 regs, slot, timeout, meta -> SVC* then RUN_DONE
OP_CALL = const(0x6B)        # k  fn, timeout, n, args, meta  -> SVC* then CALL_DONE
OP_SVC_DONE = const(0x73)    # s  flags, r0, n, (reg, value)*
OP_JSON = const(0x6A)        # j  json [name, ...]            -> JSON | DATA | ERROR
OP_DEVICE_WRITE = const(0x6F)  # o  device, u64 offset, data  (queued; bridge_devices)
OP_STACK_ALLOC = const(0x61)  # a  size                      -> DATA u32 bottom (bridge_stacks)
OP_STACK_FREE = const(0x66)   # f  bottom                    (queued; bridge_stacks)
# board -> device
OP_DATA = const(0x64)        # d
OP_ERROR = const(0x65)       # e  json {"type", "message", ...}
OP_SVC = const(0x76)         # v  number, r0-r15
OP_RUN_DONE = const(0x78)    # x  status, slot, 17 regs[, json error]
OP_CALL_DONE = const(0x79)   # y  status, r0[, json error]

# SVC_DONE flags
HAS_R0 = const(1)
STOP = const(2)
FAILED = const(4)
# RUN_DONE / CALL_DONE status
SLICE_END = const(0)
STOPPED = const(1)
RAISED = const(2)            # the board raised: json error follows
SERVICE_RAISED = const(3)    # a service raised here: the device side re-raises it
NO_SLOT = const(-2)          # a context without the cpu's slot
NEW_SLOT = const(-1)

_FRAME = (0, 1, 2, 3, 12, 13, 14, 15)   # r0-r3, r12, sp, lr, pc


class BridgeError(RtdlError):
    """The other end broke the protocol or went away."""


class HostOSError(OSError):
    """An OSError of the host's files, shown with the host's own text (errno kept)."""

    def __init__(self, errno, text):
        super().__init__(errno)
        self.text = text

    def __str__(self):
        return self.text


# errors of the host that the device side raises as the same builtin (remote_repl.py)
_BUILTIN_ERRORS = {"KeyboardInterrupt": KeyboardInterrupt, "AttributeError": AttributeError,
                   "TypeError": TypeError, "ValueError": ValueError, "KeyError": KeyError,
                   "IndexError": IndexError}


def error_from(info):
    """The exception a JSON error report stands for."""
    builtin = _BUILTIN_ERRORS.get(info.get("type"))
    if builtin is not None:
        return builtin(info["message"]) if info["message"] else builtin()
    if info.get("type") == "OSError":
        return HostOSError(info.get("errno") or 5, info["message"])
    if info.get("type") == "ModuleFault":
        who, what, region, rest = info.get("parts") or (None, info["message"], None, "")
        return ModuleFault(what, info.get("address"), info.get("kind", "fault"), region, rest,
                           who)
    return RtdlError(info["message"], info.get("errno"))


class Link:
    """Framing over a binary stream with read(n) and write(data)."""

    def __init__(self, stream):
        self.stream = stream

    def post(self, op, body=b""):
        # The runner holds written bytes until the device side next reads, so a frame that
        # needs no answer costs no round trip; writing it at once keeps it in order with what
        # MicroPython prints itself (the runner sends that as console output too).
        self.stream.write(struct.pack("<IB", len(body) + 1, op) + body)

    def send(self, op, body=b""):
        self.post(op, body)

    def _read(self, n):
        data = self.stream.read(n)
        if data is None:
            data = b""
        while len(data) < n:
            more = self.stream.read(n - len(data))
            if not more:
                raise BridgeError("the board closed the bridge")
            data += more
        return data

    def recv(self):
        size, op = struct.unpack("<IB", self._read(5))
        return op, self._read(size - 1) if size > 1 else b""

    def request(self, op, body=b""):
        self.send(op, body)
        return self.recv()

    def call(self, *what):
        """A JSON request: the answer's value, bytes for DATA; an ERROR raises."""
        op, body = self.request(OP_JSON, json.dumps(what).encode())
        if op == OP_DATA:
            return body
        if op == OP_ERROR:
            raise error_from(json.loads(body))
        if op != OP_JSON:
            raise BridgeError("unexpected answer 0x%02x to %s" % (op, what[0]))
        return json.loads(body)


class BridgeCpu:
    """The `cpu` interface over the link. `kernel` (set after boot) handles the services the
    board reports; inside one, registers are read from and written to the reported frame."""

    def __init__(self, link, memory):
        self.link = link
        self.memory = memory
        self.kernel = None
        self.running = False
        # UnicornCpu's run count while no code runs: the board's process counts the runs,
        # this side does not see them, so every check that goes by it runs each time
        self.quiet_runs = None
        self.regs = None             # r0-r15 of the service being handled
        self.dirty = {}
        self._stop = False
        self._error = None
        self._meta = None
        self._modules_key = None
        self._modules_json = "[]"

    def _reg(self, index):
        if self.regs is not None:
            return self.regs[index]
        op, body = self.link.request(OP_REGS)
        return struct.unpack("<16I", body)[index]

    def sp(self):
        return self._reg(13)

    def lr(self):
        return self._reg(14)

    def pc(self):
        return self._reg(15)

    def _set(self, index, value):
        if self.regs is None:
            raise RtdlError("cpu registers can only change inside a service")
        value &= 0xFFFFFFFF
        self.regs[index] = value
        self.dirty[index] = value

    def stop(self):
        self._stop = True

    def fail(self, error):
        if self._error is None:
            self._error = error
        self._stop = True

    def save_call_frame(self):
        return [self._reg(i) for i in _FRAME]

    def restore_call_frame(self, frame):
        for i in range(len(_FRAME)):
            self._set(_FRAME[i], frame[i] | 1 if _FRAME[i] == 15 else frame[i])

    def redirect(self, fn, args, return_to):
        for i in range(min(len(args), 4)):
            self._set(i, args[i])
        self._set(14, return_to | 1)
        self._set(15, fn | 1)

    def _meta_bytes(self):
        """Who runs (thread, its module, a module in its constructors) and where the modules
        and their functions are, for the board's fault reports; empty when unchanged since
        the last run. The modules' part is rebuilt only when the modules change."""
        k = self.kernel
        who = [None, None, None]
        mods = "[]"
        if k is not None:
            current = k.current
            if current is not None:
                who[0] = current.name
                who[1] = current.module.name if current.module is not None else None
            if k.initializing is not None:
                who[2] = k.initializing.name
            key = [(m.name, m.mem_space) for m in k.modules if m.image is not None]
            if key != self._modules_key:
                self._modules_key = key
                self._modules_json = json.dumps(
                    [[m.name, m.mem_space, m.mem_size, symbolize.functions(m.image)]
                     for m in k.modules if m.image is not None])
            mods = self._modules_json
        meta = ("[%s,%s]" % (json.dumps(who), mods)).encode()
        if meta == self._meta:
            return b""
        self._meta = meta
        return meta

    def _service(self, body):
        number = body[0]
        self.regs = list(struct.unpack("<16I", body[1:65]))
        self.dirty = {}
        self._stop = False
        flags = 0
        result = None
        try:
            result = self.kernel.service(number, self.regs[:4])
        except Exception as error:   # re-raised when the board reports the run's end
            if self._error is None:
                self._error = error
            flags |= FAILED
        if self._stop:
            flags |= STOP
        if result is not None:
            flags |= HAS_R0
        out = struct.pack("<BIB", flags, (result or 0) & 0xFFFFFFFF, len(self.dirty))
        for index in self.dirty:
            out += struct.pack("<BI", index, self.dirty[index])
        self.regs = None
        self.memory.drop()
        self.link.send(OP_SVC_DONE, out)

    def _until_done(self, op, body):
        if self.running:
            raise RtdlError("cpu.run called while the CPU is already running")
        self._error = None
        self.memory.drop()
        self.running = True
        try:
            self.link.send(op, body)
            while True:
                op, body = self.link.recv()
                if op != OP_SVC:
                    return op, body
                self._service(body)
        finally:
            self.running = False

    def _raise(self, status, rest):
        if status == SERVICE_RAISED:
            error, self._error = self._error, None
            raise error
        if status == RAISED:
            raise error_from(json.loads(rest))

    def run(self, context, timeout_us=0):
        """As UnicornCpu.run; context[17] holds the number of the board's saved CPU state."""
        slot = NO_SLOT
        if len(context) > 17:
            slot = NEW_SLOT if context[17] is None else context[17]
        body = struct.pack("<17IiI", *([v & 0xFFFFFFFF for v in context[:17]]
                                       + [slot, timeout_us]))
        op, body = self._until_done(OP_RUN, body + self._meta_bytes())
        if op != OP_RUN_DONE:
            raise BridgeError("unexpected answer 0x%02x to a run" % op)
        status, slot = struct.unpack("<Bi", body[:5])
        context[:17] = list(struct.unpack("<17I", body[5:73]))
        if len(context) > 17:
            context[17] = slot
        self._raise(status, body[73:])
        return status == STOPPED

    def call(self, fn, args=(), timeout_us=0):
        if self.running:
            raise RtdlError("cpu.call cannot run while the CPU is running (use a service "
                            "generator)")
        body = struct.pack("<IIB", fn, timeout_us, len(args))
        for value in args:
            body += struct.pack("<I", value & 0xFFFFFFFF)
        op, body = self._until_done(OP_CALL, body + self._meta_bytes())
        if op != OP_CALL_DONE:
            raise BridgeError("unexpected answer 0x%02x to a call" % op)
        status, r0 = struct.unpack("<BI", body[:5])
        self._raise(status, body[5:])
        return r0


class BridgeConsole:
    def __init__(self, link):
        self.link = link

    def write(self, data):
        self.link.post(OP_CONSOLE, bytes(data))
