"""Cross-interpreter agreement: for every test module of portable-data, the relocated image, its
symbol table and its load facts made by the device side under real MicroPython (frozen .mpy,
WebAssembly under Node) are byte-identical to those made under CPython, and so is the firmware's
export table. Both sides run tests/portable/agreement.py and print sha256 digests.

Node missing: skipped, except on CI (CI=true), where it fails (`make mpy-test` installs it).
"""
import json
import os
import re
import subprocess
import sys

import pytest

import mpy_node
from mpy_node import DATA, ROOT, RUNNER
from rtdl import frozen, portable_data

SCRIPT = os.path.join(ROOT, "tests", "portable", "agreement.py")
LINE = re.compile(r"^(EXPORTS|DIGEST|ERROR|END) ")


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory, request):
    """portable-data made by `make portable-data`, else built here for this session."""
    if os.path.exists(os.path.join(DATA, portable_data.INDEX)):
        return DATA
    out = str(tmp_path_factory.mktemp("portable-data"))
    portable_data.make(out, request.getfixturevalue("firmware"))
    return out


@pytest.fixture(scope="module")
def frozen_dir(tmp_path_factory):
    given = os.environ.get("RTDL_FROZEN")
    if given:
        return given
    out = str(tmp_path_factory.mktemp("frozen"))
    frozen.compile_frozen(out)
    return out


def _run(cmd, env=None):
    proc = subprocess.run(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True, timeout=300)
    report = "$ %s\n%s\n%s" % (" ".join(cmd), proc.stdout, proc.stderr)
    assert proc.returncode == 0, report
    lines = [line for line in proc.stdout.splitlines() if LINE.match(line)]
    assert lines and lines[-1].startswith("END "), report
    return lines, report


def _digests(lines, report):
    errors = [line for line in lines if line.startswith("ERROR ")]
    assert not errors, "modules that did not load:\n%s\n%s" % ("\n".join(errors), report)
    table = {}
    for line in lines:
        if line.startswith("DIGEST "):
            fields = line.split()
            assert len(fields) == 5, line
            assert fields[1] not in table, "%s reported twice" % fields[1]
            table[fields[1]] = tuple(fields[2:])
    return table


def run_cpython(data):
    env = dict(os.environ, RTDL_PORTABLE_DATA=data)
    return _run([sys.executable, SCRIPT], env)


def run_micropython(data, frozen_modules):
    node = mpy_node.node()
    lines, report = _run([node, RUNNER, "--frozen", frozen_modules, "--data", data,
                          "--script", SCRIPT])
    assert "micropython" in report and "from /lib/" in report, report
    return lines, report


def test_micropython_and_cpython_make_identical_images(data_dir, frozen_dir):
    with open(os.path.join(data_dir, portable_data.INDEX)) as f:
        expected_files = sorted(m["file"] for m in json.load(f)["modules"])
    assert expected_files, "no test modules in %s" % data_dir
    cp_lines, cp_report = run_cpython(data_dir)
    mp_lines, mp_report = run_micropython(data_dir, frozen_dir)
    cp = _digests(cp_lines, cp_report)
    mp = _digests(mp_lines, mp_report)
    assert sorted(cp) == expected_files, cp_report
    assert sorted(mp) == expected_files, mp_report
    differ = ["%s: CPython %s / MicroPython %s" % (name, cp[name], mp[name])
              for name in expected_files if cp[name] != mp[name]]
    assert not differ, "images differ between interpreters:\n" + "\n".join(differ)
    exports = [line for line in cp_lines if line.startswith("EXPORTS ")]
    assert len(exports) == 1 and int(exports[0].split()[1]) > 0, cp_report
    assert exports == [line for line in mp_lines if line.startswith("EXPORTS ")], mp_report
    assert cp_lines == mp_lines


def test_digests_see_the_load_address(data_dir, monkeypatch):
    """The digests are of the relocated image: the same module linked 8 bytes higher in the
    heap gives different digests wherever a word depends on the load address."""
    portable = os.path.join(ROOT, "tests", "portable")
    monkeypatch.syspath_prepend(portable)
    monkeypatch.setenv("RTDL_PORTABLE_DATA", data_dir)
    import harness
    monkeypatch.setattr(harness, "DATA", data_dir)
    import agreement
    import testdata
    monkeypatch.setattr(testdata, "_cache", {})
    at_first = _digests(agreement.lines(), "")
    monkeypatch.setattr(testdata, "HEAP_BEGIN", testdata.HEAP_BEGIN + 8)
    moved = _digests(agreement.lines(), "")
    assert sorted(at_first) == sorted(moved) and at_first
    for name in at_first:
        assert at_first[name][2] != moved[name][2], name              # base/entry changed
        facts = [m for m in testdata.modules() if m["file"] == name][0]
        if [r for r in facts["relocations"] if r[2] == 23]:           # R_ARM_RELATIVE
            assert at_first[name][0] != moved[name][0], name
