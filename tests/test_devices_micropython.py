"""`--disk` and `--serial` under `--runtime micropython`: the device model (devices.py,
svc_device.py) runs on real MicroPython while the host ends stay in the board's process
(rtdl.mpy_runtime.host_devices, rtdl_device.bridge_devices). Each session runs under both
runtimes and must print the same: RT-Thread/rtthread-apps `devicetest` unchanged over a
disk image (and leave the same image), dev_echo.c over `cmd:`, `pty` and `stdio` lines,
host-time waits, the shell's list_device, and a bad option's error."""
import os
import re
import shutil
import subprocess
import sys

import pytest

import mpy_node
from rtdl.build import build_module as build_sources
from test_serial import announced, pty_exchange

DEVICETEST = os.path.join(os.path.dirname(os.path.abspath(__file__)), "rt_samples",
                          "rtthread-apps", "devicetest")
RUNTIMES = ("cpython", "micropython")


@pytest.fixture(scope="module")
def root(tmp_path_factory, build_module):
    mpy_node.node()
    path = tmp_path_factory.mktemp("devroot")
    shutil.copy(build_module("dev_echo.c"), str(path / "dev_echo.mo"))
    build_sources([os.path.join(DEVICETEST, n) for n in ("main.c", "device_test.c")],
                  path / "devicetest.mo")
    return path


def rtdl(firmware, command, root, runtime, *args, **kw):
    env = dict(os.environ, RTDL_FIRMWARE=firmware)
    return subprocess.run([sys.executable, "-m", "rtdl.cli", command, "--root", str(root),
                           "--runtime", runtime] + [str(a) for a in args], env=env,
                          capture_output=True, timeout=180, **kw)


def start(firmware, root, runtime, *args):
    env = dict(os.environ, RTDL_FIRMWARE=firmware)
    return subprocess.Popen([sys.executable, "-m", "rtdl.cli", "run", "--root", str(root),
                             "--runtime", runtime] + [str(a) for a in args], env=env,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)


def without_speeds(text):
    """devicetest's speed lines measure ticks, and a slice is a host-time limit: the
    numbers depend on the machine's speed, under either runtime."""
    text = re.sub(r"from \d+ to \d+, [^\r\n]*", "from T to T, SPEED", text)
    return re.sub(r"speed : [^\r\n]*", "speed : SPEED", text)


def test_devicetest_over_a_disk_image_is_the_same_under_both_runtimes(firmware, root,
                                                                     tmp_path):
    outputs, images = {}, {}
    for runtime in RUNTIMES:
        image = tmp_path / ("sd-%s.img" % runtime)
        data = bytearray(2048 * 512)
        data[512:517] = b"HELLO"
        image.write_bytes(bytes(data))
        done = rtdl(firmware, "run", root, runtime, "--disk", "sd0=%s" % image,
                    root / "devicetest.mo")
        assert done.returncode == 0, done.stderr.decode()
        assert done.stderr == b"", done.stderr.decode()
        outputs[runtime] = without_speeds(done.stdout.decode())
        images[runtime] = image.read_bytes()
    assert "block device!" in outputs["micropython"]
    assert "device R/W test pass!" in outputs["micropython"]
    assert "sector  size : 512 byte" in outputs["micropython"]
    assert outputs["micropython"] == outputs["cpython"]
    # its last multiple-sector test wrote 128 sectors of the value 128 at sector 50
    assert images["micropython"][50 * 512:178 * 512] == bytes([128]) * (128 * 512)
    assert images["micropython"] == images["cpython"]


def test_a_cmd_line_echoes_the_same_under_both_runtimes(firmware, root, tmp_path):
    outputs = {}
    for runtime in RUNTIMES:
        sent = tmp_path / ("sent-%s.txt" % runtime)
        done = rtdl(firmware, "run", root, runtime,
                    "--serial", "uart1=cmd:printf 'line one'; cat > %s" % sent,
                    root / "dev_echo.mo", "uart1", "8", "2000")
        assert done.returncode == 0, done.stderr.decode()
        outputs[runtime] = done.stdout.decode()
        assert sent.read_bytes() == b"line one"
    assert outputs["micropython"].splitlines() == ["open uart1 ref 1",
                                                   "echoed 8 bytes, with indications"]
    assert outputs["micropython"] == outputs["cpython"]


def test_a_pty_echoes_the_same_under_both_runtimes(firmware, root):
    outputs, echoes = {}, {}
    for runtime in RUNTIMES:
        process = start(firmware, root, runtime, "--serial", "uart1=pty",
                        root / "dev_echo.mo", "uart1", "11", "20000")
        try:
            path = announced(process, r"rtdl: serial uart1: pty (\S+)")
            echoes[runtime] = pty_exchange(path, b"hello pty\r\n")
            out, err = process.communicate(timeout=60)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
        assert process.returncode == 0, err.decode()
        outputs[runtime] = out.decode()
    assert echoes["micropython"] == b"hello pty\r\n" == echoes["cpython"]
    assert outputs["micropython"].splitlines() == ["open uart1 ref 1",
                                                   "echoed 11 bytes, with indications"]
    assert outputs["micropython"] == outputs["cpython"]


def test_a_stdio_line_shares_stdout_with_the_console_in_order(firmware, root):
    outputs = {}
    for runtime in RUNTIMES:
        done = rtdl(firmware, "run", root, runtime, "--serial", "console=stdio",
                    root / "dev_echo.mo", "console", "5", "20000", input=b"abcde")
        assert done.returncode == 0, done.stderr.decode()
        outputs[runtime] = done.stdout
    assert outputs["micropython"] == b"open console ref 1\nabcdeechoed 5 bytes, with indications\n"
    assert outputs["micropython"] == outputs["cpython"]


def test_waits_for_a_line_follow_host_time_under_micropython(firmware, root):
    # bytes half a host second late within a 3 s timeout arrive; a silent line times out at
    # its tick: both need the host's wait across the bridge, not a jump of virtual time
    late = rtdl(firmware, "run", root, "micropython", "--serial",
                "uart1=cmd:sleep 0.5; printf late", root / "dev_echo.mo", "uart1", "4", "3000")
    assert late.returncode == 0, late.stderr.decode()
    assert late.stdout.decode().splitlines() == ["open uart1 ref 1",
                                                 "echoed 4 bytes, with indications"]
    silent = rtdl(firmware, "run", root, "micropython", "--serial", "uart1=cmd:sleep 30",
                  root / "dev_echo.mo", "uart1", "4", "300")
    assert silent.stdout.decode().splitlines() == ["open uart1 ref 1",
                                                   "timeout after 300 ticks",
                                                   "echoed 0 bytes, without indications"]


def test_the_shell_lists_the_same_devices_under_both_runtimes(firmware, root, tmp_path):
    image = tmp_path / "disk.img"
    image.write_bytes(bytes(4096))
    outputs = {}
    for runtime in RUNTIMES:
        done = rtdl(firmware, "shell", root, runtime, "--disk", "sd0=%s" % image,
                    "--serial", "uart1=cmd:cat", input=b"list_device\nexit\n")
        assert done.returncode == 0, done.stderr.decode()
        outputs[runtime] = done.stdout.decode()
    assert "uart1    Character Device     0       \n" \
           "sd0      Block Device         0       \n" in outputs["micropython"]
    assert outputs["micropython"] == outputs["cpython"]


def test_a_bad_disk_is_the_same_error_under_both_runtimes(firmware, root, tmp_path):
    errors = {}
    for runtime in RUNTIMES:
        done = rtdl(firmware, "run", root, runtime, "--disk",
                    "sd0=%s" % (tmp_path / "none.img"), root / "devicetest.mo")
        assert done.returncode == 1 and done.stdout == b""
        errors[runtime] = done.stderr.decode()
    assert errors["micropython"].splitlines() == [
        "rtdl run: error: --disk sd0=%s: %s: No such file or directory (expected a disk "
        "image file to read and write)" % (tmp_path / "none.img", tmp_path / "none.img")]
    assert errors["micropython"] == errors["cpython"]
