"""Serial devices backed by the host (`--serial NAME=SPEC`, port/rtdl_board/host_serial.py)
with real endpoints: a pty opened by its printed path, a TCP client on 127.0.0.1, host
commands (cmd:) and this process's stdio, each talking to dev_echo.c (rx_indicate releasing a
semaphore, as a UART's interrupt would); RT-Thread/rtthread-apps `ymodem` unchanged receiving
a file from lrzsz's `sb`; time that follows the host's while a line is open, and stays
virtual (exact) when none is."""
import os
import re
import select
import shutil
import socket
import subprocess
import sys
import time

import pytest

from rtdl import Board
from rtdl.build import build_module as build_sources

YMODEM = os.path.join(os.path.dirname(os.path.abspath(__file__)), "rt_samples",
                      "rtthread-apps", "ymodem")


@pytest.fixture
def root(tmp_path, build_module):
    path = tmp_path / "root"
    path.mkdir()
    shutil.copy(build_module("dev_echo.c"), str(path / "dev_echo.mo"))
    return path


def start(root, *args):
    return subprocess.Popen([sys.executable, "-m", "rtdl.cli", "run", "--root", str(root)] +
                            [str(a) for a in args], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def announced(process, pattern):
    """The first stderr line of `process` matching `pattern` (the board names the pty's
    path or the port it listens on there)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        line = process.stderr.readline().decode()
        found = re.search(pattern, line)
        if found:
            return found.group(1)
        if not line and process.poll() is not None:
            break
    process.kill()
    pytest.fail("no line matching %r on stderr" % pattern)


def read_exactly(read, count):
    data = b""
    deadline = time.monotonic() + 30
    while len(data) < count and time.monotonic() < deadline:
        chunk = read()
        if chunk:
            data += chunk
    return data


def pty_exchange(path, data, pause=0):
    """Open the pty at `path` as a terminal program would, send `data` and read as many bytes
    back (after `pause` seconds)."""
    fd = os.open(path, os.O_RDWR | os.O_NOCTTY)
    try:
        os.write(fd, data)
        time.sleep(pause)

        def read():
            if select.select([fd], [], [], 1)[0]:
                return os.read(fd, 64)
            return b""
        return read_exactly(read, len(data))
    finally:
        os.close(fd)


def test_pty_echo_through_the_printed_path(root):
    process = start(root, "--serial", "uart1=pty", root / "dev_echo.mo", "uart1", "11", "20000")
    path = announced(process, r"rtdl: serial uart1: pty (\S+)")
    echoed = pty_exchange(path, b"hello pty\r\n")
    out, err = process.communicate(timeout=60)
    assert echoed == b"hello pty\r\n"
    assert process.returncode == 0, err
    assert out.decode().splitlines() == ["open uart1 ref 1", "echoed 11 bytes, with indications"]


def test_a_slow_terminal_program_still_reads_what_was_sent_before_the_run_ended(root):
    # the module echoes and ends while the reader sleeps: the board waits for it to read the
    # echo before it closes the pty (closing hangs the line up and drops unread bytes)
    process = start(root, "--serial", "uart1=pty", root / "dev_echo.mo", "uart1", "11", "20000")
    path = announced(process, r"rtdl: serial uart1: pty (\S+)")
    echoed = pty_exchange(path, b"hello pty\r\n", pause=0.3)
    out, err = process.communicate(timeout=60)
    assert echoed == b"hello pty\r\n"
    assert process.returncode == 0, err


def test_tcp_echo_on_127_0_0_1(root):
    process = start(root, "--serial", "uart2=tcp:0", root / "dev_echo.mo", "uart2", "8", "20000")
    port = int(announced(process, r"rtdl: serial uart2: tcp 127\.0\.0\.1:(\d+)"))
    with socket.create_connection(("127.0.0.1", port), timeout=30) as client:
        client.sendall(b"over")
        first = read_exactly(lambda: client.recv(64), 4)
        client.sendall(b"tcp!")
        second = read_exactly(lambda: client.recv(64), 4)
    out, err = process.communicate(timeout=60)
    assert (first, second) == (b"over", b"tcp!")
    assert process.returncode == 0, err
    assert "echoed 8 bytes, with indications" in out.decode()


def test_cmd_stdout_is_received_and_what_is_sent_reaches_its_stdin(root, tmp_path):
    sent = tmp_path / "sent.txt"
    process = start(root, "--serial", "uart1=cmd:printf 'line one'; cat > %s" % sent,
                    root / "dev_echo.mo", "uart1", "8", "2000")
    out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    assert out.decode().splitlines() == ["open uart1 ref 1", "echoed 8 bytes, with indications"]
    assert sent.read_bytes() == b"line one"


def test_stdio_line_for_rtdl_run(root):
    process = start(root, "--serial", "console=stdio", root / "dev_echo.mo", "console", "5",
                    "20000")
    out, err = process.communicate(b"abcde", timeout=60)
    assert process.returncode == 0, err
    # the console and the line share stdout: the echo sits between the module's two lines
    assert out == b"open console ref 1\nabcdeechoed 5 bytes, with indications\n"


def test_a_wait_for_serial_input_lasts_in_host_time(firmware, build_module):
    # the bytes come half a host second after the module starts waiting with a 3 s timeout:
    # jumping virtual time to the timeout would miss them
    with Board(firmware, serials={"uart1": "cmd:sleep 0.5; printf late"}) as board:
        result = board.exec(build_module("dev_echo.c"), "uart1", "4", "3000", timeout=30)
        tick = board.kernel.tick
    assert result.exit_code == 0, result
    assert result.output.splitlines() == ["open uart1 ref 1", "echoed 4 bytes, with indications"]
    assert tick >= 450          # the ticks followed the host's half second


def test_the_timeout_of_a_silent_line_ends_at_its_tick(firmware, build_module):
    with Board(firmware, serials={"uart1": "cmd:sleep 30"}) as board:
        result = board.exec(build_module("dev_echo.c"), "uart1", "4", "300", timeout=30)
    assert result.output.splitlines() == ["open uart1 ref 1", "timeout after 300 ticks",
                                          "echoed 0 bytes, without indications"]


def test_a_run_that_only_sleeps_stays_deterministic_beside_a_line(firmware, build_module):
    # a line nobody opens does not tie time to the host: the 1500 ms delay is exact
    with Board(firmware, serials={"uart1": "cmd:sleep 30"}) as board:
        result = board.exec(build_module("host_time.c"))
        assert board.kernel.tick == 1500
    mono = re.search(r"mono (\d+)\.(\d+) -> (\d+)\.(\d+)", result.output).groups()
    start = int(mono[0]) * 10**9 + int(mono[1])
    end = int(mono[2]) * 10**9 + int(mono[3])
    assert end - start == 1500 * 10**6


def test_idle_hooks_run_while_the_board_waits_for_a_host_line(firmware, build_module):
    # nothing is ready and a line is open: the idle thread still calls the hooks while the
    # host time passes (as on a board, where tidle0 runs whenever nothing else does)
    with Board(firmware, serials={"uart1": "cmd:sleep 30"}) as board:
        result = board.exec(build_module("idle_serial.c"), "uart1", timeout=30)
    assert (result.exit_code, result.output) == (0, "idle hook ran\n"), result


def test_ymodem_receives_a_file_from_lrzsz_sb(tmp_path):
    if shutil.which("sb") is None:
        pytest.fail("lrzsz's sb is missing: `make setup` installs it")
    root = tmp_path / "root"
    root.mkdir()
    build_sources([os.path.join(YMODEM, name) for name in ("tofile.c", "ymodem.c")],
                  root / "ymodem.mo")
    outside = tmp_path / "out"
    outside.mkdir()
    payload = bytes((i * 7 + i // 251) & 0xFF for i in range(5000)) + os.urandom(3000)
    (outside / "payload.bin").write_bytes(payload)
    process = start(root, "--serial", "uart1=cmd:sb -q %s" % (outside / "payload.bin"),
                    root / "ymodem.mo", "uart1")
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    assert "leaving RYM mode with code 0" in out.decode()
    assert (root / "payload.bin").read_bytes() == payload


def test_rtdl_shell_lists_its_serial_and_disk_devices(tmp_path):
    image = tmp_path / "disk.img"
    image.write_bytes(bytes(4096))
    done = subprocess.run([sys.executable, "-m", "rtdl.cli", "shell", "--root", str(tmp_path),
                           "--disk", "sd0=%s" % image, "--serial", "uart1=cmd:cat",
                           "-c", "list_device"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[2:] == ["uart1    Character Device     0       ",
                                            "sd0      Block Device         0       "]
    stdio = subprocess.run([sys.executable, "-m", "rtdl.cli", "shell", "--root", str(tmp_path),
                            "--serial", "uart1=stdio", "-c", "list_device"],
                           capture_output=True, text=True, timeout=60)
    assert stdio.returncode == 2 and "stdin and stdout are the shell's console" in stdio.stderr


def test_a_fault_in_rx_indicate_is_the_modules_and_frees_the_line(firmware, build_module):
    with Board(firmware, serials={"uart1": "cmd:printf x; sleep 30"}) as board:
        heap_before = board.heap_info()[1]
        result = board.exec(build_module("dev_rxfault.c"), "uart1", timeout=30)
        device = board.kernel.devices.find_name("uart1")
        assert (device.ref_count, device.rx_indicate, device.openers) == (0, 0, [])
        assert board.heap_info()[1] == heap_before
    assert result.exit_code == 139 and result.output == "waiting\n"
    assert "rx_indicate of device 'uart1'" in str(result.fault)
    assert result.module.name in str(result.fault)


def test_tx_complete_reports_the_written_buffer(firmware, build_module, tmp_path):
    sent = tmp_path / "sent"
    with Board(firmware, serials={"uart1": "cmd:cat > %s" % sent}) as board:
        result = board.exec(build_module("dev_txdone.c"), "uart1", timeout=30)
    assert result.exit_code == 0, result
    assert result.output.splitlines() == ["wrote 4", "take 0 buffer ours", "after close 1"]
    assert sent.read_bytes() == b"sent"
