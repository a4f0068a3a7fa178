"""RT-Thread's device model (svc_device.py, devices.py) and host-backed disks: the struct
rt_device fields a module reads, open counting, a closed device's errors, a bad handle's
fault, what survives a module (nothing), msh's list_device, and RT-Thread/rtthread-apps
`devicetest` unchanged over `--disk sd0=IMAGE` (Board(disks=...) and `rtdl run`)."""
import os
import shutil
import subprocess
import sys

import pytest

from rtdl import Board
from rtdl.build import build_module as build_sources
from rtdl_device import msh
from rtdl_device.rterror import RtdlError

DEVICETEST = os.path.join(os.path.dirname(os.path.abspath(__file__)), "rt_samples",
                          "rtthread-apps", "devicetest")
SECTORS = 2048


@pytest.fixture
def image(tmp_path):
    path = tmp_path / "sd.img"
    data = bytearray(SECTORS * 512)
    data[512:517] = b"HELLO"
    path.write_bytes(bytes(data))
    return path


def test_a_block_device_as_a_module_sees_it(firmware, build_module, image):
    with Board(firmware, disks={"sd0": str(image)}) as board:
        heap_before = board.heap_info()[1]
        result = board.exec(build_module("dev_model.c"), "sd0")
        assert result.exit_code == 0 and result.fault is None, result
        lines = result.output.splitlines()
        assert lines[0] == "missing NULL"
        assert lines[1] == "object_find same 1 class 9 system 1"
        # RDWR | REMOVABLE | STANDALONE, not yet activated; Block is class 1
        assert lines[2] == "name sd0 type 1 flag 0x00f open_flag 0x0 ref 0"
        assert lines[3] == "closed read 0 errno -1 close -1"
        assert lines[4] == "init 0 flag 0x01f"
        assert lines[5] == "open 0 open_flag 0xb ref 1"
        assert lines[6] == "again -7 ref 1"          # standalone: -RT_EBUSY
        assert lines[7] == "rx_indicate set 1"
        assert lines[8] == "geometry 0 sectors %d bytes 512 block 512" % SECTORS
        assert lines[9] == "sector 1 starts HELLO"
        assert lines[10] == "write last 1 past end 0"
        assert lines[11] == "close 0 ref 0 open_flag 0x0 rx_indicate 0"
        # the open it left behind was closed when it ended; the heap is as before
        device = board.kernel.devices.find_name("sd0")
        assert device.ref_count == 0 and device.openers == []
        assert board.heap_info()[1] == heap_before
        again = board.exec(build_module("dev_model.c"), "sd0")
        assert again.output.splitlines()[5] == "open 0 open_flag 0xb ref 1"
    data = image.read_bytes()
    assert data[(SECTORS - 1) * 512:] == b"w" * 512


def test_a_handle_that_is_no_device_is_the_modules_fault(firmware, build_module, image):
    with Board(firmware, disks={"sd0": str(image)}) as board:
        result = board.exec(build_module("dev_badhandle.c"))
    assert result.fault is not None and result.exit_code == 139
    assert "rt_device_read" in str(result.fault)
    assert "is not a device" in str(result.fault) and "semaphore 'notdev'" in str(result.fault)
    assert "not reached" not in result.output


def test_list_device_prints_as_rt_thread_does(firmware, build_module, image, tmp_path):
    with Board(firmware, disks={"sd0": str(image), "sd1": str(image)},
               serials={"uart1": "cmd:cat"}) as board:
        out = []
        shell = msh.Msh(board.kernel, out.append)
        assert shell.execute("list_device") == 0
    assert "".join(out).splitlines() == [
        "device           type         ref count",
        "-------- -------------------- ----------",
        "uart1    Character Device     0       ",
        "sd1      Block Device         0       ",
        "sd0      Block Device         0       "]


def test_devicetest_passes_unchanged_over_a_disk_image(firmware, tmp_path, image):
    sources = [os.path.join(DEVICETEST, name) for name in ("main.c", "device_test.c")]
    module = build_sources(sources, tmp_path / "devicetest.mo")
    with Board(firmware, disks={"sd0": str(image)}) as board:
        result = board.exec(module)
    assert result.exit_code == 0 and result.fault is None, result
    assert "block device!" in result.output
    assert "device R/W test pass!" in result.output
    assert "verify" not in result.output and "failed" not in result.output
    # its last multiple-sector test wrote 128 sectors of the value 128 at sector 50
    data = image.read_bytes()
    assert data[50 * 512:178 * 512] == bytes([128]) * (128 * 512)


def test_rtdl_run_takes_disk_and_reports_bad_device_options(firmware, tmp_path, image):
    sources = [os.path.join(DEVICETEST, name) for name in ("main.c", "device_test.c")]
    build_sources(sources, tmp_path / "devicetest.mo")

    def rtdl(*args):
        return subprocess.run([sys.executable, "-m", "rtdl.cli", "run", "--root",
                               str(tmp_path)] + list(args), capture_output=True, text=True,
                              timeout=120)
    done = rtdl("--disk", "sd0=%s" % image, str(tmp_path / "devicetest.mo"))
    assert done.returncode == 0, done.stderr
    assert "device R/W test pass!" in done.stdout
    missing = rtdl("--disk", "sd0=%s" % (tmp_path / "none.img"), str(tmp_path / "devicetest.mo"))
    assert missing.returncode == 1
    assert missing.stderr.strip().splitlines() == [
        "rtdl run: error: --disk sd0=%s: %s: No such file or directory (expected a disk "
        "image file to read and write)" % (tmp_path / "none.img", tmp_path / "none.img")]
    bad = rtdl("--serial", "uart1", str(tmp_path / "devicetest.mo"))
    assert bad.returncode == 2 and "--serial uart1: expected NAME=SPEC" in bad.stderr
    spec = rtdl("--serial", "uart1=telnet", str(tmp_path / "devicetest.mo"))
    assert spec.returncode == 1
    assert "--serial uart1=telnet: 'telnet' (expected stdio, pty, tcp:PORT or cmd:COMMAND)" \
        in spec.stderr
    without = rtdl(str(tmp_path / "devicetest.mo"))
    assert "device sd0: not found!" in without.stdout


def test_a_bad_device_name_is_refused_and_nothing_stays_open(firmware, image):
    with pytest.raises(RtdlError, match=r"--disk toolongname=\.\.\.: expected a name of 1\.\.8"):
        Board(firmware, disks={"toolongname": str(image)})
    with pytest.raises(RtdlError, match="already registered"):
        Board(firmware, disks={"sd0": str(image)}, serials={"sd0": "cmd:cat"})
