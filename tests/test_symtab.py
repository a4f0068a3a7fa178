"""`rtdl symtab`: the firmware's RTMSymTab read on the host with pyelftools, in list_symbols,
JSON and C header form, with an ABI fingerprint; and the proof that it is the very table the
device reads from emulated flash."""
import json
import os
import re
import subprocess
import sys

import pytest

from rtdl import firmware_info

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FINGERPRINT = re.compile(r"^# ABI fingerprint: ([0-9a-f]{16}) \((\d+) exports\)$")


def rtdl(*args):
    return subprocess.run([sys.executable, "-m", "rtdl.cli"] + [str(a) for a in args],
                          capture_output=True, text=True, timeout=60)


@pytest.fixture(scope="module")
def described(firmware):
    result = rtdl("symtab", "--format", "json", firmware)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_host_table_is_the_table_the_device_reads(board, firmware):
    host = firmware_info.read_exports(firmware)
    assert len(host) > 100
    assert host == board.exports.entries          # read from emulated flash by symtab.py


def test_text_is_list_symbols_then_the_fingerprint(firmware, described, board):
    result = rtdl("symtab", firmware)
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[:-1] == board.exports.list_symbols()
    match = FINGERPRINT.match(lines[-1])
    assert match, lines[-1]
    assert match.group(1) == described["abi_fingerprint"]
    assert int(match.group(2)) == len(lines) - 1 == len(described["exports"])


def test_json_gives_kind_and_size_from_the_firmware_symbols(described, board):
    exports = dict((e["name"], e) for e in described["exports"])
    assert [(e["name"], e["address"]) for e in described["exports"]] == board.exports.entries
    for name in ("printf", "rt_kprintf", "malloc", "__aeabi_uldivmod"):
        assert exports[name]["kind"] == "function" and exports[name]["address"] & 1
    for name in ("printf", "rt_kprintf", "malloc"):
        assert exports[name]["size"] > 0
    assert exports["__aeabi_uldivmod"]["size"] == 0     # libgcc's assembly sets no size
    for name in ("_impure_ptr", "_ctype_"):
        assert exports[name]["kind"] == "object"
        assert exports[name]["address"] >= 0 and exports[name]["size"] > 0
    assert set(e["kind"] for e in described["exports"]) == {"function", "object"}


def test_json_describes_cpu_float_abi_and_heap_at_boot(described, board):
    assert described["cpu"] == "cortex-m4" and described["float_abi"] == "soft"
    assert described["e_flags"] == board.firmware_flags
    heap = described["heap"]
    assert (heap["start"], heap["end"]) == (board.heap.begin, board.heap.end)
    assert [tuple(b) for b in heap["blocks"]] == list(board.heap.check())


def test_fingerprint_follows_the_abi_not_the_addresses(firmware, firmware_for_cpu):
    m4 = firmware_info.describe(firmware, boot=False)
    m0 = firmware_info.describe(firmware_for_cpu("cortex-m0"), boot=False)
    moved = [e["name"] for e, f in zip(m4["exports"], m0["exports"])
             if e["address"] != f["address"]]
    assert len(moved) > len(m4["exports"]) // 2, "the two builds should place code differently"
    assert m0["abi_fingerprint"] == m4["abi_fingerprint"]

    exports = m4["exports"]
    fingerprint = firmware_info.abi_fingerprint
    assert fingerprint(list(reversed(exports))) == m4["abi_fingerprint"]
    renamed = [dict(e, name="rt_kprintf2") if e["name"] == "rt_kprintf" else e for e in exports]
    retyped = [dict(e, kind="object") if e["name"] == "printf" else e for e in exports]
    assert fingerprint(renamed) != m4["abi_fingerprint"]
    assert fingerprint(retyped) != m4["abi_fingerprint"]
    assert fingerprint(exports[1:]) != m4["abi_fingerprint"]


def test_header_is_c_declaring_every_export_once(firmware, tmp_path, described):
    result = rtdl("symtab", "--format", "header", firmware)
    assert result.returncode == 0
    header = tmp_path / "exports.h"
    header.write_text(result.stdout)
    assert "ABI fingerprint: %s" % described["abi_fingerprint"] in result.stdout
    declared = re.findall(r"^extern (?:void|char) (\w+)(?:\(\)|\[\]);", result.stdout, re.M)
    assert sorted(declared) == sorted(set(e["name"] for e in described["exports"]))
    compiled = subprocess.run(["arm-none-eabi-gcc", "-fsyntax-only", "-Werror", "-Wall",
                               "-Wno-builtin-declaration-mismatch", "-x", "c", str(header)],
                              capture_output=True, text=True)
    assert compiled.returncode == 0, compiled.stderr


def test_a_firmware_that_is_not_there_or_not_rt_thread_exits_2(build_module, tmp_path):
    missing = rtdl("symtab", tmp_path / "absent.elf")
    assert missing.returncode == 2
    assert missing.stderr.startswith("rtdl symtab: error: %s: cannot open firmware"
                                     % (tmp_path / "absent.elf"))
    module = build_module("hello.c", relocatable=True)      # an ELF with a .symtab
    foreign = rtdl("symtab", module)
    assert foreign.returncode == 2
    assert "no __rtmsymtab_start/__rtmsymtab_end" in foreign.stderr
