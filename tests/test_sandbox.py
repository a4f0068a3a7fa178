"""The sandbox that `rtdl run --root`, `rtdl shell` and Board(files=SandboxFiles(root)) share:
real symlinks (flipped by a thread while the sandbox opens them), FIFOs, device nodes, '..',
NUL and non-UTF-8 names, through the API, `rtdl run`, the shell and a module's own dlopen."""
import os
import shutil
import subprocess
import sys
import threading
import time

import pytest

from rtdl import Board
from rtdl.sandbox import FileError, SandboxEscape, SandboxFiles

OUTSIDE = b"secret: not for the device\n"


def rtdl(*args, cwd, stdin=None):
    return subprocess.run([sys.executable, "-m", "rtdl.cli"] + [os.fsencode(a) for a in args],
                          cwd=str(cwd), input=stdin, capture_output=True, timeout=60)


@pytest.fixture
def tree(tmp_path, build_module):
    """root/ with lib.so, dl_path.mo, bin/hello.mo, a FIFO, links in and out; outside/ beside
    it holds a secret and a library of its own."""
    root, outside = tmp_path / "root", tmp_path / "outside"
    (root / "bin").mkdir(parents=True)
    outside.mkdir()
    shutil.copy(build_module("lib.c", lib=True), str(root / "lib.so"))
    shutil.copy(build_module("dl_path.c"), str(root / "dl_path.mo"))
    shutil.copy(build_module("hello.c"), str(root / "bin" / "hello.mo"))
    shutil.copy(build_module("lib_nested.c", lib=True), str(outside / "other.so"))
    (outside / "secret.txt").write_bytes(OUTSIDE)
    os.mkfifo(str(root / "fifo.so"))
    os.symlink(str(outside / "secret.txt"), str(root / "abs_out.so"))
    os.symlink("../outside/other.so", str(root / "rel_out.so"))
    os.symlink("/dev/zero", str(root / "zero.so"))
    os.symlink("bin/../lib.so", str(root / "rel_in.so"))
    os.symlink(str(root / "lib.so"), str(root / "abs_in.so"))
    os.symlink("../../outside", str(root / "bin" / "up"))
    return root


def test_links_inside_are_followed_and_links_out_refused(tree):
    files = SandboxFiles(str(tree))
    lib = (tree / "lib.so").read_bytes()
    assert files.read("/rel_in.so") == files.read("abs_in.so") == lib
    for path in ("/abs_out.so", "rel_out.so", "/zero.so", "/bin/up/secret.txt"):
        with pytest.raises(SandboxEscape) as error:
            files.read(path)
        assert str(error.value).endswith("a symbolic link that leads outside the device's "
                                         "file system")
        assert str(tree.parent) not in str(error.value)
    # '..' at '/' stays at '/', and host paths are device paths
    assert files.read("/../../lib.so") == files.read("bin/../../lib.so") == lib
    with pytest.raises(FileError) as error:
        files.read(str(tree.parent / "outside" / "secret.txt"))
    assert "no such file" in str(error.value) and str(tree) not in str(error.value)
    files.chdir("/../bin/..")
    assert files.getcwd() == "/"


def test_fifos_and_devices_never_block_and_are_not_modules(tree):
    files = SandboxFiles(str(tree))
    start = time.monotonic()
    with pytest.raises(FileError) as error:
        files.read("/fifo.so")
    assert str(error.value) == "/fifo.so: not a regular file (a FIFO)"
    assert time.monotonic() - start < 2
    assert files.isfile("/fifo.so") and files.size("/fifo.so") == 0


def test_a_file_larger_than_the_heap_is_refused_unread(tree, firmware):
    files = SandboxFiles(str(tree))
    board = Board(firmware, files=files)
    total = board.heap_info()[0]
    assert files.read_limit == total
    with open(str(tree / "huge.so"), "wb") as f:
        f.truncate(1 << 40)        # sparse: reading it whole would exhaust the host
    with pytest.raises(Exception) as error:
        board.dlopen("/huge.so")
    assert "%d bytes, larger than the %d-byte heap" % (1 << 40, total) in str(error.value)


def test_nul_and_non_utf8_names(tree):
    files = SandboxFiles(str(tree))
    shutil.copy(str(tree / "lib.so"), os.fsdecode(bytes(tree) + b"/caf\xe9.so"))
    assert "caf\udce9.so" in files.listdir("/")
    assert files.read(b"/caf\xe9.so") == files.read("/caf\udce9.so") == \
        (tree / "lib.so").read_bytes()
    with pytest.raises(FileError) as error:
        files.read("/lib\0.so")
    assert str(error.value) == "/lib\\0.so: a NUL byte in the path (expected a path without NUL)"


def _flipper(link, inside, outside, stop):
    """Swap `link` between two targets until `stop` is set (rename: the link always exists)."""
    spare = link + ".new"
    flips = 0
    while not stop.is_set():
        target = outside if flips % 2 else inside
        os.symlink(target, spare)
        os.replace(spare, link)
        flips += 1
    return flips


@pytest.mark.parametrize("outside", ["abs", "rel"])
def test_a_link_flipped_during_the_walk_never_opens_outside(tree, outside):
    files = SandboxFiles(str(tree))
    link = str(tree / "race.so")
    target = str(tree.parent / "outside" / "secret.txt") if outside == "abs" \
        else "../outside/secret.txt"
    os.symlink("lib.so", link)
    stop = threading.Event()
    thread = threading.Thread(target=_flipper, args=(link, "lib.so", target, stop))
    thread.start()
    read, refused, escaped = 0, 0, 0
    deadline = time.monotonic() + 8
    tries = 0
    try:
        # both outcomes must be seen, and when the flipper runs is up to the host's scheduler:
        # go on past 5000 tries (until the deadline) while one of them is still missing
        while tries < 5000 or not (read and refused):
            tries += 1
            if time.monotonic() > deadline:
                break
            try:
                data = files.read("/race.so")
            except SandboxEscape:
                refused += 1
                continue
            if data == OUTSIDE:
                escaped += 1
            read += 1
    finally:
        stop.set()
        thread.join()
    assert escaped == 0
    assert read > 0 and refused > 0, (read, refused)


def test_a_modules_dlopen_goes_through_the_sandbox(tree, firmware):
    files = SandboxFiles(str(tree))
    board = Board(firmware, files=files)
    shutil.copy(str(tree / "lib.so"), os.fsdecode(bytes(tree) + b"/caf\xe9.so"))
    cases = {
        "/lib.so": "opened: add_func(2, 3) = 5",
        "/rel_in.so": "opened: add_func(2, 3) = 5",
        "/etc/passwd": "failed: /etc/passwd: cannot read file (/etc/passwd: no such file "
                       "or directory)",
        "/abs_out.so": "failed: /abs_out.so: cannot read file (/abs_out.so: a symbolic link "
                       "that leads outside the device's file system)",
        "/../rel_out.so": "failed: /../rel_out.so: cannot read file (/rel_out.so: a symbolic "
                          "link that leads outside the device's file system)",
        "/fifo.so": "failed: /fifo.so: cannot read file (/fifo.so: not a regular file "
                    "(a FIFO))",
        "/caf\\xe9.so": "failed: dlopen: the path is not UTF-8 text (expected a UTF-8 path)",
    }
    for path, expected in cases.items():
        result = board.exec("/dl_path.mo", path)
        assert (result.exit_code, result.output) == (0, expected + "\n"), path


def test_a_module_racing_a_flipping_link_loads_only_the_inside_library(tree, firmware):
    board = Board(firmware, files=SandboxFiles(str(tree)))
    link = str(tree / "race.so")
    os.symlink("lib.so", link)
    stop = threading.Event()
    thread = threading.Thread(target=_flipper, args=(link, "lib.so", "../outside/other.so",
                                                     stop))
    thread.start()
    try:
        result = board.exec("/dl_path.mo", "/race.so", 300, timeout=20)
    finally:
        stop.set()
        thread.join()
    # outside/other.so's add_func(2, 3) is 50: "other" would count a library loaded from it
    words = result.output.split()
    assert words[:3] == ["tries", "300:", "add_func=5"] and words[5] == "0,", result.output
    assert int(words[3].rstrip(",")) > 0 and int(words[-1]) > 0, result.output


def test_rtdl_run_root_runs_a_module_by_its_device_path(tree, build_module):
    argv = build_module("argv.c")
    (tree / "apps").mkdir()
    shutil.copy(argv, str(tree / "apps" / "argv.mo"))
    result = rtdl("run", "--root", "root", "root/apps/argv.mo", "x", cwd=tree.parent)
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode().splitlines()[:2] == ["argc=2", "argv[0]=</apps/argv.mo>"]
    # the default root is the current directory
    result = rtdl("run", "dl_path.mo", "/../rel_out.so", cwd=tree)
    assert result.stdout.decode() == ("failed: /../rel_out.so: cannot read file (/rel_out.so:"
                                      " a symbolic link that leads outside the device's file "
                                      "system)\n")
    for module, message in [
            (str(tree.parent / "outside" / "other.so"), "outside the root ."),
            ("fifo.so", "/fifo.so: cannot read file (/fifo.so: not a regular file (a FIFO))"),
            ("zero.so", "/zero.so: a symbolic link that leads outside the device's file "
                        "system"),
            ("abs_out.so", "/abs_out.so: a symbolic link that leads outside")]:
        result = rtdl("run", module, cwd=tree)
        err = result.stderr.decode()
        assert result.returncode != 0 and err.count("\n") == 1 and message in err, err
        assert "Traceback" not in err and OUTSIDE.decode() not in err
    result = rtdl("run", "dl_path.mo", b"caf\xe9", cwd=tree)
    assert result.returncode == 2 and result.stderr == (
        b"rtdl run: error: argument 1 (caf\\xe9) is not UTF-8 text, which is what main's "
        b"argv holds here\n")


def test_the_shell_survives_fifos_bad_bytes_and_links_out(tree):
    shutil.copy(str(tree / "lib.so"), os.fsdecode(bytes(tree) + b"/caf\xe9.so"))
    os.mkfifo(str(tree / "pipe.mo"))
    script = (b"ls\npipe\nls /\x00\nhello\xff\ncd ..\npwd\ndl_path /abs_out.so\n"
              b"dl_path /bin/up/secret.txt\n/bin/hello\n")
    start = time.monotonic()
    result = rtdl("shell", "--root", str(tree), cwd=tree.parent, stdin=script)
    assert time.monotonic() - start < 30
    out = result.stdout
    assert result.returncode == 0 and b"Traceback" not in out + result.stderr, out
    assert b"\ncaf\xe9.so " in out and b"\nfifo.so             0 " in out
    assert b"\nabs_out.so          %-25d" % len(os.readlink(str(tree / "abs_out.so"))) in out
    assert b"\npipe.mo: cannot read file (/pipe.mo: not a regular file (a FIFO))\n" in out
    assert b"msh: the command line holds a NUL byte (expected text without NUL)\n" in out
    assert b"msh: the command line holds byte 0xff, which is not UTF-8" in out
    assert b"msh />pwd\n/\n" in out
    assert out.count(b"a symbolic link that leads outside the device's file system") == 2
    assert b"Hello, world\n" in out
    assert OUTSIDE not in out and str(tree.parent).encode() not in out
