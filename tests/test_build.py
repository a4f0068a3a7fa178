"""`rtdl build`: real arm-none-eabi-gcc builds of RT-Thread modules (hello.mo, lib.so)."""
import os
import shutil
import struct
import subprocess
import sys

import pytest

from rtdl import build
from rtdl.build import BuildError, build_module

MODULES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "modules")

pytestmark = pytest.mark.skipif(shutil.which("arm-none-eabi-gcc") is None,
                                reason="arm-none-eabi-gcc not installed")

ET_DYN, ET_REL, EM_ARM = 3, 1, 40


def elf_header(path):
    with open(path, "rb") as f:
        data = f.read()
    assert data[:4] == b"\x7fELF"
    assert data[4] == 1 and data[5] == 1            # ELFCLASS32, little-endian
    e_type, e_machine, _ver, e_entry = struct.unpack_from("<HHII", data, 16)
    (e_flags,) = struct.unpack_from("<I", data, 36)
    return e_type, e_machine, e_entry, e_flags


def section_names(path):
    from elftools.elf.elffile import ELFFile
    with open(path, "rb") as f:
        return [s.name for s in ELFFile(f).iter_sections()]


def dynsyms(path):
    from elftools.elf.elffile import ELFFile
    with open(path, "rb") as f:
        elf = ELFFile(f)
        dynsym = elf.get_section_by_name(".dynsym")
        return {s.name: (s["st_info"]["bind"], s["st_info"]["type"], s["st_shndx"])
                for s in dynsym.iter_symbols() if s.name}


def dyn_relocs(path):
    """[(type, symbol name)] of every SHT_REL section."""
    from elftools.elf.elffile import ELFFile
    from elftools.elf.relocation import RelocationSection
    out = []
    with open(path, "rb") as f:
        elf = ELFFile(f)
        for sec in elf.iter_sections():
            if isinstance(sec, RelocationSection):
                symtab = elf.get_section(sec["sh_link"])
                for rel in sec.iter_relocations():
                    sym = symtab.get_symbol(rel["r_info_sym"]).name if rel["r_info_sym"] else ""
                    out.append((rel["r_info_type"], sym))
    return out


@pytest.fixture(scope="module")
def hello_mo(tmp_path_factory):
    out = tmp_path_factory.mktemp("build") / "hello.mo"
    assert build_module([os.path.join(MODULES, "hello.c")], out) == out
    return out


@pytest.fixture(scope="module")
def lib_so(tmp_path_factory):
    out = tmp_path_factory.mktemp("build") / "lib.so"
    build_module([os.path.join(MODULES, "lib.c")], out, lib=True)
    return out


def test_hello_is_arm_shared_object_with_entry(hello_mo):
    e_type, e_machine, e_entry, e_flags = elf_header(hello_mo)
    assert e_type == ET_DYN
    assert e_machine == EM_ARM
    assert e_entry != 0
    assert e_entry & 1, "main is Thumb code: the entry carries the Thumb bit"
    assert e_flags == 0x05000200                    # EABI5, soft-float


def test_hello_has_no_hash_and_imports_puts(hello_mo):
    assert ".hash" not in section_names(hello_mo)
    relocs = dyn_relocs(hello_mo)
    R_ARM_GLOB_DAT = 21
    assert (R_ARM_GLOB_DAT, "puts") in relocs or (R_ARM_GLOB_DAT, "printf") in relocs


def test_lib_has_zero_entry_and_exports_functions(lib_so):
    e_type, e_machine, e_entry, _ = elf_header(lib_so)
    assert (e_type, e_machine, e_entry) == (ET_DYN, EM_ARM, 0)
    assert ".hash" not in section_names(lib_so)
    syms = dynsyms(lib_so)
    for name in ("lib_func", "add_func"):
        bind, typ, shndx = syms[name]
        assert (bind, typ) == ("STB_GLOBAL", "STT_FUNC")
        assert shndx != "SHN_UNDEF"


def test_keep_hash(tmp_path):
    out = build_module([os.path.join(MODULES, "hello.c")], tmp_path / "h.mo", keep_hash=True)
    assert ".hash" in section_names(out)


def test_relocatable_is_et_rel(tmp_path):
    out = build_module([os.path.join(MODULES, "hello.c")], tmp_path / "hello.o",
                       relocatable=True)
    assert elf_header(out)[:2] == (ET_REL, EM_ARM)


def test_compile_error_names_the_file(tmp_path):
    bad = tmp_path / "broken_module.c"
    bad.write_text("int main(void) { return undefined_thing; }\n")
    out = tmp_path / "broken.mo"
    with pytest.raises(BuildError) as info:
        build_module([bad], out)
    assert "broken_module.c" in str(info.value)
    assert "\n" not in str(info.value)
    assert "undefined_thing" in info.value.details  # gcc's diagnostics are kept
    assert not out.exists()


def test_program_without_main_fails(tmp_path):
    with pytest.raises(BuildError) as info:
        build_module([os.path.join(MODULES, "lib.c")], tmp_path / "lib.mo")
    assert "main" in str(info.value)


def test_cli_error_is_one_line_without_traceback(tmp_path):
    bad = tmp_path / "oops.c"
    bad.write_text("this is not C\n")
    import argparse
    parser = argparse.ArgumentParser()
    build.add_arguments(parser)
    args = parser.parse_args([str(bad), "-o", str(tmp_path / "oops.mo")])
    proc = subprocess.run([sys.executable, "-m", "rtdl.build", str(bad), "-o",
                           str(tmp_path / "oops.mo")],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr
    last = proc.stderr.strip().splitlines()[-1]
    assert last.startswith("rtdl build: error: ") and "oops.c" in last
    assert build.run(args) != 0
