"""The 14 defects of RT-Thread's dlmodule (docs: /work/shared/reference/rt-thread-dlmodule-
behaviour.md, "Defects of the reference implementation"), each shown fixed. Every test uses
real modules where the defect can be seen with one, and asserts something that RT-Thread's
behaviour would fail."""
import os
import shutil
import struct

import pytest
from elftools.elf.elffile import ELFFile

from rtdl_device import arm_reloc
from rtdl_device import dlfcn
from rtdl_device import dlmodule
from rtdl_device import kernel
from rtdl_device import loader
from rtdl_device.rterror import (ElfError, ModuleStateError, RelocationError, RtdlError,
                     UnresolvedSymbolError)

MODULES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "modules")


def expected(name):
    with open(os.path.join(MODULES, "expected", name + ".txt")) as f:
        return f.read()


class Rel:
    """One REL entry of a built file: where its r_info word is in the file, and what it says."""

    def __init__(self, info_offset, offset, rtype, sym_index, sym_name, section):
        self.info_offset = info_offset
        self.offset = offset
        self.type = rtype
        self.sym_index = sym_index
        self.sym_name = sym_name
        self.section = section


def relocations(path):
    """Every REL entry of the file, read with pyelftools (independent of the loader)."""
    result = []
    with open(path, "rb") as f:
        elf = ELFFile(f)
        for sec in elf.iter_sections():
            if sec["sh_type"] != "SHT_REL":
                continue
            symtab = elf.get_section(sec["sh_link"])
            for i, rel in enumerate(sec.iter_relocations()):
                sym = symtab.get_symbol(rel["r_info_sym"])
                result.append(Rel(sec["sh_offset"] + 8 * i + 4, rel["r_offset"],
                                  rel["r_info_type"], rel["r_info_sym"], sym.name, sec.name))
    return result


def find_rel(path, rtype, sym_name):
    for rel in relocations(path):
        if rel.type == rtype and rel.sym_name == sym_name:
            return rel
    raise AssertionError("%s has no relocation of type %d against %s" % (path, rtype, sym_name))


def patched(tmp_path, path, name, edits):
    """A copy of `path` called `name` with (file offset, bytes) edits applied."""
    data = bytearray(open(path, "rb").read())
    for offset, raw in edits:
        data[offset:offset + len(raw)] = raw
    out = tmp_path / name
    out.write_bytes(bytes(data))
    return str(out)


def assert_load_fails(board, path, error_type, *words):
    """The load raises `error_type` naming the file and `words`, and changes nothing."""
    before = board.heap.snapshot()
    with pytest.raises(error_type) as info:
        board.load(path)
    message = str(info.value)
    assert os.path.basename(path) in message, message
    for word in words:
        assert word in message, (word, message)
    assert board.heap.snapshot() == before
    assert board.kernel.modules == []
    return message


# 1 ------------------------------------------------------------------------------------------
def test_defect_01_thumb_bl_is_written_at_its_place():
    # A BL at byte 4 between guard patterns; RT-Thread wrote it at `(Elf32_Addr *)where + 2`,
    # the 8 bytes after the place.
    original = b"\xa5" * 4 + struct.pack("<HH", 0xF7FF, 0xFFFE) + b"\x5a" * 8
    image = bytearray(original)
    place, target = 0x20001004, 0x20003001
    arm_reloc.relocate(10, image, 4, place, target, arm_reloc.RelocContext(), None, True)
    assert image[:4] == original[:4]
    assert image[8:16] == original[8:16]
    assert image[4:8] != original[4:8]
    # the BL now reaches the target: S - P + A with A = -4, the addend stored in the place
    assert arm_reloc.read_addend(10, image, 4) == (target & ~1) - 4 - place


def test_defect_01_thumb_bl_in_a_real_et_rel_module(board, build_module):
    path = build_module("rel_calls.c", relocatable=True, long_calls=False)
    calls = [rel for rel in relocations(path) if rel.type == 10]     # R_ARM_THM_CALL
    assert len(calls) >= 2, "the module must really contain Thumb BL relocations"
    before = board.heap.snapshot()
    result = board.exec(path)
    assert result.fault is None and result.exit_code == 0, result
    assert result.output == expected("rel_calls")
    assert board.heap.snapshot() == before


# 2 ------------------------------------------------------------------------------------------
def test_defect_02_one_unresolved_symbol_does_not_poison_later_loads(board, build_module):
    broken = build_module("lib_broken.c", lib=True)
    first = assert_load_fails(board, broken, UnresolvedSymbolError, "rtdl_not_exported")
    lib = board.load(build_module("lib.c", lib=True))
    assert board.call(lib, "add_func", 20, 22) == 42
    board.dlclose(lib)
    result = board.exec(build_module("hello.c"))
    assert result.exit_code == 0 and result.output == "Hello, world\n"
    # the broken module still fails, for its own reason only
    assert assert_load_fails(board, broken, UnresolvedSymbolError) == first


# 3 ------------------------------------------------------------------------------------------
def test_defect_03_requested_stack_size_is_applied(board, build_module):
    module = dlmodule.exec(build_module("thread_cfg.c"))
    thread = module.threads[0]
    assert module.stack_size == thread.stack_size == 3072
    assert module.stack_size != kernel.DEFAULT_STACK_SIZE
    usable = thread.stack_top - (thread.stack + kernel.STACK_GUARD)
    assert 3072 - 8 < usable <= 3072
    # struct rt_dlmodule.stack_size (offset 20) as a C caller of dlmodule_self() sees it
    assert board.memory.read32(module.handle + 20) == 3072
    bottom, top = thread.stack + kernel.STACK_GUARD, thread.stack_top
    board.run()
    lines = board.console.take().splitlines()
    assert lines[0] == "thread_cfg: priority 12, stack_size 3072"
    local = int(lines[1].rsplit(" ", 1)[1], 16)
    assert bottom <= local < top, "main's locals must live on the 3072-byte stack"


# 4 ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name, edits, words", [
    ("bad_magic.mo", [(0, b"\x7fELG")], ["magic"]),
    ("elf64.mo", [(4, b"\x02")], ["class 2"]),
    ("exec_type.mo", [(16, struct.pack("<H", 2))], ["ELF type 2"]),
    ("no_segments.mo", [(44, struct.pack("<H", 0))], ["PT_LOAD"]),
    ("phoff_past_end.mo", [(28, struct.pack("<I", 0x7FFFFF00))], ["program headers"]),
])
def test_defect_04_a_bad_elf_does_not_load(board, build_module, tmp_path, name, edits, words):
    path = patched(tmp_path, build_module("hello.c"), name, edits)
    assert_load_fails(board, path, ElfError, *words)
    assert dlfcn.dlerror() is not None


def test_defect_04_dlopen_of_a_bad_elf_returns_null_to_c(board, build_module, tmp_path):
    path = patched(tmp_path, build_module("lib.c", lib=True), "truncated.so", [])
    with open(path, "r+b") as f:
        f.truncate(40)
    before = board.heap.snapshot()
    result = board.exec(build_module("dl_user.c"), path, "truncate")
    assert result.exit_code == 1, result
    failure = result.output.splitlines()[-1]
    assert failure.startswith("dlopen failed: %s: " % path) and "too short" in failure
    assert board.heap.snapshot() == before


# 5 ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("path, name", [
    ("/a.b/c", "c"),                              # RT-Thread: negative length
    ("/dir.x/hello.mo", "hello"),
    ("/dir.x/hello", "hello"),
    (".hidden.mo", ".hidden"),
    ("/modules/.hidden", ".hidden"),
    ("averyveryverylongname.mo", "averyver"),     # RT-Thread: one byte past name[]
    ("/bin/lib.so", "lib"),
])
def test_defect_05_module_names_stay_inside_their_buffer(path, name):
    assert loader.module_name(path) == name


def test_defect_05_a_long_name_in_a_dotted_directory_loads(board, build_module, tmp_path):
    directory = tmp_path / "dir.x"
    directory.mkdir()
    path = directory / "averyveryverylongname.so"
    shutil.copy(build_module("lib.c", lib=True), str(path))
    module = board.load(str(path))
    assert module.name == "averyver"
    raw = board.memory.read(module.handle, 16)
    assert raw[:12] == b"averyver\0\0\0\0"        # NUL-terminated inside char name[12]
    assert raw[12] == kernel.STAT_INIT             # the byte after the name is untouched
    assert struct.unpack_from("<H", raw, 14)[0] == 1
    assert dlmodule.find("averyver") is module


# 6 ------------------------------------------------------------------------------------------
def test_defect_06_relocation_offset_outside_the_module_is_refused(board, build_module,
                                                                   tmp_path):
    source = build_module("hello.c")
    rel = find_rel(source, 21, "puts")
    path = patched(tmp_path, source, "far_offset.mo",
                   [(rel.info_offset - 4, struct.pack("<I", 0x7FFFFFF0))])
    assert_load_fails(board, path, RelocationError, "0x7ffffff0", "puts", "outside")


def test_defect_06_symbol_index_outside_the_table_is_refused(board, build_module, tmp_path):
    source = build_module("hello.c")
    rel = find_rel(source, 21, "puts")
    path = patched(tmp_path, source, "far_symbol.mo",
                   [(rel.info_offset, struct.pack("<I", (0xFFFF << 8) | 21))])
    assert_load_fails(board, path, RelocationError, "symbol index 65535", "out of range")


def test_defect_06_section_headers_past_the_end_are_refused(board, build_module, tmp_path):
    path = patched(tmp_path, build_module("hello.c"), "far_sections.mo",
                   [(32, struct.pack("<I", 0x00FFFF00))])
    assert_load_fails(board, path, ElfError, "section headers")


# 7 ------------------------------------------------------------------------------------------
def test_defect_07_dlopen_twice_returns_the_same_module(board, build_module, tmp_path):
    path = build_module("lib.c", lib=True)
    before = board.heap.snapshot()
    first = board.dlopen(path)
    used = board.heap_info()[1]
    again = board.dlopen(path)
    # the same file under another directory is the same module (RT-Thread named by basename
    # but searched by full path, so it loaded a copy every time)
    other = tmp_path / "lib.so"
    shutil.copy(path, str(other))
    third = board.dlopen(str(other))
    assert again is first and third is first
    assert first.nref == 3
    assert board.memory.read(first.handle + 14, 2) == struct.pack("<H", 3)
    assert board.heap_info()[1] == used
    assert len(board.kernel.modules) == 1
    for remaining in (2, 1):
        assert board.dlclose(first) == 0
        assert first.nref == remaining and dlmodule.find("lib") is first
    assert board.dlclose(first) == 0
    assert dlmodule.find("lib") is None
    assert board.heap.snapshot() == before


# 8 ------------------------------------------------------------------------------------------
def test_defect_08_dlsym_finds_data_and_never_imports(board, build_module, tmp_path):
    source = build_module("sym_lib.c", lib=True)
    # Typed as a function, as armcc emits imports: RT-Thread's dlsym then returned
    # mem_space + 0 for it.
    with open(source, "rb") as f:
        elf = ELFFile(f)
        dynsym = elf.get_section_by_name(".dynsym")
        index = [i for i, s in enumerate(dynsym.iter_symbols()) if s.name == "printf"][0]
        assert dynsym.get_symbol(index)["st_shndx"] == "SHN_UNDEF"
        info_offset = dynsym["sh_offset"] + 16 * index + 12
    path = patched(tmp_path, source, "sym_lib.so", [(info_offset, b"\x12")])  # GLOBAL FUNC
    lib = board.dlopen(path)
    assert dlfcn.dlsym(lib, "printf") == 0
    assert "printf" in dlfcn.dlerror()
    counter = dlfcn.dlsym(lib, "lib_counter")
    assert lib.contains(counter)
    assert board.memory.read32(counter) == 41
    assert board.call(lib, "bump") == 42                 # the module sees the same object
    assert board.memory.read32(counter) == 42
    assert board.console.take() == "sym_lib: bump 41\n"
    version = dlfcn.dlsym(lib, "lib_version")
    assert board.memory.read(version, 12) == b"sym_lib 1.0\0"
    board.dlclose(lib)


# 9 ------------------------------------------------------------------------------------------
def test_defect_09_an_unknown_relocation_type_fails_the_load(board, build_module, tmp_path):
    source = build_module("hello.c")
    rel = find_rel(source, 21, "puts")
    assert 0x7E not in arm_reloc.RELOCATIONS
    path = patched(tmp_path, source, "type_7e.mo",
                   [(rel.info_offset, struct.pack("<I", (rel.sym_index << 8) | 0x7E))])
    assert_load_fails(board, path, RelocationError, "type 126", "0x%x" % rel.offset, "'puts'")


def test_defect_09_an_out_of_range_branch_fails_the_load(board, build_module, tmp_path):
    # The GOT slot of puts relabelled as a Thumb BL: puts is in flash, the module in RAM,
    # far beyond the +-16 MiB a BL reaches.
    source = build_module("hello.c")
    rel = find_rel(source, 21, "puts")
    path = patched(tmp_path, source, "far_call.mo",
                   [(rel.info_offset, struct.pack("<I", (rel.sym_index << 8) | 10))])
    assert_load_fails(board, path, RelocationError, "R_ARM_THM_CALL", "0x%x" % rel.offset,
                      "'puts'", "out of range")


# 10 -----------------------------------------------------------------------------------------
def test_defect_10_init_and_fini_arrays_run(board, build_module):
    lib = board.dlopen(build_module("lib_hooks.c", lib=True))
    assert lib.image.init_array and lib.image.fini_array
    assert board.console.take() == ("lib_hooks: constructor\n"
                                    "lib_hooks: module_init(lib_hook) ready=1 nref=1\n")
    assert board.call(lib, "add_func", 1, 2) == 3        # -1 if the constructor had not run
    board.dlclose(lib)
    assert board.console.take() == ("lib_hooks: module_cleanup(lib_hook) nref=0\n"
                                    "lib_hooks: atexit handler\n"
                                    "lib_hooks: destructor\n")
    result = board.exec(build_module("cxx_hello.cpp"))
    assert result.output.startswith("Greeter(cxx_hello) constructed\n")


# 11 -----------------------------------------------------------------------------------------
def _section_names(path):
    with open(path, "rb") as f:
        elf = ELFFile(f)
        return [(sec.name, sec["sh_flags"]) for sec in elf.iter_sections()]


@pytest.mark.parametrize("options, needed", [
    ({}, ("R_ARM_GOT_BREL", "R_ARM_BASE_PREL")),
    ({"extra_cflags": ("-fno-pic", "-mpure-code")},
     ("R_ARM_THM_MOVW_ABS_NC", "R_ARM_THM_MOVT_ABS")),
])
def test_defect_11_et_rel_sections_and_relocations(board, build_module, options, needed):
    path = build_module("rel_sections.c", relocatable=True, **options)
    types = set(arm_reloc.type_name(rel.type) for rel in relocations(path))
    assert set(needed) <= types
    sections = _section_names(path)
    merge_strings = 0x10 | 0x20                  # SHF_MERGE | SHF_STRINGS
    assert [n for n, flags in sections if n.startswith(".rodata") and
            flags & merge_strings == merge_strings]
    assert len([n for n, _ in sections if n.startswith(".text.")]) >= 2
    assert [n for n, _ in sections if n.startswith(".bss.")]
    assert [n for n, _ in sections if n.startswith(".data.")]
    before = board.heap.snapshot()
    result = board.exec(path)
    assert result.fault is None and result.exit_code == 0, result
    assert result.output == expected("rel_sections")
    assert board.heap.snapshot() == before


# 12 -----------------------------------------------------------------------------------------
def test_defect_12_dlerror_tells_what_failed_and_dlclose_returns_0(board, build_module):
    lib = board.dlopen(build_module("lib.c", lib=True))
    assert dlfcn.dlerror() is None
    assert dlfcn.dlsym(lib, "no_such_func") == 0
    message = dlfcn.dlerror()
    assert "no_such_func" in message and "lib" in message and message != "TODO"
    assert dlfcn.dlerror() is None                 # reading clears it, as POSIX says
    assert board.dlclose(lib) == 0
    with pytest.raises(ModuleStateError):
        board.dlclose(lib)
    assert "not an open module handle" in dlfcn.dlerror()
    # and from C
    result = board.exec(build_module("dl_user.c"), build_module("lib.c", lib=True), "lib")
    assert "dlclose = 0\n" in result.output
    assert "dlerror: dlsym: lib: undefined symbol 'no_such_func'\n" in result.output


# 13 -----------------------------------------------------------------------------------------
def test_defect_13_main_return_value_and_exit_code_are_kept(board, build_module):
    assert board.exec(build_module("retcode.c")).exit_code == 42
    assert board.exec(build_module("exit_code.c")).exit_code == 7
    assert board.exec(build_module("thread_cfg.c"), "-3").exit_code == -3
    module = dlmodule.exec(build_module("retcode.c"))
    board.run()
    assert module.ret_code == 42 and module.state == kernel.STAT_CLOSED


# 14 -----------------------------------------------------------------------------------------
def test_defect_14_default_priority_is_not_the_idle_priority(board, build_module):
    idle = kernel.RT_THREAD_PRIORITY_MAX - 1
    module = dlmodule.exec(build_module("hello.c"))
    assert module.threads[0].priority == module.priority == kernel.DEFAULT_PRIORITY
    assert module.priority < idle
    assert struct.unpack("<H", board.memory.read(module.handle + 16, 2))[0] < idle
    board.run()
    configured = dlmodule.exec(build_module("thread_cfg.c"))
    assert configured.threads[0].priority == 12
    board.run()
    assert board.console.take().count("priority 12") == 1


def test_defect_14_a_priority_out_of_range_is_refused(board, build_module, tmp_path):
    source = build_module("thread_cfg.c")
    with open(source, "rb") as f:
        elf = ELFFile(f)
        sym = elf.get_section_by_name(".dynsym").get_symbol_by_name(
            "dlmodule_thread_priority")[0]
        offset = list(elf.address_offsets(sym["st_value"]))[0]
    path = patched(tmp_path, source, "prio_32.mo", [(offset, struct.pack("<H", 32))])
    assert_load_fails(board, path, RtdlError, "dlmodule_thread_priority 32", "0..31")
