"""`rtdl exports` and the firmware export table it generates: the full firmware exports what it
exported before the table was generated (tests/exports/full-firmware.txt), the C source is the
same bytes for the same inputs, a name nothing defines is an error naming who needs it, and a
firmware built for hello.mo alone runs hello but fails `rtdl verify` for md5.mo."""
import glob
import os
import re
import subprocess
import sys

import pytest

from conftest import ROOT
from rtdl import cli, exports, firmware_info

LISTS_DIR = os.path.join(ROOT, "firmware_stub", "exports")
LISTS = sorted(glob.glob(os.path.join(LISTS_DIR, "*.list")))
EXPECTED = os.path.join(ROOT, "tests", "exports", "full-firmware.txt")
ENTRY = re.compile(r"^RTDL_(FUNCTION|OBJECT)\(([A-Za-z0-9_]+)\)$", re.M)


def firmware_objects(firmware):
    """The firmware's own objects (what its sources and veneers define), not the table."""
    objects = glob.glob(os.path.join(os.path.dirname(firmware), "obj", "*.o"))
    return sorted(o for o in objects if os.path.basename(o) != "exports.o")


def expected_exports():
    pairs, fingerprint = [], None
    with open(EXPECTED) as stream:
        for line in stream:
            found = re.search(r"ABI fingerprint ([0-9a-f]{16})", line)
            if found:
                fingerprint = found.group(1)
            if not line.startswith("#"):
                name, kind = line.split()
                pairs.append((name, kind))
    return pairs, fingerprint


def symtab_pairs(firmware):
    facts = firmware_info.describe(firmware)
    return sorted((e["name"], e["kind"]) for e in facts["exports"]), facts["abi_fingerprint"]


def rtdl(capsys, *argv):
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_full_firmware_exports_what_the_hand_written_table_did(firmware):
    pairs, fingerprint = symtab_pairs(firmware)
    expected, recorded = expected_exports()
    assert len(expected) > 361 and recorded is not None
    assert pairs == expected
    assert fingerprint == recorded


def test_firmware_exports_come_from_the_list_files_alone(firmware):
    for source in glob.glob(os.path.join(ROOT, "firmware_stub", "src", "*.c")):
        assert "RTM_EXPORT(" not in open(source).read(), source
    listed = set()
    for path in LISTS:
        listed.update(name for name, _ in exports.read_list(path))
    assert {"kernel.list", "libc.list", "math.list", "aeabi.list"} <= set(map(os.path.basename,
                                                                               LISTS))
    assert set(exports.RT_THREAD_DEFAULT) <= listed
    assert listed == set(name for name, _ in symtab_pairs(firmware)[0])


def test_generated_table_is_byte_stable(firmware):
    objects = firmware_objects(firmware)
    first = exports.generate(LISTS, from_libs=True, defined_in=objects)
    again = exports.generate(list(reversed(LISTS)) + LISTS[:1], from_libs=True,
                             defined_in=list(reversed(objects)))
    assert first == again
    with open(os.path.join(os.path.dirname(firmware), "exports.c")) as stream:
        assert stream.read() == first     # what the firmware build compiled
    entries = ENTRY.findall(first)
    names = [name for _, name in entries]
    assert names == sorted(set(names)) and len(names) == len(expected_exports()[0])
    kinds = dict((name, kind.lower()) for kind, name in entries)
    assert kinds["_impure_ptr"] == "object" and kinds["printf"] == "function"


def test_module_imports_are_exported_and_weak_absent_ones_left_out(build_module):
    text = exports.generate(modules=[build_module("weak_import.c")], from_libs=True)
    names = [name for _, name in ENTRY.findall(text)]
    assert "atoi" in names
    assert "maybe" not in names
    relocatable = build_module("globals.c", relocatable=True)
    assert "_GLOBAL_OFFSET_TABLE_" in open(relocatable, "rb").read().decode("latin-1")
    text = exports.generate(modules=[relocatable], from_libs=True)
    assert "RTDL_FUNCTION(printf)" in text and "_GLOBAL_OFFSET_TABLE_" not in text


def test_name_no_library_defines_fails_naming_the_module(tmp_path, capsys):
    from rtdl.build import build_module
    source = tmp_path / "needs_ghost.c"
    source.write_text("int rtdl_ghost_function(int);\n"
                      "int main(void) { return rtdl_ghost_function(1); }\n")
    module = str(tmp_path / "needs_ghost.mo")
    build_module([str(source)], module)
    code, out, err = rtdl(capsys, "exports", "--from-libs", module)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "Traceback" not in err
    assert module in err and "rtdl_ghost_function" in err


def test_list_errors_name_the_file_line_and_item(tmp_path, capsys):
    bad = tmp_path / "bad.list"
    bad.write_text("# fine\nstrlen\nstr len\n")
    code, _, err = rtdl(capsys, "exports", "--list", str(bad))
    assert code == 2 and err.count("\n") == 1
    assert "%s:3" % bad in err and "'str len'" in err
    bad.write_text("@rt-thread-everything\n")
    code, _, err = rtdl(capsys, "exports", "--list", str(bad))
    assert code == 2 and "@rt-thread-everything" in err and "@rt-thread-default" in err


def test_only_refuses_an_import_the_lists_do_not_offer(build_module, capsys):
    math_only = os.path.join(LISTS_DIR, "math.list")
    hello = build_module("hello.c")
    code, _, err = rtdl(capsys, "exports", "--list", math_only, "--only", hello)
    assert code == 2 and hello in err and "puts" in err


@pytest.fixture(scope="module")
def hello_firmware(build_module, tmp_path_factory):
    """firmware_stub built with EXPORTS=hello.mo (once)."""
    out = str(tmp_path_factory.mktemp("firmware-hello"))
    hello = build_module("hello.c")
    subprocess.run(["make", "-s", "-C", os.path.join(ROOT, "firmware_stub"), "-j4",
                    "BUILD=" + out, "PYTHON=" + sys.executable, "EXPORTS=" + hello],
                   check=True, stdout=subprocess.DEVNULL)
    return os.path.join(out, "firmware.elf"), hello


def flash_bytes(elf):
    out = subprocess.run(["arm-none-eabi-size", elf], check=True, stdout=subprocess.PIPE,
                         universal_newlines=True).stdout
    text, data = out.splitlines()[1].split()[:2]
    return int(text) + int(data)


def test_only_hello_firmware_exports_its_imports_and_runs_it(hello_firmware, firmware):
    from rtdl import Board
    elf, hello = hello_firmware
    imports = exports.module_imports(hello)
    assert sorted(imports) == [name for name, _ in symtab_pairs(elf)[0]]
    result = Board(elf).exec(hello)
    assert result.output == "Hello, world\n" and result.exit_code == 0
    assert flash_bytes(elf) < flash_bytes(firmware)


def test_verify_against_only_hello_firmware_names_what_md5_lacks(hello_firmware, firmware,
                                                                  build_module, capsys):
    elf, hello = hello_firmware
    md5 = build_module("md5.c")
    code, _, _ = rtdl(capsys, "verify", "--firmware", elf, hello)
    assert code == 0
    code, out, err = rtdl(capsys, "verify", "--firmware", elf, md5)
    assert code == 1
    assert "'fopen'" in out + err
    assert "'fread'" in out + err       # the full firmware exports them; this one does not
    full = dict(symtab_pairs(firmware)[0])
    assert "fread" in full and "fopen" in full
