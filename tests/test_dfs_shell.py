"""msh's file commands (msh_file.c's cat, echo, mkdir, rm, cp, mv) through real `rtdl shell`
processes over a sandbox, under both runtimes, and the modules' file API on MicroPython."""
import os
import shutil
import subprocess
import sys

import pytest


def shell(root, *args, script=""):
    return subprocess.run([sys.executable, "-m", "rtdl.cli", "shell", "--root", str(root)]
                          + list(args), input=script, capture_output=True, text=True,
                          timeout=120)


@pytest.fixture
def root(tmp_path, firmware):
    path = tmp_path / "root"
    (path / "sub").mkdir(parents=True)
    return path


def test_echo_cat_cp_mv_mkdir_rm(root):
    result = shell(root, "-c", "echo hello > a.txt; echo \" world\" a.txt; cat a.txt; "
                   "echo line; mkdir d; cp a.txt d; cp a.txt /sub/b.txt; mv /sub/b.txt d; "
                   "cd d; ls; cat /d/b.txt nope; rm a.txt; cd /; rm d; rm -r d; ls /")
    assert result.stderr == ""
    out = result.stdout
    assert out.startswith("hello worldline\n/sub/b.txt => d/b.txt\nDirectory /d:\n")
    assert "a.txt               11" in out and "b.txt               11" in out
    assert "hello worldOpen nope failed\n" in out
    assert "cannot remove 'd': Is a directory\n" in out
    assert out.endswith("Directory /:\na.txt               11                       \n"
                        "sub                 <DIR>                    \n")
    assert (root / "a.txt").read_bytes() == b"hello world"
    assert sorted(os.listdir(str(root))) == ["a.txt", "sub"]
    assert os.listdir(str(root / "sub")) == []


def test_usage_lines_and_redirection_that_appends(root):
    result = shell(root, "-c", "cat; echo; mkdir; rm; cp a; mv a; echo x >> f; echo y >> f; "
                   "cat f; echo z > f; cat f")
    assert result.stdout == ("Usage: cat [FILE]...\nConcatenate FILE(s)\n"
                             "Usage: echo \"string\" [filename]\n"
                             "Usage: mkdir [OPTION] DIRECTORY\n"
                             "Create the DIRECTORY, if they do not already exist.\n"
                             "Usage: rm option(s) FILE...\nRemove (unlink) the FILE(s).\n"
                             "Usage: cp SOURCE DEST\nCopy SOURCE to DEST.\n"
                             "Usage: mv SOURCE DEST\n"
                             "Rename SOURCE to DEST, or move SOURCE(s) to DIRECTORY.\n"
                             "xyz")


def test_file_commands_stay_inside_the_root(tmp_path, root):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret").write_bytes(b"secret")
    os.symlink(str(outside), str(root / "out"))
    os.symlink(str(outside / "secret"), str(root / "s"))
    os.mkfifo(str(root / "fifo"))
    result = shell(root, "-c", "cat s; cat out/secret; cat ../outside/secret; cat fifo; "
                   "echo x out/new; rm out/secret; mkdir out/d; cp s copy; mv out/secret mine; "
                   "cp /sub " + str(outside / "y"))
    assert "secret" not in result.stdout.replace("out/secret", "").replace("/outside/secret", "")
    assert result.stdout.count("failed") >= 7, result.stdout
    assert sorted(os.listdir(str(outside))) == ["secret"]
    assert (outside / "secret").read_bytes() == b"secret"
    assert not (root / "copy").exists() and not (root / "mine").exists()


def test_micropython_runtime_has_the_same_file_api(root, build_module):
    shutil.copy(build_module("fsop.c"), str(root / "fsop.mo"))
    script = ("echo hi > m.txt\ncat m.txt\nmkdir d\ncp m.txt d\nmv d/m.txt d/n.txt\n"
              "fsop.mo read:/d/n.txt ls:/d write:/w unlink:/m.txt mkdir:/d\nrm -r d\n")
    outputs = []
    for runtime in ("cpython", "micropython"):
        for name in ("w", "m.txt"):
            if (root / name).exists():
                os.unlink(str(root / name))
        result = shell(root, "--runtime", runtime, script=script)
        assert result.stderr == ""
        outputs.append(result.stdout)
        assert (root / "w").read_bytes() == b"data"
        assert sorted(os.listdir(str(root))) == ["fsop.mo", "sub", "w"]
    assert outputs[0] == outputs[1]
    assert "read 2 <hi>" in outputs[1] and "entry n.txt file 5" in outputs[1]
    assert "mkdir -> -1 errno -17" in outputs[1]
