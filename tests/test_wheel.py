"""The wheel as a user gets it: built from a copy of the checkout, installed (not editable) into
a fresh venv, used from a folder that is not the checkout, with an empty per-user cache and no
$RTDL_FIRMWARE, so nothing of the development set-up can stand in for what the wheel ships."""
import os
import shutil
import subprocess
import sys
import zipfile

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HELLO = os.path.join(ROOT, "tests", "modules", "hello.c")

# Left out of the copy the wheel is built from: generated, large, or another tool's state. A
# stale build/lib in particular would put deleted files into the wheel.
NOT_COPIED = {".venv", "build", "node_modules", ".git", ".pytest_cache", "__pycache__"}


def _ignore(directory, names):
    return [n for n in names if n in NOT_COPIED or n.endswith((".egg-info", ".pyc"))]


def _run(cmd, cwd, env, timeout=180):
    proc = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, universal_newlines=True, timeout=timeout)
    assert proc.returncode == 0, "%s exited with %d:\n%s" % (cmd, proc.returncode, proc.stdout)
    return proc.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """(venv bin folder, wheel path): the wheel built and installed into a new venv."""
    base = tmp_path_factory.mktemp("wheel")
    source = str(base / "source")
    shutil.copytree(ROOT, source, ignore=_ignore)
    env = dict(os.environ)
    for name in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME"):
        env.pop(name, None)
    wheels = str(base / "dist")
    # Build isolation fetches the build backend pyproject.toml names (pip's cache serves it
    # after the first time), as a user's `pip wheel .` does.
    _run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", wheels, source],
         str(base), env)
    (wheel,) = [os.path.join(wheels, n) for n in os.listdir(wheels) if n.endswith(".whl")]
    venv = str(base / "venv")
    _run([sys.executable, "-m", "venv", venv], str(base), env)
    bindir = os.path.join(venv, "bin")
    _run([os.path.join(bindir, "python"), "-m", "pip", "install", "-q",
          "--disable-pip-version-check", wheel], str(base), env)
    return bindir, wheel


@pytest.fixture
def user_env(tmp_path, installed):
    env = dict(os.environ)
    for name in ("RTDL_FIRMWARE", "PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME"):
        env.pop(name, None)
    env["XDG_CACHE_HOME"] = str(tmp_path / "cache")
    env["PATH"] = installed[0] + os.pathsep + env.get("PATH", "")
    return env


def test_the_wheel_ships_every_firmware_file_and_the_pytest_plugin(installed):
    with zipfile.ZipFile(installed[1]) as wheel:
        names = set(wheel.namelist())
        entry_points = [wheel.read(n).decode() for n in names
                        if n.endswith(".dist-info/entry_points.txt")]
    firmware_dir = os.path.join(ROOT, "firmware_stub")
    expected = set()
    for dirpath, dirnames, filenames in os.walk(firmware_dir):
        dirnames[:] = [d for d in dirnames if d != "__pycache__"]
        for name in filenames:
            if not name.endswith(".pyc"):
                rel = os.path.relpath(os.path.join(dirpath, name), firmware_dir)
                expected.add("rtdl_firmware/" + rel.replace(os.sep, "/"))
    assert expected - names == set()
    assert "rtdl_firmware/include/rtthread.h" in names
    assert len(entry_points) == 1
    assert "[pytest11]\nrtdl = rtdl.pytest_plugin" in entry_points[0]
    assert "rtdl = rtdl.cli:main" in entry_points[0]


def test_installed_rtdl_builds_and_runs_hello_from_any_folder(tmp_path, installed, user_env):
    bindir = installed[0]
    work = tmp_path / "project"
    work.mkdir()
    shutil.copy(HELLO, str(work / "hello.c"))
    _run([os.path.join(bindir, "rtdl"), "build", "hello.c", "-o", "hello.mo"], str(work),
         user_env)
    cache = tmp_path / "cache" / "rtdl" / "firmware"
    assert not cache.exists()          # building a module needs headers only, no firmware
    out = _run([os.path.join(bindir, "rtdl"), "run", "hello.mo"], str(work), user_env)
    assert out == "Hello, world\n"
    # The first run built the firmware into the cache, under the key of the installed sources.
    key = _run([os.path.join(bindir, "python"), "-c",
                "import rtdl, rtdl_firmware; print(rtdl.__file__); print(rtdl_firmware.cache_key())"],
               str(work), user_env).split()
    assert key[0].startswith(os.path.dirname(bindir))   # the venv's copy, not the checkout's
    assert sorted(os.listdir(str(cache))) == [key[1]]
    assert sorted(n for n in os.listdir(str(cache / key[1])) if not n.startswith(".")) == \
        ["firmware.elf", "firmware.map"]
    # The Python API uses that cached firmware without building again.
    elf = cache / key[1] / "firmware.elf"
    mtime = elf.stat().st_mtime_ns
    out = _run([os.path.join(bindir, "python"), "-c",
                "from rtdl import Board; r = Board().exec('hello.mo'); "
                "print(r.exit_code); print(repr(r.output)); print(Board().firmware_path)"],
               str(work), user_env)
    assert out.splitlines() == ["0", repr("Hello, world\n"), str(elf)]
    assert elf.stat().st_mtime_ns == mtime
