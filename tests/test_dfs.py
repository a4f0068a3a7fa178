"""DFS's POSIX file API and newlib stdio for modules, over the sandbox (`--root`, the API's
SandboxFiles): RT-Thread/rtthread-apps `md5` unchanged (and a corrected copy) against
hashlib, stdio round trips, errno values as RT-Thread's rt_set_errno leaves them (negative,
newlib's numbers), descriptors closed when their module ends, mounts of "/"."""
import hashlib
import os
import shutil

import pytest

from rtdl import Board
from rtdl.build import build_module as build_sources
from rtdl.sandbox import SandboxFiles

MD5 = os.path.join(os.path.dirname(os.path.abspath(__file__)), "rt_samples", "rtthread-apps",
                   "md5")
# newlib's errno numbers, as the module sees them (RT-Thread stores -code)
ENOENT, EBADF, EACCES, EEXIST, ENOTDIR, EISDIR, EINVAL, ENOTEMPTY = 2, 9, 13, 17, 20, 21, 22, 90


@pytest.fixture
def root(tmp_path):
    path = tmp_path / "root"
    path.mkdir()
    return path


def sandbox_board(firmware, root):
    return Board(firmware, files=SandboxFiles(str(root)))


def run(board, root, module, *args):
    name = os.path.basename(module)
    shutil.copy(module, str(root / name))
    return board.exec("/" + name, *args)


def reports(output):
    """{op: [(result, errno), ...]} of fsop's lines "op -> R errno E"."""
    out = {}
    for line in output.splitlines():
        parts = line.split()
        if len(parts) == 5 and parts[1] == "->" and parts[3] == "errno":
            out.setdefault(parts[0], []).append((int(parts[2]), int(parts[4])))
    return out


# ----------------------------------------------------------------------------- md5 -------
def test_upstream_md5_overflows_its_name_buffer_and_rtdl_reports_the_damaged_heap(
        tmp_path, root, firmware):
    """md5 allocates strlen(argv[2] + 16) bytes and copies the whole name into them: with a
    name longer than 16 bytes the copy runs over the next block's header, which the free()
    right after the fopen finds."""
    module = build_sources([os.path.join(MD5, "main.c"), os.path.join(MD5, "md5.c")],
                           tmp_path / "md5.mo")
    (root / "a_long_directory_name").mkdir()
    (root / "a_long_directory_name" / "data.bin").write_bytes(os.urandom(3000))
    board = sandbox_board(firmware, root)
    before = board.heap_info()[1]
    result = run(board, root, module, "-g", "/a_long_directory_name/data.bin")
    assert result.exit_code == 139
    message = str(result.fault)
    assert message.startswith("md5: rt_free: heap corrupted: the header of the free block")
    assert message.endswith("the kernel repaired it")
    assert board.heap_info()[1] == before
    assert board.kernel.dfs.fds == [None] * len(board.kernel.dfs.fds)
    # The short-name case, on a fresh board: with a name of at most 16 bytes strlen reads past it, and malloc of that garbage length answers NULL.
    (root / "x.bin").write_bytes(b"x")
    result = run(sandbox_board(firmware, root), root, module, "-g", "/x.bin")
    assert (result.exit_code, result.output) == (-1, "no memory!\n")


def corrected_md5(tmp_path):
    source = open(os.path.join(MD5, "main.c")).read()
    bug = "malloc(strlen(argv[2] + 16))"
    assert source.count(bug) == 1
    fixed = tmp_path / "md5_fixed.c"
    fixed.write_text(source.replace(bug, "malloc(strlen(argv[2]) + 16)"))
    shutil.copy(os.path.join(MD5, "md5.h"), str(tmp_path / "md5.h"))
    return build_sources([str(fixed), os.path.join(MD5, "md5.c")], tmp_path / "md5.mo")


@pytest.mark.parametrize("size", [0, 1, 2047, 2048, 5000, 70001])
def test_corrected_md5_generates_hashlibs_digest_and_compares_it(tmp_path, root, firmware,
                                                                 size):
    module = corrected_md5(tmp_path)
    data = os.urandom(size)
    (root / "data.bin").write_bytes(data)
    board = sandbox_board(firmware, root)
    result = run(board, root, module, "-g", "/data.bin")
    assert (result.exit_code, result.fault, result.output) == (0, None, "")
    assert (root / "data.md5").read_bytes() == hashlib.md5(data).digest()
    result = run(board, root, module, "-c", "/data.bin")
    assert (result.exit_code, result.output) == (0, "md5 value is the same!\n")
    (root / "data.bin").write_bytes(data + b"!")
    result = run(board, root, module, "-c", "/data.bin")
    assert (result.exit_code, result.output) == (-1, "md5 value is different!\n")
    result = run(board, root, module, "-g", "/missing.bin")
    assert result.output == "/missing.bin open failed!\n"


def test_md5_reads_relative_to_the_working_directory(tmp_path, root, firmware):
    module = corrected_md5(tmp_path)
    (root / "sub").mkdir()
    (root / "sub" / "f.txt").write_bytes(b"hello world\n")
    files = SandboxFiles(str(root))
    board = Board(firmware, files=files)
    shutil.copy(str(module), str(root / "md5.mo"))
    files.chdir("/sub")
    result = board.exec("/md5.mo", "-g", "f.txt")
    assert result.exit_code == 0, result
    assert (root / "sub" / "f.md5").read_bytes() == hashlib.md5(b"hello world\n").digest()


# --------------------------------------------------------------------------- stdio -------
def test_stdio_round_trip_of_text_and_binary(root, firmware, build_module):
    board = sandbox_board(firmware, root)
    result = run(board, root, build_module("dfs_stdio.c"), "/s.txt")
    assert result.exit_code == 0, result
    text = "count=1234 hex=beef str=abc\nsecond line\n"
    assert result.output.splitlines() == [
        "line0: count=1234 hex=beef str=abc", "line1: second line",
        "size=%d" % (len(text) + 300), "fread=300", "binary same", "at end: c=-1 feof=1",
        "first char 'c' ftell=1", "missing: NULL", "remove=0", "after remove: NULL"]
    assert not (root / "s.txt").exists()


def test_stdio_file_written_by_a_module_is_the_hosts_file(root, firmware, build_module):
    board = sandbox_board(firmware, root)
    result = run(board, root, build_module("fsop.c"), "write:/w.txt", "append:/w.txt",
                 "read:/w.txt")
    assert (root / "w.txt").read_bytes() == b"datadata"
    assert "read 8 <datadata>" in result.output


# ------------------------------------------------------------------------ errno ----------
def test_posix_calls_and_their_errno_values(root, firmware, build_module):
    (root / "full").mkdir()
    (root / "full" / "f").write_bytes(b"x")
    board = sandbox_board(firmware, root)
    result = run(board, root, build_module("fsop.c"), "read:/none", "mkdir:/d", "mkdir:/d",
                 "rmdir:/full", "excl:/e", "excl:/e", "dir:/d")
    got = reports(result.output)
    assert got["open"][0] == (-1, -ENOENT)
    assert got["mkdir"] == [(0, 0), (-1, -EEXIST)]
    assert got["rmdir"] == [(-1, -ENOTEMPTY)]
    assert got["open"][1][0] == 3 and got["open"][2] == (-1, -EEXIST)
    assert got["open"][3] == (3, 0) and got["read"] == [(-1, -EISDIR)]
    assert (root / "d").is_dir() and (root / "e").read_bytes() == b"data"

    result = run(board, root, build_module("fsop.c"), "badfd:", "seek:/e", "stat:/e",
                 "stat:/d", "cd:/e", "cd:/d", "cwd:")
    got = reports(result.output)
    assert got["read"][0] == (-1, -EBADF) and got["close"][0] == (-1, -EBADF)
    assert got["write"] == [(-1, -EBADF)]
    assert got["lseek_end"] == [(4, 0)] and got["lseek_neg"] == [(-1, -EINVAL)]
    assert got["lseek_bad"] == [(-1, -EINVAL)] and got["lseek_cur"] == [(1, 0)]
    assert "read 1 <a>" in result.output and (root / "e").read_bytes() == b"da"
    assert "mode reg size 2" in result.output and "mode dir size" in result.output
    assert got["chdir"] == [(-1, -ENOTDIR), (0, 0)]
    assert "cwd /d" in result.output and board.kernel.files.getcwd() == "/d"


def test_rename_unlink_rmdir_and_readdir(root, firmware, build_module):
    (root / "a.txt").write_bytes(b"A")
    (root / "sub").mkdir()
    board = sandbox_board(firmware, root)
    result = run(board, root, build_module("fsop.c"), "rename:/a.txt:/sub/b.txt", "ls:/sub",
                 "unlink:/sub/b.txt", "rmdir:/sub", "access:/sub", "ls:/")
    got = reports(result.output)
    assert got["rename"] == [(0, 0)] and got["unlink"] == [(0, 0)] and got["rmdir"] == [(0, 0)]
    assert got["access"] == [(-1, -ENOENT)]
    assert "entry b.txt file 5" in result.output
    assert "entry fsop.mo file 7" in result.output and "entry sub" not in result.output
    assert sorted(os.listdir(str(root))) == ["fsop.mo"]


def test_unmount_and_mount_of_the_root(root, firmware, build_module):
    (root / "f").write_bytes(b"f")
    board = sandbox_board(firmware, root)
    result = run(board, root, build_module("fsop.c"), "mount:/", "unmount:/", "read:/f",
                 "unmount:/", "mount:/other", "mount:/", "read:/f")
    got = reports(result.output)
    assert got["dfs_mount"] == [(-1, -EINVAL), (-1, -ENOTDIR), (0, 0)]
    assert got["dfs_unmount"] == [(0, 0), (-1, -EINVAL)]
    assert got["open"] == [(-1, -ENOENT), (3, 0)]


def test_a_board_without_a_file_system_answers_enoent(firmware, build_module):
    result = Board(firmware).exec(build_module("fsop.c"), "read:/etc/hostname", "ls:/")
    got = reports(result.output)
    assert got["open"] == [(-1, -ENOENT)] and got["opendir"] == [(-1, -ENOENT)]


# -------------------------------------------------------------------- ownership ----------
@pytest.mark.parametrize("how", ["return", "fault"])
def test_descriptors_and_dirs_of_a_module_are_closed_when_it_ends(root, firmware,
                                                                  build_module, how):
    files = SandboxFiles(str(root))
    board = Board(firmware, files=files)
    shutil.copy(build_module("dfs_owner.c"), str(root / "dfs_owner.mo"))
    board.exec("/dfs_owner.mo")          # once, so libc's own FILE blocks exist before
    before = board.heap_info()[1]
    result = board.exec("/dfs_owner.mo", how)
    assert "fds 3 4 dir open file open" in result.output
    assert (result.exit_code == 139) == (how == "fault")
    assert board.kernel.dfs.fds == [None] * len(board.kernel.dfs.fds)
    assert board.kernel.dfs.dirs == {}
    assert files.io._open == {}
    assert (root / "owned_a.txt").read_bytes() == b"left open"
    # the FILE's 1 KiB buffer belongs to libc (RT-Thread leaks it too); nothing else is left
    assert board.heap_info()[1] - before <= 1100
