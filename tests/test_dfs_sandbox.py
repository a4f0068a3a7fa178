"""The modules' own file API cannot leave the sandbox: '..' at '/', absolute host paths,
symbolic links out (absolute, relative, dangling, in the middle of a path), FIFOs and
device nodes, and a link flipped between inside and outside while a module opens it, for
open, stat, opendir, mkdir, unlink, rename and chdir."""
import os
import shutil
import threading

import pytest

from rtdl import Board
from rtdl.sandbox import SandboxFiles

from test_dfs import reports

SECRET = b"outside secret\n"
EACCES, ENOENT = 13, 2


@pytest.fixture
def tree(tmp_path, build_module):
    root, outside = tmp_path / "root", tmp_path / "outside"
    root.mkdir()
    outside.mkdir()
    (outside / "secret.txt").write_bytes(SECRET)
    (outside / "victim").write_bytes(b"keep me")
    os.symlink(str(outside / "secret.txt"), str(root / "abs_out"))
    os.symlink("../outside/secret.txt", str(root / "rel_out"))
    os.symlink(str(outside), str(root / "dir_out"))
    os.symlink(str(outside / "new.txt"), str(root / "dangling_out"))
    os.symlink("/dev/zero", str(root / "zero"))
    os.mkfifo(str(root / "fifo"))
    (root / "inside.txt").write_bytes(b"in")
    os.symlink("inside.txt", str(root / "link_in"))
    shutil.copy(build_module("fsop.c"), str(root / "fsop.mo"))
    return root, outside


def fsop(root, *ops, firmware):
    files = SandboxFiles(str(root))
    board = Board(firmware, files=files)
    result = board.exec("/fsop.mo", *ops, timeout=20)
    assert result.fault is None, result
    assert files.io._open == {}
    return result


def untouched(outside):
    assert sorted(os.listdir(str(outside))) == ["secret.txt", "victim"]
    assert (outside / "secret.txt").read_bytes() == SECRET
    assert (outside / "victim").read_bytes() == b"keep me"


def test_reads_through_links_out_and_dotdot_are_refused(tree, firmware):
    root, outside = tree
    result = fsop(root, "read:/abs_out", "read:/rel_out", "read:/dir_out/secret.txt",
                  "read:/../outside/secret.txt", "read:" + str(outside / "secret.txt"),
                  "read:/link_in", firmware=firmware)
    got = reports(result.output)
    assert got["open"][:3] == [(-1, -EACCES)] * 3
    assert got["open"][3:5] == [(-1, -ENOENT)] * 2
    assert got["open"][5] == (3, 0) and "read 2 <in>" in result.output
    assert SECRET.decode().strip() not in result.output
    untouched(outside)


def test_writes_and_namespace_changes_through_links_out_are_refused(tree, firmware):
    root, outside = tree
    result = fsop(root, "write:/dangling_out", "write:/dir_out/new.txt",
                  "unlink:/dir_out/victim", "mkdir:/dir_out/d", "rename:/inside.txt:/dir_out/x",
                  "rename:/dir_out/victim:/stolen", "rmdir:/dir_out", firmware=firmware)
    got = reports(result.output)
    assert got["open"] == [(-1, -EACCES), (-1, -EACCES)]
    assert got["unlink"] == [(-1, -EACCES)] and got["mkdir"] == [(-1, -EACCES)]
    assert got["rename"] == [(-1, -EACCES), (-1, -EACCES)]
    # rmdir of the link itself is refused by the host (not a directory), never followed
    assert got["rmdir"][0][0] == -1
    untouched(outside)
    assert (root / "inside.txt").read_bytes() == b"in" and os.path.islink(str(root / "dir_out"))


def test_fifos_and_device_nodes_neither_block_nor_open(tree, firmware):
    root, outside = tree
    result = fsop(root, "read:/fifo", "write:/fifo", "read:/zero", "ls:/dir_out", "cd:/dir_out",
                  "stat:/abs_out", "cwd:", firmware=firmware)
    got = reports(result.output)
    assert got["open"] == [(-1, -EACCES)] * 3
    assert got["opendir"] == [(-1, -EACCES)] and got["chdir"] == [(-1, -EACCES)]
    assert got["stat"] == [(-1, -EACCES)] and "cwd /" in result.output


def test_a_link_flipped_while_modules_open_it_never_leads_outside(tree, firmware):
    root, outside = tree
    link = str(root / "flip")
    stop = threading.Event()

    def flipper():
        while not stop.is_set():
            for target in ("inside.txt", str(outside / "secret.txt")):
                tmp = link + ".tmp"
                try:
                    os.symlink(target, tmp)
                    os.replace(tmp, link)
                except OSError:
                    pass
    thread = threading.Thread(target=flipper)
    thread.start()
    try:
        seen = set()
        files = SandboxFiles(str(root))
        board = Board(firmware, files=files)
        for _ in range(60):
            result = board.exec("/fsop.mo", *(["read:/flip"] * 7), timeout=20)
            for line in result.output.splitlines():
                if line.startswith("read "):
                    seen.add(line)
            assert SECRET.decode().strip() not in result.output
    finally:
        stop.set()
        thread.join()
    assert seen == {"read 2 <in>"}
    untouched(outside)
