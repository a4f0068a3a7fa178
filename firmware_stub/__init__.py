"""rtdl_firmware: the firmware sources as installed package data, and where its ELF is built.

This folder is both the firmware's source tree (`make -C firmware_stub`) and, installed, the
package `rtdl_firmware`, so a wheel carries the headers modules compile against, the linker
script and the sources. The ELF itself is never shipped: `default_firmware()` builds it on first
use into a per-user cache (`$XDG_CACHE_HOME/rtdl/firmware/<key>/`, default `~/.cache`), keyed by a
hash of the sources, the service list the veneers come from, the target flags and the compiler's
version, so a changed source or toolchain builds anew and an unchanged one never does. The key
itself is kept under a stamp of the inputs' sizes and times, so a run whose inputs have
not changed neither reads every source nor runs the compiler to find it (`firmware-keys/`).
`$RTDL_FIRMWARE` names a firmware to use instead. May import: the standard library only (the
veneer generator runs in a child `python -m rtdl.gen_veneers`). hashlib, subprocess and shutil
are imported where a build or its key needs them: every board boot imports this package, and
with $RTDL_FIRMWARE set it needs none of them.
"""
import os
import sys

SOURCE_DIR = os.path.dirname(os.path.abspath(__file__))
INCLUDE_DIR = os.path.join(SOURCE_DIR, "include")
DEFAULT_ARCH = "-mcpu=cortex-m4 -mthumb -mfloat-abi=soft"
CROSS = os.environ.get("RTDL_CROSS_COMPILE", "arm-none-eabi-")


class FirmwareBuildError(Exception):
    """The firmware could not be built (toolchain missing, a compile error)."""


def services_path():
    """The kernel's service list, from which the build generates the SVC veneers."""
    from rtdl_device import services
    return os.path.abspath(services.__file__)


def _sources():
    for dirpath, dirnames, filenames in os.walk(SOURCE_DIR):
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
        for name in sorted(filenames):
            if not name.endswith((".pyc", ".pyo")):
                yield os.path.join(dirpath, name)


def _compiler_version():
    import subprocess
    try:
        return subprocess.run([CROSS + "gcc", "--version"], stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        raise FirmwareBuildError("%sgcc not found: install gcc-arm-none-eabi and "
                                 "libnewlib-arm-none-eabi (make setup does)" % CROSS)


def _compiler_stamp():
    """Where the cross compiler is and its size and time: changes whenever its version does."""
    import shutil
    found = shutil.which(CROSS + "gcc")
    if found is None:
        return "no compiler"
    path = os.path.realpath(found)
    info = os.stat(path)
    return "%s %d %d" % (path, info.st_size, info.st_mtime_ns)


def cache_key(arch=DEFAULT_ARCH):
    """Hex digest of everything the ELF depends on. Working it out reads every source and
    runs the compiler, about 14 ms of every `rtdl run`; so it is kept, per user, under a
    stamp of the inputs' names, sizes and times (and the compiler binary's), and worked out
    again only when one of them changes."""
    from rtdl import gen_veneers
    inputs = list(_sources()) + [services_path(), os.path.abspath(gen_veneers.__file__)]
    parts = [arch, _compiler_stamp()]
    for path in inputs:
        info = os.stat(path)
        parts.append("%s %d %d" % (path, info.st_size, info.st_mtime_ns))
    stamp = _blake2("\n".join(parts).encode()).hexdigest()[:32]
    memo = os.path.join(os.path.dirname(cache_root()), "firmware-keys", stamp)
    try:
        with open(memo) as stream:
            key = stream.read().strip()
        if len(key) == 20:
            return key
    except OSError:
        pass
    key = content_key(arch, inputs)
    try:
        os.makedirs(os.path.dirname(memo), exist_ok=True)
        staging = "%s.%d.tmp" % (memo, os.getpid())
        with open(staging, "w") as stream:
            stream.write(key + "\n")
        os.replace(staging, memo)
    except OSError:
        pass                      # a read-only home: worked out at every use instead
    return key


def _blake2(data):
    try:
        from _blake2 import blake2b    # hashlib's first import initialises OpenSSL (3 ms)
    except ImportError:
        from hashlib import blake2b
    return blake2b(data)


def content_key(arch=DEFAULT_ARCH, inputs=None):
    """The key itself: a digest of the inputs' contents, the target flags and the compiler's
    version output."""
    import hashlib
    if inputs is None:
        from rtdl import gen_veneers
        inputs = list(_sources()) + [services_path(), os.path.abspath(gen_veneers.__file__)]
    digest = hashlib.sha256()
    for path in inputs:
        digest.update(os.path.relpath(path, SOURCE_DIR).encode() + b"\0")
        with open(path, "rb") as f:
            digest.update(f.read() + b"\0")
    digest.update(arch.encode() + b"\0" + _compiler_version())
    return digest.hexdigest()[:20]


def cache_root():
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "rtdl", "firmware")


def build(out_dir, arch=DEFAULT_ARCH, python=None, quiet=True):
    """Build firmware.elf into out_dir with this folder's Makefile; returns its path."""
    import subprocess
    cmd = ["make", "-s" if quiet else "--no-print-directory", "-C", SOURCE_DIR,
           "BUILD=" + os.path.abspath(out_dir), "PYTHON=" + (python or sys.executable),
           "SERVICES=" + services_path(), "ARCH=" + arch, "CROSS=" + CROSS]
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          universal_newlines=True)
    if proc.returncode != 0:
        raise FirmwareBuildError("building the firmware into %s failed:\n%s"
                                 % (out_dir, proc.stdout.strip()))
    return os.path.join(os.path.abspath(out_dir), "firmware.elf")


def cached_firmware(arch=DEFAULT_ARCH):
    """The firmware for `arch` from the per-user cache, built there first if needed. Builders
    in several processes take a lock, so each key is built once."""
    directory = os.path.join(cache_root(), cache_key(arch))
    elf = os.path.join(directory, "firmware.elf")
    if os.path.exists(elf):
        return elf
    os.makedirs(directory, exist_ok=True)
    import fcntl
    with open(os.path.join(directory, ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not os.path.exists(elf):
            staging = os.path.join(directory, "staging")
            build(staging, arch)
            for name in ("firmware.map", "firmware.elf"):   # the ELF last: it marks "done"
                os.replace(os.path.join(staging, name), os.path.join(directory, name))
            # Only the ELF and its map are kept: the objects would double the cache's size.
            import shutil
            shutil.rmtree(staging)
    return elf


def default_firmware():
    """$RTDL_FIRMWARE when set, else the cached build for the default core."""
    return os.environ.get("RTDL_FIRMWARE") or cached_firmware()
