"""port/manifest.py lists exactly port/modules; rtdl.manifest reads MicroPython manifests;
rtdl.frozen compiles them with mpy-cross into mpy v6 bytecode."""
import os
import subprocess
import sys

import pytest

from rtdl import frozen, manifest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODULES = os.path.join(ROOT, "port", "modules")


def test_manifest_lists_every_port_module():
    m = manifest.read_manifest()
    on_disk = sorted(os.path.relpath(os.path.join(d, fn), MODULES).replace(os.sep, "/")
                     for d, dirs, files in os.walk(MODULES) if "__pycache__" not in d
                     for fn in files if fn.endswith(".py"))
    listed = sorted(m.targets())
    missing = sorted(set(on_disk) - set(listed))
    extra = sorted(set(listed) - set(on_disk))
    assert not missing, "port/modules files missing from port/manifest.py: %s" % missing
    assert not extra, "port/manifest.py lists files not in port/modules: %s" % extra
    assert "rtdl_device/kernel.py" in listed and "dlmodule.py" in listed
    for f in m.files:
        assert f.source == os.path.join(MODULES, f.target)


def test_manifest_metadata():
    m = manifest.read_manifest()
    assert m.version == "0.1.0"
    assert m.description
    assert m.requires == []


def _write(path, text):
    d = os.path.dirname(path)
    if not os.path.isdir(d):
        os.makedirs(d)
    with open(path, "w") as f:
        f.write(text)


def test_manifest_semantics(tmp_path):
    t = str(tmp_path)
    _write(os.path.join(t, "lib", "a.py"), "A = 1\n")
    _write(os.path.join(t, "pkg", "__init__.py"), "")
    _write(os.path.join(t, "pkg", "sub", "b.py"), "B = 1\n")
    _write(os.path.join(t, "legacy", "c.py"), "C = 1\n")
    _write(os.path.join(t, "legacy", "d.py"), "D = 1\n")
    _write(os.path.join(t, "extra", "manifest.py"),
           'metadata(version="9")\nmodule("e.py")\n')
    _write(os.path.join(t, "extra", "e.py"), "E = 1\n")
    _write(os.path.join(t, "manifest.py"), "\n".join([
        'metadata(description="demo", version="1.2.3")',
        'module("a.py", base_path="lib")',
        'package("pkg")',
        'freeze("legacy", "d.py")',
        'include("extra")',
        'require("unittest")',
        'if options.nothing is None:',
        '    module("c.py", base_path="legacy")',
    ]) + "\n")
    m = manifest.read_manifest(os.path.join(t, "manifest.py"))
    assert m.version == "1.2.3" and m.description == "demo"   # included metadata ignored
    assert m.targets() == ["a.py", "pkg/__init__.py", "pkg/sub/b.py", "d.py", "e.py", "c.py"]
    assert m.module_names() == ["a", "pkg.__init__", "pkg.sub.b", "d", "e", "c"]
    assert m.files[0].source == os.path.join(t, "lib", "a.py")
    assert [r[0] for r in m.requires] == ["unittest"]


@pytest.mark.parametrize("text,error", [
    ('module("nope.py")\n', "file not found"),
    ('module("a.txt")\n', "only .py"),
    ('module("a.py")\nmodule("a.py")\n', "listed twice"),
    ('metadata(version="1")\nmetadata(version="2")\n', "more than once"),
    ('module("a.py"\n', "manifest.py:"),
])
def test_manifest_errors(tmp_path, text, error):
    _write(str(tmp_path / "a.py"), "")
    _write(str(tmp_path / "a.txt"), "")
    _write(str(tmp_path / "manifest.py"), text)
    with pytest.raises(manifest.ManifestError) as e:
        manifest.read_manifest(str(tmp_path / "manifest.py"))
    assert error in str(e.value)


def test_compile_frozen_port_modules(tmp_path):
    out = str(tmp_path / "frozen")
    os.makedirs(out)
    _write(os.path.join(out, "stale.mpy"), "old")
    paths = frozen.compile_frozen(out)
    m = manifest.read_manifest()
    assert sorted(os.path.relpath(p, out).replace(os.sep, "/") for p in paths) == sorted(
        t[:-3] + ".mpy" for t in m.targets())
    assert os.path.exists(os.path.join(out, "rtdl_device", "__init__.mpy"))
    assert not os.path.exists(os.path.join(out, "stale.mpy"))
    for p in paths:
        with open(p, "rb") as f:
            assert f.read(4) == b"\x4d\x06\x00\x1f", p


def test_compile_frozen_names_file_and_line(tmp_path):
    src = tmp_path / "src"
    _write(str(src / "good.py"), "X = 1\n")
    _write(str(src / "broken.py"), "X = 1\n\ndef f(a, /, b):\n    return a\n")
    _write(str(tmp_path / "manifest.py"),
           'module("broken.py", base_path="src")\nmodule("good.py", base_path="src")\n')
    out = str(tmp_path / "out")
    with pytest.raises(frozen.FrozenError) as e:
        frozen.compile_frozen(out, str(tmp_path / "manifest.py"))
    message = str(e.value)
    assert "broken.py" in message and "line 3" in message and "SyntaxError" in message
    assert not os.path.exists(os.path.join(out, "broken.mpy"))
    assert os.path.exists(os.path.join(out, "good.mpy"))


def test_frozen_cli(tmp_path):
    out = str(tmp_path / "frozen")
    proc = subprocess.run([sys.executable, "-m", "rtdl.frozen", out], cwd=ROOT,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True)
    assert proc.returncode == 0, proc.stderr
    assert "modules ->" in proc.stdout
    _write(str(tmp_path / "bad.py"), "x = 1\nmatch x:\n    case 1:\n        pass\n")
    _write(str(tmp_path / "manifest.py"), 'module("bad.py")\n')
    proc = subprocess.run([sys.executable, "-m", "rtdl.frozen", out, "--manifest",
                           str(tmp_path / "manifest.py")], cwd=ROOT,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True)
    assert proc.returncode == 1
    assert 'bad.py", line 2' in proc.stderr
