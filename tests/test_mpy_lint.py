"""rtdl.mpy_lint: every rule rejects a snippet (naming the line) and accepts its portable
equivalent; the real port/modules tree is clean."""
import os
import subprocess
import sys

import pytest

from rtdl import mpy_lint

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# (rule id, failing snippet (the offending construct on its last line unless FINDING_LINE says
#  otherwise), passing snippet, text the message must contain)
RULES = [
    ("fstring", 'a = 1\nx = f"{a}"\n', 'a = 1\nx = "%d" % a\n', "f-string"),
    ("walrus", "def f():\n    return 1\nif (n := f()):\n    pass\n",
     "def f():\n    return 1\nn = f()\nif n:\n    pass\n", "walrus"),
    ("match", "x = 1\nmatch x:\n    case 1:\n        pass\n", "x = 1\nif x == 1:\n    pass\n",
     "match"),
    ("arg-annotation", "def f(a: int):\n    return a\n", "def f(a):\n    return a\n",
     "annotation on parameter 'a'"),
    ("return-annotation", "def f(a) -> int:\n    return a\n", "def f(a):\n    return a\n",
     "return annotation"),
    ("annassign", "x: int = 1\n", "x = 1\n", "variable annotation"),
    ("posonly", "def f(a, /, b):\n    return a\n", "def f(a, b):\n    return a\n",
     "positional-only"),
    ("raise-from", "try:\n    pass\nexcept KeyError as e:\n    raise ValueError('x') from e\n",
     "try:\n    pass\nexcept KeyError as e:\n    raise ValueError('x')\n", "raise ... from"),
    ("import-typing", "import typing\n", "import struct\n", "typing"),
    ("import-dataclasses", "from dataclasses import dataclass\n", "import sys\n", "dataclasses"),
    ("import-enum", "import enum\n", "import errno\n", "enum"),
    ("import-abc", "from abc import ABC\n", "import gc\n", "abc"),
    ("import-functools", "import functools\n", "import binascii\n", "functools"),
    ("import-future", "from __future__ import annotations\n", "import io\n", "__future__"),
    ("import-unicorn", "from unicorn import Uc\n", "import rterror\n", "host-only"),
    ("import-elftools", "from elftools.elf.elffile import ELFFile\n", "import services\n",
     "host-only"),
    ("import-unknown", "import socket\n",
     "try:\n    from micropython import const\nexcept ImportError:\n    const = lambda x: x\n",
     "not a port/modules module"),
    ("import-submodule", "import os.path\n", "import os\n", "submodules"),
    ("relative-import", "from . import rterror\n", "from rterror import RtdlError\n",
     "relative import"),
    ("bytes-hex", "x = b'ab'.hex()\n", "import binascii\nx = binascii.hexlify(b'ab')\n",
     ".hex()"),
    ("bytes-hex-unbound", "x = bytes.hex(b'ab')\n", "x = bytes(b'ab')\n", ".hex()"),
    ("del", "class A:\n    def close(self):\n        pass\n    def __del__(self):\n        pass\n",
     "class A:\n    def close(self):\n        pass\n", "__del__"),
    ("multiple-inheritance", "class A:\n    pass\nclass B:\n    pass\nclass C(A, B):\n    pass\n",
     "class A:\n    pass\nclass C(A):\n    pass\n", "multiple inheritance"),
    ("metaclass", "class M(type):\n    pass\nclass C(object, metaclass=M):\n    pass\n",
     "class C(object):\n    pass\n", "metaclass"),
    ("private-attr", "class A:\n    def f(self):\n        self.__x = 1\n",
     "class A:\n    def f(self):\n        self._x = 1\n", "private name '__x'"),
    ("private-def", "def __helper():\n    pass\n", "def _helper():\n    pass\n",
     "private name '__helper'"),
    ("private-name", "a = 1\n__cache = a\n", "a = 1\n__all__ = [a]\n", "private name '__cache'"),
    ("locals", "def f():\n    return locals()\n", "def f():\n    return {}\n", "locals()"),
    ("eval", "x = eval('1 + 1')\n", "x = 1 + 1\n", "eval()"),
    ("exec", "exec('x = 1')\n", "x = 1\n", "exec()"),
    ("startswith-tuple", "s = 'ab'\nok = s.startswith(('a', 'b'))\n",
     "s = 'ab'\nok = s.startswith('a') or s.startswith('b')\n", "startswith(tuple)"),
    ("endswith-tuple", "s = 'ab'\nok = s.endswith(('a', 'b'))\n", "s = 'ab'\nok = s.endswith('b')\n",
     "endswith(tuple)"),
    ("from-bytes-signed", "x = int.from_bytes(b'\\x01', 'little', signed=True)\n",
     "x = int.from_bytes(b'\\x01', 'little')\n", "signed="),
    ("to-bytes-signed", "x = (1).to_bytes(4, 'little', signed=False)\n",
     "x = (1).to_bytes(4, 'little')\n", "signed="),
    ("from-bytes-byteorder-kw", "x = int.from_bytes(b'\\x01', byteorder='little')\n",
     "x = int.from_bytes(b'\\x01', 'little')\n", "byteorder="),
    ("memoryview-cast", "buf = bytearray(8)\nw = memoryview(buf).cast('I')\n",
     "buf = bytearray(8)\nw = memoryview(buf)\n", "memoryview.cast"),
    ("memoryview-tobytes", "buf = bytearray(8)\nmv = memoryview(buf)\nb = mv.tobytes()\n",
     "buf = bytearray(8)\nmv = memoryview(buf)\nb = bytes(mv[0:4])\n", ".tobytes()"),
    ("memoryview-release", "buf = bytearray(8)\nmv = memoryview(buf)\nmv.release()\n",
     "buf = bytearray(8)\nmv = memoryview(buf)\nmv = None\n", "memoryview.release"),
    ("memoryview-attr-release",
     "class A:\n    def __init__(self, b):\n        self.mv = memoryview(b)\n"
     "    def close(self):\n        self.mv.release()\n",
     "class A:\n    def __init__(self, b):\n        self.mv = memoryview(b)\n"
     "    def close(self):\n        self.mv = None\n", "memoryview.release"),
    ("memoryview-with", "buf = bytearray(8)\nwith memoryview(buf) as mv:\n    pass\n",
     "buf = bytearray(8)\nmv = memoryview(buf)\n", "context manager"),
    ("struct-no-endian", "import struct\nx = struct.unpack('I', b'\\0\\0\\0\\0')\n",
     "import struct\nx = struct.unpack('<I', b'\\0\\0\\0\\0')\n", "must start with '<'"),
    ("struct-native-at", "import struct\nn = struct.calcsize('@HI')\n",
     "import struct\nn = struct.calcsize('<HI')\n", "must start with '<'"),
    ("struct-spaces", "import struct\nx = struct.pack('<I I', 1, 2)\n",
     "import struct\nx = struct.pack('<II', 1, 2)\n", "contains spaces"),
    ("struct-constant", "import struct\n_HDR = '>HH'\nx = struct.unpack_from(_HDR, b'abcd', 0)\n",
     "import struct\n_HDR = '<HH'\nx = struct.unpack_from(_HDR, b'abcd', 0)\n",
     "must start with '<'"),
    ("struct-from-import", "from struct import pack_into\nb = bytearray(4)\n"
     "pack_into('I', b, 0, 1)\n",
     "from struct import pack_into\nb = bytearray(4)\npack_into('<I', b, 0, 1)\n",
     "must start with '<'"),
    ("struct-alias", "import struct as st\nx = st.pack('H', 1)\n",
     "import struct as st\nx = st.pack('<H', 1)\n", "must start with '<'"),
    ("struct-Struct", "import struct\nS = struct.Struct('<I')\n",
     "import struct\nn = struct.calcsize('<I')\n", "struct.Struct"),
    ("exception-init", "class E(Exception):\n    def __init__(self, m):\n"
     "        Exception.__init__(self, m)\n",
     "class E(Exception):\n    def __init__(self, m):\n        super().__init__(m)\n",
     "use super().__init__"),
    ("syntax-error", "def f(:\n", "def f():\n    pass\n", "syntax error"),
]


# Line of the finding where it is not the snippet's last line.
FINDING_LINE = {
    "arg-annotation": 1, "return-annotation": 1, "posonly": 1, "private-def": 1, "match": 2,
    "walrus": 3, "del": 4, "multiple-inheritance": 5, "metaclass": 3, "syntax-error": 1,
    "memoryview-with": 2,
}


@pytest.mark.parametrize("rule,bad,good,text", RULES, ids=[r[0] for r in RULES])
def test_rule_rejects(rule, bad, good, text):
    findings = mpy_lint.lint_source(bad, "snippet.py", allowed_modules=("rterror", "services"))
    assert findings, "%s: nothing reported for:\n%s" % (rule, bad)
    lines = [line for line, message in findings if text in message]
    assert lines, findings
    expected = FINDING_LINE.get(rule, bad.rstrip("\n").count("\n") + 1)
    assert expected in lines, (lines, expected)


@pytest.mark.parametrize("rule,bad,good,text", RULES, ids=[r[0] for r in RULES])
def test_rule_accepts(rule, bad, good, text):
    compile(good, "snippet.py", "exec")
    assert mpy_lint.lint_source(good, "snippet.py",
                                allowed_modules=("rterror", "services")) == []


def test_package_imports(tmp_path):
    """Inside a package siblings are imported relatively; outside they are package.module."""
    pkg = tmp_path / "devpkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "rterror.py").write_text("X = 1\n")
    (pkg / "good.py").write_text("from . import rterror\nfrom .rterror import X\n")
    (pkg / "absolute.py").write_text("import rterror\n")
    (pkg / "missing.py").write_text("from . import nosuch\n")
    (pkg / "deep.py").write_text("from .. import rterror\n")
    (tmp_path / "user.py").write_text("from devpkg import rterror\nimport devpkg.good\n")
    (tmp_path / "loose.py").write_text("from . import user\n")
    files, findings = mpy_lint.lint_paths([str(tmp_path)])
    by_file = {}
    for finding in findings:
        by_file.setdefault(os.path.basename(finding.split(":")[0]), []).append(finding)
    assert "good.py" not in by_file and "user.py" not in by_file, findings
    assert "import it relatively" in by_file["absolute.py"][0]
    assert "no module devpkg.nosuch" in by_file["missing.py"][0]
    assert "level 2" in by_file["deep.py"][0]
    assert "outside a package" in by_file["loose.py"][0]


def test_port_modules_clean():
    files, findings = mpy_lint.lint_paths([os.path.join(ROOT, "port", "modules")])
    assert files
    assert findings == []


def test_portable_tests_clean():
    files, findings = mpy_lint.lint_paths([os.path.join(ROOT, "tests", "portable")])
    assert findings == []


def _run(args, cwd):
    return subprocess.run([sys.executable, "-m", "rtdl.mpy_lint"] + args, cwd=cwd,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True)


def test_cli_lists_every_finding(tmp_path):
    (tmp_path / "bad.py").write_text('import typing\nx = f"{1}"\n\n\ndef g(a: int):\n    pass\n')
    (tmp_path / "ok.py").write_text("import struct\nimport bad\n")
    proc = _run([str(tmp_path)], cwd=str(tmp_path))
    assert proc.returncode == 1
    lines = proc.stdout.splitlines()
    assert lines[0].startswith("bad.py:1: import of typing")
    assert lines[1].startswith("bad.py:2: f-string")
    assert lines[2].startswith("bad.py:5: annotation on parameter 'a'")
    assert len(lines) == 3, lines
    assert "3 finding(s)" in proc.stderr


def test_cli_default_tree_clean():
    proc = _run([], cwd=ROOT)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout == ""


def test_cli_missing_path():
    proc = _run(["no/such/dir"], cwd=ROOT)
    assert proc.returncode == 2
