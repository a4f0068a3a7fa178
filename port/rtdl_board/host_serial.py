"""The host's ends of the board's serial lines (`--serial NAME=SPEC`): one transport per SPEC,
all with the serial endpoint interface of rtdl_device/devices.py (read(n) without blocking,
write(data), alive, fileno() for `wait`, close()).

    stdio        this process's stdin is the line's receive side, stdout its transmit side
    pty          a new pseudo-terminal; its path is printed on stderr for a terminal program
    tcp:PORT     listens on 127.0.0.1:PORT (0: any free port, printed on stderr); one client
                 at a time is the other end, the next one may connect when it leaves
    cmd:COMMAND  a host command (run by /bin/sh): its stdout is what the device receives,
                 its stdin what the device sends

CPython only (os, select, socket, subprocess). Nothing here knows of devices: the device
model (open counts, rx_indicate ...) is the kernel's.
"""
import os
import select
import signal
import socket
import subprocess
import sys
import time


class SerialSpecError(ValueError):
    """A SPEC that names no transport."""


class Transport:
    """A line to the host: subclasses give fileno/read/write; `alive` turns False when the
    other side has gone for good (a command that exited, stdin at its end)."""
    alive = True

    def fileno(self):
        return None

    def read(self, n):
        return b""

    def write(self, data):
        pass

    def close(self):
        self.alive = False

    def _ready(self, fd):
        return bool(select.select([fd], [], [], 0)[0])


class FdTransport(Transport):
    """Reads from one descriptor and writes to another; end of input ends the line."""

    def __init__(self, read_fd, write_fd):
        self.read_fd = read_fd
        self.write_fd = write_fd

    def fileno(self):
        return self.read_fd if self.alive else None

    def read(self, n):
        if not self.alive or not self._ready(self.read_fd):
            return b""
        try:
            data = os.read(self.read_fd, n)
        except BlockingIOError:
            return b""
        except OSError:
            data = b""
        if not data:
            self.alive = False
        return data

    def write(self, data):
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(self.write_fd, view):]
        except (BrokenPipeError, OSError):
            self.alive = False


class StdioTransport(FdTransport):
    def __init__(self):
        sys.stdout.flush()
        FdTransport.__init__(self, sys.stdin.fileno(), sys.stdout.fileno())


class PtyTransport(Transport):
    """A pseudo-terminal in raw mode. The board keeps the follower side open itself, so a
    terminal program may come and go; what the device sends while nobody listens is lost,
    as on a UART with no cable."""

    def __init__(self, announce):
        import tty
        self.master, self.follower = os.openpty()
        tty.setraw(self.follower)
        os.set_blocking(self.master, False)
        self.last_write = 0.0
        self.path = os.ttyname(self.follower)
        announce("pty %s" % self.path)

    def fileno(self):
        return self.master

    def read(self, n):
        try:
            return os.read(self.master, n)
        except (BlockingIOError, OSError):
            return b""

    def write(self, data):
        self.last_write = time.monotonic()
        try:
            os.write(self.master, data)
        except (BlockingIOError, OSError):
            pass

    def close(self):
        if self.alive:
            self.alive = False
            self._drain()
            os.close(self.master)
            os.close(self.follower)

    def _drain(self, stall=0.5, limit=3.0):
        """Wait while a terminal program is still reading what the device sent last: closing
        the master hangs the line up and drops the unread bytes. Gives up when the unread
        count stops going down for `stall` seconds (nobody listens: lost, as on a UART with
        no cable) or after `limit`. Bytes just written reach the follower's count a moment
        later (the kernel moves them there asynchronously), so a count of 0 is believed only
        `settle` seconds after the last write."""
        import fcntl
        import termios
        settle = 0.05
        buf = bytearray(4)
        start = last_change = time.monotonic()
        previous = None
        while True:
            try:
                fcntl.ioctl(self.follower, termios.FIONREAD, buf)
            except OSError:
                return
            unread = int.from_bytes(buf, sys.byteorder)
            now = time.monotonic()
            if now - start > limit:
                return
            if unread == 0:
                if now - self.last_write > settle:
                    return
            elif unread != previous:
                previous, last_change = unread, now
            elif now - last_change > stall:
                return
            time.sleep(0.01)


class TcpTransport(Transport):
    """A listening socket on 127.0.0.1; the connected client is the other end."""

    def __init__(self, port, announce):
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            self.listener.bind(("127.0.0.1", port))
        except OSError as error:
            self.listener.close()
            raise SerialSpecError("tcp:%d: cannot listen on 127.0.0.1:%d (%s)"
                                  % (port, port, error.strerror or error))
        self.listener.listen(1)
        self.listener.setblocking(False)
        self.port = self.listener.getsockname()[1]
        self.client = None
        announce("tcp 127.0.0.1:%d" % self.port)

    def fileno(self):
        return (self.client or self.listener).fileno()

    def read(self, n):
        if self.client is None:
            try:
                self.client, _ = self.listener.accept()
            except (BlockingIOError, OSError):
                return b""
            self.client.setblocking(False)
        try:
            data = self.client.recv(n)
        except (BlockingIOError, InterruptedError):
            return b""
        except OSError:
            data = b""
        if not data:
            self.client.close()
            self.client = None
        return data

    def write(self, data):
        if self.client is None:
            return                       # nobody connected: the bytes are lost
        try:
            self.client.setblocking(True)
            self.client.sendall(data)
            self.client.setblocking(False)
        except OSError:
            self.client.close()
            self.client = None

    def close(self):
        if self.alive:
            self.alive = False
            if self.client is not None:
                self.client.close()
            self.listener.close()


class CmdTransport(FdTransport):
    """A host command at the other end: the line ends when its output ends."""

    def __init__(self, command):
        if not command:
            raise SerialSpecError("cmd: needs a command (cmd:COMMAND)")
        # a session of its own: the command and whatever it starts end together (close)
        self.process = subprocess.Popen(command, shell=True, stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, bufsize=0,
                                        start_new_session=True)
        FdTransport.__init__(self, self.process.stdout.fileno(), self.process.stdin.fileno())

    def close(self):
        process = self.process
        self.alive = False
        for stream in (process.stdin, process.stdout):
            try:
                stream.close()
            except OSError:
                pass
        try:
            process.wait(0.2)        # the end of its input lets a well-behaved command go
        except subprocess.TimeoutExpired:
            pass
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except OSError:
            pass                     # the whole group has gone already
        process.wait()


def open_transport(name, spec, announce=None):
    """The transport of `--serial NAME=SPEC`; SerialSpecError names what was expected."""
    if announce is None:
        def announce(text):
            sys.stderr.write("rtdl: serial %s: %s\n" % (name, text))
            sys.stderr.flush()
    if spec == "stdio":
        return StdioTransport()
    if spec == "pty":
        return PtyTransport(announce)
    if spec.startswith("tcp:"):
        port = spec[4:]
        if not port.isdigit() or int(port) > 65535:
            raise SerialSpecError("tcp:%s: expected a port number 0..65535" % port)
        return TcpTransport(int(port), announce)
    if spec.startswith("cmd:"):
        return CmdTransport(spec[4:])
    raise SerialSpecError("'%s' (expected stdio, pty, tcp:PORT or cmd:COMMAND)" % spec)


def wait_readable(endpoints, timeout_us):
    """Until one of the lines has something to read, or `timeout_us` has passed."""
    fds = [fd for fd in (e.fileno() for e in endpoints) if fd is not None]
    timeout = timeout_us / 1000000.0
    if not fds:
        time.sleep(timeout)
        return
    try:
        select.select(fds, [], [], timeout)
    except (OSError, ValueError):
        time.sleep(timeout)
