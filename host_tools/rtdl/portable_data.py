"""The data files of the portable tests (tests/portable/), made on the host.

    python -m rtdl.portable_data OUT_DIR [--firmware build/firmware/firmware.elf]

OUT_DIR receives
  * the test modules, built with `rtdl build` from tests/modules (MODULES below);
  * firmware-flash.bin: the bytes of the firmware's flash PT_LOAD segment (RTMSymTab and the
    export names live there), so the device side can read the export table from a RamMemory
    mapped at the flash base, exactly as it reads it from emulated flash on the board;
  * index.json: where that image and RTMSymTab are, the exports, and for every module what
    pyelftools reads from it (header, PT_LOAD segments, sections, dynamic symbols,
    relocations). pyelftools is independent of port/modules/elf32, so the portable tests
    compare the device's ELF reader and loader against it instead of against themselves.

index.json is written last (via a temporary file): its presence means the rest is complete.
"""
import argparse
import json
import os
import struct
import sys

from elftools.elf.elffile import ELFFile
from elftools.elf.enums import (ENUM_E_TYPE, ENUM_SH_TYPE_ARM, ENUM_ST_INFO_BIND,
                                ENUM_ST_INFO_TYPE, ENUM_ST_SHNDX)
from elftools.elf.relocation import RelocationSection

from rtdl import devtree
from rtdl.build import BuildError, build_module
from rtdl.firmware_info import read_exports

SOURCES = devtree.TEST_MODULES
DEFAULT_FIRMWARE = devtree.BUILD_FIRMWARE
INDEX = "index.json"
FLASH_IMAGE = "firmware-flash.bin"

# (output file, source, build options). The shared objects cover GLOB_DAT imports, RELATIVE
# pointer tables, ABS32 (C++ vtables), JUMP_SLOT (PLT calls without -mlong-calls), a library.
MODULES = (
    ("hello.mo", "hello.c", {}),
    ("hello_plt.mo", "hello.c", {"long_calls": False}),
    ("lib.so", "lib.c", {"lib": True}),
    ("fptr_table.mo", "fptr_table.c", {}),
    ("globals.mo", "globals.c", {}),
    ("qsort_cb.mo", "qsort_cb.c", {}),
    ("cxx_hello.mo", "cxx_hello.cpp", {}),
    ("div64.mo", "div64.c", {}),
    ("printf_float.mo", "printf_float.c", {}),
    # ET_REL partial links (`--relocatable`): sections placed one by one, a GOT built by the
    # loader (GOT_BREL, BASE_PREL), REL32/TARGET1, and Thumb BL veneers without long calls.
    ("hello.o", "hello.c", {"relocatable": True}),
    ("hello_bl.o", "hello.c", {"relocatable": True, "long_calls": False}),
    ("lib.o", "lib.c", {"relocatable": True, "lib": True}),
    ("globals.o", "globals.c", {"relocatable": True}),
    ("qsort_cb.o", "qsort_cb.c", {"relocatable": True}),
    ("cxx_hello.o", "cxx_hello.cpp", {"relocatable": True}),
)


class PortableDataError(Exception):
    """The firmware or a module cannot be turned into portable test data."""


def _symbol_value(elf, name):
    symtab = elf.get_section_by_name(".symtab")
    if symtab is None:
        return None
    for sym in symtab.get_symbol_by_name(name) or ():
        return sym["st_value"]
    return None


def firmware_facts(path):
    """(flash image bytes, firmware part of the index) of a firmware ELF."""
    with open(path, "rb") as stream:
        elf = ELFFile(stream)
        start = _symbol_value(elf, "__rtmsymtab_start")
        end = _symbol_value(elf, "__rtmsymtab_end")
        if start is None or end is None:
            raise PortableDataError("%s: no __rtmsymtab_start/__rtmsymtab_end symbols "
                                    "(expected an RT-Thread firmware with RTM_EXPORT)" % path)
        flash = None
        for seg in elf.iter_segments():
            if seg["p_type"] == "PT_LOAD" and seg["p_vaddr"] <= start and \
                    end <= seg["p_vaddr"] + seg["p_filesz"]:
                flash = (seg["p_vaddr"], seg.data())
        if flash is None:
            raise PortableDataError("%s: RTMSymTab 0x%08x..0x%08x is in no PT_LOAD segment's "
                                    "file bytes (expected it in flash)" % (path, start, end))
    exports = read_exports(path)
    base, data = flash
    return data, {
        "elf": os.path.basename(path),
        "flash_image": FLASH_IMAGE,
        "flash_base": base,
        "flash_size": len(data),
        "rtmsymtab_start": start,
        "rtmsymtab_end": end,
        "exports": [[name, addr] for name, addr in exports],
    }


def module_facts(path):
    """What pyelftools reads from a module: the reference the portable tests compare with."""
    with open(path, "rb") as stream:
        elf = ELFFile(stream)
        header = elf.header
        facts = {
            "type": ENUM_E_TYPE[header["e_type"]],
            "machine": 40 if header["e_machine"] == "EM_ARM" else -1,
            "entry": header["e_entry"],
            "flags": header["e_flags"],
            "phnum": header["e_phnum"],
            "shnum": header["e_shnum"],
            "shstrndx": header["e_shstrndx"],
            "size": os.path.getsize(path),
            # [p_offset, p_vaddr, p_filesz, p_memsz, p_flags, p_align] of each PT_LOAD
            "load_segments": [
                [seg["p_offset"], seg["p_vaddr"], seg["p_filesz"], seg["p_memsz"],
                 seg["p_flags"], seg["p_align"]]
                for seg in elf.iter_segments() if seg["p_type"] == "PT_LOAD"],
            # [name, sh_type, sh_flags, sh_addr, sh_offset, sh_size, sh_link, sh_info] of
            # every section
            "sections": [
                [sec.name, _number(ENUM_SH_TYPE_ARM, sec.header["sh_type"]),
                 sec.header["sh_flags"], sec.header["sh_addr"], sec.header["sh_offset"],
                 sec.header["sh_size"], sec.header["sh_link"], sec.header["sh_info"]]
                for sec in elf.iter_sections()],
        }
        # The table the loader binds with: .dynsym of a shared object, .symtab of an object.
        facts["symtab"] = ".symtab" if facts["type"] == ENUM_E_TYPE["ET_REL"] else ".dynsym"
        table = elf.get_section_by_name(facts["symtab"])
        if table is None:
            raise PortableDataError("%s: no %s section" % (path, facts["symtab"]))
        # [name, st_value, st_info, st_shndx (0 = undefined), st_size] of every entry
        facts["symbols"] = [
            [sym.name, sym["st_value"],
             (_number(ENUM_ST_INFO_BIND, sym["st_info"]["bind"]) << 4)
             | _number(ENUM_ST_INFO_TYPE, sym["st_info"]["type"]),
             _number(ENUM_ST_SHNDX, sym["st_shndx"]), sym["st_size"]]
            for sym in table.iter_symbols()]
        # [relocation section, r_offset, type, symbol index, symbol name, stored word] of every
        # relocation; the stored word (the REL addend of a word-sized place) is null when the
        # place is not in the file's loaded bytes
        relocations = []
        for sec in elf.iter_sections():
            if not isinstance(sec, RelocationSection):
                continue
            symbols = elf.get_section(sec["sh_link"])
            target = elf.get_section(sec["sh_info"]) if facts["type"] == 1 else None
            for rel in sec.iter_relocations():
                index = rel["r_info_sym"]
                relocations.append([sec.name, rel["r_offset"], rel["r_info_type"], index,
                                    symbols.get_symbol(index).name,
                                    _stored_word(elf, rel["r_offset"], target)])
        facts["relocations"] = relocations
    return facts


def _number(enum, value):
    """pyelftools gives known values as names: back to the number stored in the file."""
    if isinstance(value, int):
        return value
    if value not in enum:
        raise PortableDataError("pyelftools value %r is not in its own enum table" % (value,))
    return enum[value]


def _stored_word(elf, vaddr, section=None):
    """The 32-bit word the file holds at `vaddr` (at that offset in `section` for an object),
    or None outside the loaded bytes."""
    if section is not None:
        if section.header["sh_type"] == "SHT_NOBITS" or vaddr + 4 > section.data_size:
            return None
        return struct.unpack_from("<I", section.data(), vaddr)[0]
    for seg in elf.iter_segments():
        if seg["p_type"] == "PT_LOAD" and seg["p_vaddr"] <= vaddr and \
                vaddr + 4 <= seg["p_vaddr"] + seg["p_filesz"]:
            return struct.unpack_from("<I", seg.data(), vaddr - seg["p_vaddr"])[0]
    return None


def make(out_dir, firmware=DEFAULT_FIRMWARE):
    """Build everything into `out_dir`; returns the index (also written to index.json)."""
    if not os.path.isfile(firmware):
        raise PortableDataError("%s: no firmware (run `make firmware`)" % firmware)
    os.makedirs(out_dir, exist_ok=True)
    index_path = os.path.join(out_dir, INDEX)
    if os.path.exists(index_path):
        os.remove(index_path)
    flash, firmware_index = firmware_facts(firmware)
    with open(os.path.join(out_dir, FLASH_IMAGE), "wb") as f:
        f.write(flash)
    modules = []
    for name, source, options in MODULES:
        path = os.path.join(out_dir, name)
        build_module(os.path.join(SOURCES, source), path, **options)
        facts = module_facts(path)
        facts["file"] = name
        facts["source"] = source
        facts["lib"] = bool(options.get("lib"))
        modules.append(facts)
    index = {"firmware": firmware_index, "modules": modules}
    tmp = index_path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(index, f, indent=1, sort_keys=True)
        f.write("\n")
    os.replace(tmp, index_path)
    return index


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m rtdl.portable_data",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", metavar="OUT_DIR")
    parser.add_argument("--firmware", default=DEFAULT_FIRMWARE, metavar="ELF")
    args = parser.parse_args(argv)
    try:
        index = make(args.out_dir, args.firmware)
    except (PortableDataError, BuildError) as error:
        sys.stderr.write("rtdl.portable_data: error: %s\n" % error)
        return 1
    print("portable data: %d modules, %d exports, %d-byte flash image in %s"
          % (len(index["modules"]), len(index["firmware"]["exports"]),
             index["firmware"]["flash_size"], args.out_dir))
    return 0


if __name__ == "__main__":
    sys.exit(main())
