"""BridgeServer: the host end of rtdl_device.bridge - the unicorn board, served to a device side
that runs in another process.

The board is booted without its kernel (Board(boot=False)); this server stands in the place of
the kernel for the board: the board's SVC hook calls `service`, which sends the SVC frame to
the device side and serves its memory and register requests (still inside the hook, the
emulator waiting) until SVC_DONE comes back. So runs, slices, stops and fault reports are the
board's own code, unchanged. May import: rtdl_board, rtdl_device (bridge constants, errors),
unicorn, the standard library.
"""
import json
import struct

from unicorn import UcError

from rtdl_board.cpu import REGS
from rtdl_device import bridge as B
from rtdl_device.rterror import ModuleFault, RtdlError


class _ServiceRaised(Exception):
    """The device side's service raised; it keeps the exception and re-raises it there."""


class _Named:
    def __init__(self, name, module=None):
        self.name = name
        self.module = _Named(module) if module is not None else None


class _FunctionTable:
    """A device-side module image as the board's fault reports see it: its function table
    (rtdl_device.symbolize reads `function_table`) and its extent."""

    def __init__(self, start, size, functions):
        self.start = start
        self.size = size
        self.function_table = [tuple(f) for f in functions]

    def in_code(self, addr):
        return self.start <= addr < self.start + self.size


class _ModuleView:
    """What Board.describe_address and Board.fault need of a device-side module."""

    def __init__(self, name, start, size, functions=()):
        self.name = name
        self.mem_space = start
        self.size = size
        self.image = _FunctionTable(start, size, functions)

    def contains(self, addr):
        return self.mem_space <= addr < self.mem_space + self.size


# raised on the device side as the same builtin (rtdl_device.bridge.error_from)
_BUILTIN_ERRORS = (KeyboardInterrupt, AttributeError, TypeError, ValueError, KeyError,
                   IndexError)


def _error_json(error):
    info = {"type": "RtdlError", "message": str(error)}
    if type(error) in _BUILTIN_ERRORS:
        info["type"] = type(error).__name__
        info["message"] = str(error.args[0]) if error.args else ""
    elif isinstance(error, ModuleFault):
        info["type"] = "ModuleFault"
        info["address"] = error.address
        info["kind"] = error.kind
        # its parts: the device side names the region (imageprot.explain) and composes it
        info["parts"] = [error.who, error.what, error.region, error.rest]
    elif isinstance(error, OSError):
        info["type"] = "OSError"
        info["errno"] = error.errno
    else:
        info["errno"] = getattr(error, "errno", None)
    return json.dumps(info).encode()


class BridgeServer:
    """Serves `board` over (rfile, wfile); `handlers` maps JSON request names ("info",
    "files", "readline", ...) to functions of the request's arguments; `device_write`
    takes the host-backed devices' queued writes. Without a board
    (board=None) only JSON requests and console output (to `console`) are served: the
    REPL of the CPython runtime, whose board and kernel stay in this process."""

    def __init__(self, board, rfile, wfile, handlers, console=None, device_write=None):
        self.board = board
        self.console = board.console if board is not None else console
        self.uc = board.uc if board is not None else None
        self.rfile = rfile
        self.wfile = wfile
        self.handlers = handlers
        self.device_write = device_write   # (index, offset, data): host_devices.HostDevices
        self.current = None          # the kernel's running thread, as Board reports faults
        self.initializing = None     # the module whose constructors run (no thread)
        self.modules = []
        self.contexts = {}           # slot number -> unicorn saved context of a thread
        self.exit_value = None
        if board is not None:
            board.kernel = self

    # ------------------------------------------------------------------- framing -----
    def _send(self, op, body=b""):
        self.wfile.write(struct.pack("<IB", len(body) + 1, op) + body)
        self.wfile.flush()

    def _recv(self):
        head = self.rfile.read(5)
        if len(head) < 5:
            raise RtdlError("the MicroPython runtime ended unexpectedly")
        size, op = struct.unpack("<IB", head)
        body = self.rfile.read(size - 1) if size > 1 else b""
        if len(body) < size - 1:
            raise RtdlError("the MicroPython runtime ended unexpectedly")
        return op, body

    # ------------------------------------------------------------------ serving ------
    def serve(self):
        """Answer requests until the device side sends ["exit", value]; returns value."""
        while self.exit_value is None:
            op, body = self._recv()
            if op == B.OP_SVC_DONE:
                raise RtdlError("bridge: SVC_DONE outside a service")
            self._handle(op, body)
        return self.exit_value

    def service(self, number, args):
        """The board's SVC hook: the device side's kernel handles the service."""
        regs = [self.uc.reg_read(r) for r in REGS]
        self._send(B.OP_SVC, struct.pack("<B16I", number, *regs))
        while True:
            op, body = self._recv()
            if op == B.OP_SVC_DONE:
                break
            self._handle(op, body)
        flags, r0, count = struct.unpack("<BIB", body[:6])
        for i in range(count):
            index, value = struct.unpack("<BI", body[6 + 5 * i:11 + 5 * i])
            self.uc.reg_write(REGS[index], value)
        if flags & B.FAILED:
            raise _ServiceRaised()
        if flags & B.STOP:
            self.board.cpu.stop()
        return r0 if flags & B.HAS_R0 else None

    def _handle(self, op, body):
        if op == B.OP_CONSOLE:
            self.console.write(body)
            return
        if op == B.OP_JSON:
            self._json(json.loads(body))
            return
        if op == B.OP_DEVICE_WRITE and self.device_write is not None:
            index, offset = struct.unpack("<BQ", body[:9])
            self.device_write(index, offset, body[9:])
            return
        if self.board is None:
            raise RtdlError("bridge: request 0x%02x needs a board" % op)
        memory = self.board.memory
        if op == B.OP_WRITE:
            addr = struct.unpack("<I", body[:4])[0]
            try:
                memory.write(addr, body[4:])
            except UcError as error:
                # a queued write has no answer: the run or request it ran under fails
                raise RtdlError("memory write of %d bytes at 0x%08x failed (%s)"
                                % (len(body) - 4, addr, error))
        elif op == B.OP_READ:
            addr, size = struct.unpack("<II", body)
            try:
                self._send(B.OP_DATA, memory.read(addr, size))
            except UcError as error:
                self._send(B.OP_ERROR, _error_json(RtdlError(
                    "memory read of %d bytes at 0x%08x failed (%s)" % (size, addr, error))))
        elif op == B.OP_INVALIDATE:
            memory.invalidate(*struct.unpack("<II", body))
        elif op == B.OP_PROTECT:
            addr, size, writable = struct.unpack("<IIB", body)
            if writable == B.PROTECT_RETIRE:
                memory.retire(addr, size)
            else:
                memory.protect(addr, size, bool(writable))
        elif op == B.OP_HELD_MODES:
            held = memory.held
            memory.held_modes(json.loads(body) if body else held.plan)
        elif op == B.OP_STACK_ALLOC:
            # thread stacks in the board's stack region (rtdl_device.bridge_stacks)
            self._send(B.OP_DATA, struct.pack("<I", memory.stack_alloc(
                struct.unpack("<I", body)[0])))
        elif op == B.OP_STACK_FREE:
            memory.stack_free(struct.unpack("<I", body)[0])
        elif op == B.OP_REGS:
            self._send(B.OP_DATA, struct.pack("<16I", *[self.uc.reg_read(r) for r in REGS]))
        elif op == B.OP_RUN:
            self._run(body)
        elif op == B.OP_CALL:
            self._call(body)
        else:
            raise RtdlError("bridge: unknown request 0x%02x" % op)

    def _meta(self, raw):
        if raw:
            (name, module, initializing), modules = json.loads(raw)
            self.current = _Named(name, module) if name is not None else None
            self.initializing = _Named(initializing) if initializing is not None else None
            self.modules = [_ModuleView(*m) for m in modules]

    def _outcome(self, fn):
        """(status, error json) of running fn() on the board's cpu."""
        try:
            return fn(), b""
        except _ServiceRaised:
            return B.SERVICE_RAISED, b""
        except RtdlError as error:
            return B.RAISED, _error_json(error)
        except UcError as error:
            return B.RAISED, _error_json(RtdlError("emulator error: %s" % error))

    def _run(self, body):
        values = struct.unpack("<17IiI", body[:76])
        self._meta(body[76:])
        context = list(values[:17])
        slot = values[17]
        if slot != B.NO_SLOT:
            context.append(self.contexts.get(slot))
        cpu = self.board.cpu

        def run():
            return B.STOPPED if cpu.run(context, values[18]) else B.SLICE_END
        status, error = self._outcome(run)
        if slot != B.NO_SLOT and context[17] is not None:
            if slot == B.NEW_SLOT:
                slot = len(self.contexts)
            self.contexts[slot] = context[17]
        self._send(B.OP_RUN_DONE, struct.pack("<Bi17I", status, slot, *context[:17]) + error)

    def _call(self, body):
        fn, timeout_us, count = struct.unpack("<IIB", body[:9])
        args = struct.unpack("<%dI" % count, body[9:9 + 4 * count])
        self._meta(body[9 + 4 * count:])
        result = [0]

        def call():
            result[0] = self.board.cpu.call(fn, args, timeout_us)
            return 0
        status, error = self._outcome(call)
        self._send(B.OP_CALL_DONE, struct.pack("<BI", status, result[0]) + error)

    def _json(self, request):
        name, args = request[0], request[1:]
        if name == "exit":
            self.exit_value = args[0]
            self._send(B.OP_JSON, b"null")
            return
        handler = self.handlers.get(name)
        if handler is None:
            self._send(B.OP_ERROR, _error_json(RtdlError("bridge: no host request '%s'" % name)))
            return
        try:
            value = handler(*args)
        except (RtdlError, OSError) + _BUILTIN_ERRORS as error:
            self._send(B.OP_ERROR, _error_json(error))
            return
        if isinstance(value, (bytes, bytearray)):
            self._send(B.OP_DATA, bytes(value))
        else:
            self._send(B.OP_JSON, json.dumps(value).encode())


def board_info(board):
    """What rtdl_device.bridge_main.boot needs to boot a kernel on `board`."""
    names = ("__heap_start", "__heap_end", "__rtmsymtab_start", "__rtmsymtab_end",
             "rt_module_main_return", "rt_thread_exit", "__rtdl_resume", "rtdl_firmware_init",
             "__rtdl_timer_thread", "__rtdl_idle_thread", "__rtdl_signal_return",
             "rtdl_system_threads", "_impure_ptr")
    symbols = dict((n, board._sym(n)) for n in names)
    symbols["rtdl_reent_layout"] = board.firmware_symbols.get("rtdl_reent_layout", 0)
    for name in ("__rtdl_caller_heap_start", "__rtdl_caller_heap_end"):
        symbols[name] = board.firmware_symbols.get(name, 0)
    return {"symbols": symbols, "cpu": board.cpu_name,
            "firmware_variables": list(board.firmware_variables),
            "libc_state": list(board.libc_guard.region),
            "firmware_objects": [list(obj) for obj in board.firmware_protected],
            "firmware_flags": board.firmware_flags,
            "ram": [board.memory.ram_start, board.memory.ram_end],
            "rom": [board.memory.rom_start, board.memory.rom_end],
            "kernel_stack_guard": list(board.kernel_stack_guard),
            "kernel_stack": list(board.kernel_stack),
            "stack_gap": board.memory.stack_gap,
            "page_size": board.memory.page_size}

