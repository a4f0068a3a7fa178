"""C++ modules: global constructors from .init_array at load, in array order; destructors
(__aeabi_atexit registrations, then .fini_array) at unload in reverse; module_init and
module_cleanup around them (the order is documented on Kernel.load_steps/destroy_steps);
operator new/delete pairs; a C++ library opened and closed from Python."""
import os
import struct

from elftools.elf.elffile import ELFFile

MODULES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "modules")

# What each start-up function of cxx_order.cpp prints.
_STARTUP_OUTPUT = {
    "_ZL13c_constructorv": ["C constructor"],
    "_GLOBAL__sub_I_cxx_order.cpp": ["construct first", "construct second", "construct third"],
}


def expected(name):
    with open(os.path.join(MODULES, "expected", name + ".txt")) as f:
        return f.read()


def array_functions(path, section):
    """Names of the functions listed in `section` (.init_array/.fini_array), in array order."""
    with open(path, "rb") as f:
        elf = ELFFile(f)
        sec = elf.get_section_by_name(section)
        words = struct.unpack("<%dI" % (sec.data_size // 4), sec.data())
        names = {}
        for sym in elf.get_section_by_name(".symtab").iter_symbols():
            if sym["st_info"]["type"] == "STT_FUNC":
                names[sym["st_value"] & ~1] = sym.name
    return [names[w & ~1] for w in words]


def test_constructors_and_destructors_run_in_order(board, build_module):
    # keep_hash: not stripped, so the test can name the .init_array entries
    path = build_module("cxx_order.cpp", keep_hash=True)
    init = array_functions(path, ".init_array")
    assert sorted(init) == sorted(_STARTUP_OUTPUT)
    assert array_functions(path, ".fini_array") == ["_ZL12c_destructorv"]
    before = board.heap.snapshot()
    result = board.exec(path)
    assert result.exit_code == 0 and result.fault is None, result
    assert result.output == expected("cxx_order")
    lines = result.output.splitlines()
    startup = []
    for name in init:
        startup += _STARTUP_OUTPUT[name]
    assert lines[:len(startup)] == startup                       # .init_array order
    assert lines[len(startup)].startswith("module_init(cxx_orde)")  # then module_init
    cleanup = lines.index("module_cleanup(cxx_orde): first is alive")
    # atexit-registered destructors in reverse order of registration (the function-local
    # static was registered last, in main), then .fini_array in reverse
    assert lines[cleanup + 1:] == ["destroy local static", "destroy third", "destroy second",
                                   "destroy first", "C destructor"]
    assert board.heap.snapshot() == before


def test_global_destructors_are_registered_with_the_module(board, build_module):
    module = board.load(build_module("cxx_order.cpp"))
    assert len(module.atexit) == 3                 # first, second, third (in .init_array)
    assert all(module.contains(fn) for fn, _ in module.atexit)
    assert board.console.take().count("construct ") == 3
    board.dlclose(module)
    output = board.console.take().splitlines()
    assert output == ["module_cleanup(cxx_orde): first is alive", "destroy third",
                      "destroy second", "destroy first", "C destructor"]


def test_new_and_delete_pairs_leave_the_heap_as_before(board, build_module):
    path = build_module("cxx_order.cpp")
    with open(path, "rb") as f:
        imports = set(s.name for s in ELFFile(f).get_section_by_name(".dynsym").iter_symbols()
                      if s["st_shndx"] == "SHN_UNDEF")
    # new, delete (sized), new[], delete[]: really called, not elided by the compiler
    assert set(["_Znwj", "_ZdlPvj", "_Znaj", "_ZdaPv"]) <= imports
    before = board.heap.snapshot()
    result = board.exec(path)
    assert "heap after new/delete pairs: as before\n" in result.output
    assert "construct array 0\nconstruct array 1\ndestroy array 1\ndestroy array 0\n" \
        in result.output
    assert result.module.reclaimed == 0            # nothing was left for the kernel to free
    assert board.heap.snapshot() == before


def test_cxx_library_opened_from_python_destroys_its_objects_once(board, build_module):
    path = build_module("cxx_lib.cpp", lib=True)
    before = board.heap.snapshot()
    lib = board.dlopen(path)
    assert board.console.take() == "cxx_lib: open uart\ncxx_lib: open spi\n"
    assert board.call(lib, "cxx_lib_alive") == 2
    assert board.dlopen(path) is lib and lib.nref == 2
    assert board.console.take() == ""              # constructors do not run again
    assert board.dlclose(lib) == 0
    assert board.console.take() == ""              # still open once
    assert board.call(lib, "cxx_lib_alive") == 2
    assert board.dlclose(lib) == 0
    assert board.console.take() == "cxx_lib: close spi\ncxx_lib: close uart\n"
    assert board.heap.snapshot() == before and board.kernel.modules == []


def test_cxx_hello_still_destroys_its_greeter_at_exit(board, build_module):
    result = board.exec(build_module("cxx_hello.cpp"))
    assert result.output.endswith("total area 37\nGreeter(cxx_hello) destroyed\n")
