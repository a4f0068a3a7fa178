"""The C API of dlmodule and libdl used from inside modules (dlopen, dlsym, dlclose, dlerror,
dlmodule_self/find/load/exec/symbol_find, rt_memory_info), services that run target code
for their caller (constructors and module_init of a library a module opens), and the symbol
rules: what a module's table holds, undefined weak imports, "\\177RTM" pre-linked files."""
import os
import struct

import pytest
from elftools.elf.elffile import ELFFile

from rtdl_device import dlfcn
from rtdl_device import dlmodule
from rtdl_device.rterror import ModuleFault, UnresolvedSymbolError

MODULES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "modules")


def expected(name):
    with open(os.path.join(MODULES, "expected", name + ".txt")) as f:
        return f.read()


def run_clean(board, path, *args):
    """Run a module; everything it and the modules it opened allocated must be freed."""
    before = board.heap.snapshot()
    result = board.exec(path, *args)
    board.heap.check()
    assert board.heap.snapshot() == before, result
    assert board.kernel.modules == []
    return result


# --------------------------------------------------------------------------- libdl from C ---
def test_dlopen_dlsym_dlclose_and_dlerror_from_a_module(board, build_module):
    result = run_clean(board, build_module("dl_user.c"), build_module("lib.c", lib=True), "lib")
    assert result.exit_code == 0 and result.fault is None, result
    assert result.output == expected("dl_user")


def test_library_hooks_and_constructors_run_for_a_module_that_opens_it(board, build_module):
    # module_init, module_cleanup, the constructor and the destructor are target code that
    # the dlopen/dlclose services run on the calling module's thread before they return.
    result = run_clean(board, build_module("dl_user.c"), build_module("lib_hooks.c", lib=True),
                       "lib_hook")
    assert result.exit_code == 0 and result.fault is None, result
    assert result.output == expected("dl_user-lib_hooks")


def test_a_constructor_that_opens_another_library(board, build_module, monkeypatch):
    build_module("lib_hooks.c", lib=True)
    nested = build_module("lib_nested.c", lib=True)
    monkeypatch.chdir(os.path.dirname(nested))     # lib_nested opens "lib_hooks.so"
    result = run_clean(board, build_module("dl_user.c"), "lib_nested.so", "lib_nest")
    assert result.exit_code == 0 and result.fault is None, result
    assert result.output == expected("dl_user-lib_nested")


def test_a_constructor_that_opens_another_library_from_python(board, build_module,
                                                               monkeypatch):
    # No module thread here: the constructors run on the kernel stack, and the nested
    # dlopen's own constructors must run there too.
    build_module("lib_hooks.c", lib=True)
    nested = build_module("lib_nested.c", lib=True)
    monkeypatch.chdir(os.path.dirname(nested))
    before = board.heap.snapshot()
    lib = board.dlopen("lib_nested.so")
    assert sorted(m.name for m in board.kernel.modules) == ["lib_hook", "lib_nest"]
    assert board.call(lib, "add_func", 4, 5) == 90
    assert board.dlclose(lib) == 0
    output = board.console.take()
    assert output.index("lib_nested: constructor opened lib_hooks: yes") < \
        output.index("lib_nested: destructor closes lib_hooks: 0")
    assert output.count("lib_hooks: constructor") == output.count("lib_hooks: destructor") == 1
    assert board.heap.snapshot() == before and board.kernel.modules == []


def test_dlopen_of_a_library_that_cannot_load_returns_null(board, build_module):
    broken = build_module("lib_broken.c", lib=True)
    result = run_clean(board, build_module("dl_user.c"), broken, "lib_brok")
    assert result.exit_code == 1, result
    last = result.output.splitlines()[-1]
    assert last.startswith("dlopen failed: %s: " % broken)
    assert "rtdl_not_exported" in last


def test_a_faulting_library_constructor_leaves_nothing_behind(board, build_module):
    lib = build_module("lib_ctor_fault.c", lib=True)
    before = board.heap.snapshot()
    with pytest.raises(ModuleFault) as info:
        board.dlopen(lib)
    assert "lib_ctor+0x" in str(info.value)
    assert board.console.take() == "lib_ctor_fault: constructor writes to NULL\n"
    assert board.heap.snapshot() == before and board.kernel.modules == []
    # opened by a module, the fault ends the caller (its thread ran the constructor), and
    # the half-loaded library goes with it
    result = run_clean(board, build_module("dl_user.c"), lib, "lib_ctor")
    assert result.fault is not None and "lib_ctor+0x" in str(result.fault)
    assert result.output.endswith("lib_ctor_fault: constructor writes to NULL\n")


def test_dlmodule_load_exec_and_memory_info_from_a_module(board, build_module):
    result = run_clean(board, build_module("dl_exec.c"), build_module("argv.c"),
                       build_module("lib_hooks.c", lib=True))
    assert result.exit_code == 0 and result.fault is None, result
    # the program started by dlmodule_exec runs on its own thread of the same priority: it
    # runs while its starter yields, or earlier if the starter's time slice (its own CPU time)
    # ends first. Each module's lines keep their order, and the starter sees it gone.
    lines, wanted = result.output.splitlines(), expected("dl_exec").splitlines()
    child = [line for line in wanted if line.startswith(("argc=", "argv["))]
    assert [line for line in lines if line in child] == child
    assert [line for line in lines if line not in child] == \
        [line for line in wanted if line not in child]
    assert lines[-1] == "dl_exec: argv is gone" and len(lines) == len(wanted)


def test_dlmodule_self_is_the_calling_module(board, build_module):
    assert dlmodule.self() is None                  # no module thread is running
    module = dlmodule.exec(build_module("dl_user.c"), "dl_user %s lib"
                           % build_module("lib.c", lib=True))
    board.run()
    assert board.console.take().startswith("self: dl_user (entry is main: yes)\n")
    assert module.ret_code == 0


def test_dlerror_text_goes_with_the_module_that_read_it(board, build_module):
    # the last message a module reads stays valid after that call (POSIX), until its
    # next dlerror() or its end; it is not left behind in the heap
    before = board.heap.snapshot()
    result = board.exec(build_module("dl_user.c"), build_module("lib.c", lib=True), "lib")
    assert "dlerror names the stale handle: yes" in result.output
    assert board.heap.snapshot() == before
    assert board.kernel._dlerror_block == 0


# ------------------------------------------------------------------------------ symbols ----
def _dynsym(path):
    with open(path, "rb") as f:
        return [(s.name, s["st_info"]["bind"], s["st_info"]["type"], s["st_shndx"])
                for s in ELFFile(f).get_section_by_name(".dynsym").iter_symbols()]


def test_module_table_holds_defined_globals_and_weaks_only(board, build_module):
    path = build_module("sym_lib.c", lib=True)
    entries = _dynsym(path)
    undefined = set(name for name, _, _, shndx in entries if name and shndx == "SHN_UNDEF")
    assert set(["printf", "maybe"]) <= undefined
    lib = board.dlopen(path)
    assert set(lib.symbols) == set(["lib_counter", "lib_version", "weak_limit", "weak_hook",
                                    "bump", "call_maybe"])
    for name in sorted(undefined) + ["hidden_helper", "_stack", ".rodata", ""]:
        assert dlfcn.dlsym(lib, name) == 0, name
    for name, address in lib.symbols.items():
        assert lib.contains(address), name
    assert dlfcn.dlsym(lib, "weak_hook") & 1                       # Thumb function
    assert board.call(lib, "weak_hook", 4) == 13
    assert board.memory.read32(dlfcn.dlsym(lib, "weak_limit")) == 7
    assert board.call(lib, "call_maybe") == -1                     # maybe resolved to 0
    assert lib.image.weak_zero == ["maybe"]
    board.dlclose(lib)


def test_undefined_weak_import_resolves_to_zero(board, build_module):
    path = build_module("weak_import.c")
    weak = set(name for name, bind, _, shndx in _dynsym(path)
               if bind == "STB_WEAK" and shndx == "SHN_UNDEF")
    assert weak == set(["maybe", "atoi"])
    module = dlmodule.exec(path)
    assert module.image.weak_zero == ["maybe"]       # atoi is exported: bound, not zero
    board.run()
    assert module.ret_code == 0 and module.fault is None
    assert board.console.take() == expected("weak_import")


def _prelink(board, path, out):
    """What a host pre-linker does for this firmware: the final address of every import is
    written at its place (board_puts gets puts), then the magic becomes "\\177RTM"."""
    data = bytearray(open(path, "rb").read())
    with open(path, "rb") as f:
        elf = ELFFile(f)
        rel = elf.get_section_by_name(".rel.dyn")
        symtab = elf.get_section(rel["sh_link"])
        types = []
        for entry in rel.iter_relocations():
            sym = symtab.get_symbol(entry["r_info_sym"])
            if sym["st_shndx"] != "SHN_UNDEF":
                continue                                  # the module's own: the loader's job
            address = board.exports.find("puts" if sym.name == "board_puts" else sym.name)
            assert address, sym.name
            offset = list(elf.address_offsets(entry["r_offset"]))[0]
            word = struct.unpack_from("<I", data, offset)[0]
            if entry["r_info_type"] == 2:                 # R_ARM_ABS32: S + A
                word += address
            else:                                         # GLOB_DAT: S
                word = address
            struct.pack_into("<I", data, offset, word)
            types.append((sym.name, entry["r_info_type"]))
    data[0:4] = b"\x7fRTM"
    with open(out, "wb") as f:
        f.write(bytes(data))
    return types


def test_prelinked_rtm_file_keeps_its_imports(board, build_module, tmp_path):
    path = build_module("prelinked.c")
    before = board.heap.snapshot()
    with pytest.raises(UnresolvedSymbolError) as info:
        board.load(path)                                  # as "\177ELF": must be resolved
    assert info.value.names == ["board_puts"]
    rtm = str(tmp_path / "prelinked.mo")
    types = _prelink(board, path, rtm)
    # an ABS32 import would be added twice if the loader resolved it again
    assert ("puts", 2) in types and ("board_puts", 21) in types
    result = board.exec(rtm)
    assert result.fault is None and result.exit_code == 0, result
    assert result.output == ("prelinked: board_puts through the GOT\n"
                             "prelinked: puts through a data pointer\n")
    assert board.heap.snapshot() == before
