"""End to end: real modules built by arm-none-eabi-gcc, loaded by dlmodule into the RT-Thread
heap in emulated RAM, bound to the real firmware's RTMSymTab and run on the emulated M4."""
import pytest

from rtdl_device import dlfcn
from rtdl_device import dlmodule
from rtdl_device import kernel
from rtdl_device.rterror import ModuleFault, UnresolvedSymbolError


def run(board, build_module, source, *args, **options):
    return board.exec(build_module(source, **options), *args)


def test_hello_prints_hello_world(board, build_module):
    result = run(board, build_module, "hello.c")
    assert result.output == "Hello, world\n"
    assert result.exit_code == 0 and result.fault is None


def test_lib_add_func_called_on_the_emulated_cpu(board, build_module):
    lib = board.load(build_module("lib.c", lib=True))
    assert board.call(lib, "add_func", 2, 3) == 5
    assert board.call(lib, "add_func", -7, 3) == -4
    assert board.call(lib, "lib_func") == 0
    assert board.console.take() == "lib_func\n"


@pytest.mark.parametrize("name", [
    "fptr_table",      # a static table of strings and function pointers (RELATIVE)
    "globals",         # the module's own preemptible globals (GLOB_DAT to itself)
    "div64",           # 64-bit division through libgcc helpers the firmware exports
    "printf_float",    # %f/%e/%g through full newlib and soft-float helpers
    "qsort_cb",        # firmware qsort/bsearch calling comparators inside the module
])
def test_module_prints_its_expected_output(board, build_module, name):
    result = run(board, build_module, name + ".c")
    assert result.exit_code == 0 and result.fault is None, result
    assert result.output == open_expected(name)


def test_main_return_value_is_the_exit_code(board, build_module):
    assert run(board, build_module, "retcode.c").exit_code == 42


def test_exit_from_nested_function(board, build_module):
    result = run(board, build_module, "exit_code.c")
    assert result.exit_code == 7
    assert result.output == open_expected("exit_code")


def test_argv_with_quotes_reaches_main_unchanged(board, build_module):
    path = build_module("argv.c")
    result = board.exec(path, "one", "two words", "", "x\ty", argv0="argv")
    assert result.output == ("argc=5\nargv[0]=<argv>\nargv[1]=<one>\nargv[2]=<two words>\n"
                             "argv[3]=<>\nargv[4]=<x\ty>\n")


def test_argv_is_limited_to_eight_arguments():
    assert kernel.split_command('a b "c d" e f g h i j k') == ["a", "b", "c d", "e", "f", "g",
                                                               "h", "i"]
    assert kernel.split_command('  lead\t"quoted arg"  tail ') == ["lead", "quoted arg", "tail"]


def test_all_module_memory_returns_to_the_heap(board, build_module):
    board.exec(build_module("hello.c"))          # let libc allocate what it keeps
    before = board.heap.snapshot()
    for source in ("hello.c", "qsort_cb.c", "printf_float.c", "exit_code.c"):
        board.exec(build_module(source))
        board.heap.check()
        assert board.heap.snapshot() == before, source
    assert board.kernel.modules == []


def test_failed_load_leaves_the_heap_exactly_as_before(board, build_module, tmp_path):
    src = tmp_path / "missing.c"
    src.write_text("extern int no_such_function(void);\n"
                   "int main(void) { return no_such_function(); }\n")
    from rtdl.build import build_module as build
    path = build([str(src)], str(tmp_path / "missing.mo"))
    before = board.heap.snapshot()
    with pytest.raises(UnresolvedSymbolError) as info:
        board.load(path)
    assert "no_such_function" in str(info.value) and "missing.mo" in str(info.value)
    assert board.heap.snapshot() == before
    assert "no_such_function" in dlfcn.dlerror()


def test_null_write_faults_and_is_reported(board, build_module):
    before = board.heap.snapshot()
    result = run(board, build_module, "fault_null.c")
    assert result.fault is not None
    assert "fault_nu" in str(result.fault) and "0x00000000" in str(result.fault)
    assert result.exit_code == kernel.EXIT_FAULT
    assert board.heap.snapshot() == before


def test_abort_and_failed_assert_end_the_module_with_exit_code_134(board, build_module):
    result = run(board, build_module, "abort_call.c")
    assert result.output == "abort_call: abort\n"
    assert result.fault.kind == "abort" and "abort called (module aborted)" in str(result.fault)
    assert result.exit_code == kernel.EXIT_ABORT == 134
    result = run(board, build_module, "abort_call.c", "assert")
    assert result.fault.kind == "abort" and "assert -> abort" in str(result.fault)
    assert result.exit_code == kernel.EXIT_ABORT


def test_stack_overflow_is_caught_and_named(board, build_module):
    before = board.heap.snapshot()
    result = run(board, build_module, "stack_hog.c")
    assert result.fault is not None
    assert "stack overflow" in str(result.fault) and "stack_ho" in str(result.fault)
    board.heap.check()
    assert board.heap.snapshot() == before


def test_small_stack_is_enough_when_not_recursing(board, build_module):
    result = run(board, build_module, "stack_hog.c", "0")
    assert result.fault is None and result.exit_code == 0


def test_endless_loop_times_out(board, build_module):
    path = build_module("spin.c")
    module = dlmodule.exec(path)
    board.run(timeout=0.2)
    assert module.fault is not None and "timed out" in str(module.fault)
    assert module.ret_code == kernel.EXIT_TIMEOUT
    assert module.fault.kind == "timeout"


def test_module_objects_follow_rt_thread(board, build_module):
    lib = board.load(build_module("lib.c", lib=True))
    assert lib.name == "lib"
    assert dlmodule.find("lib") is lib
    assert lib.nref == 1 and lib.state == kernel.STAT_INIT
    assert lib.mem_space and lib.mem_size >= 0x100 and lib.entry == 0
    assert set(["lib_func", "add_func"]) <= set(lib.symbols)
    assert dlmodule.symbol_find("printf") == board.exports.find("printf") != 0
    assert dlmodule.symbol_find("no_such_export") == 0
    assert dlmodule.self() is None


def test_cxx_constructors_and_destructors(board, build_module):
    result = run(board, build_module, "cxx_hello.cpp")
    assert result.exit_code == 0, result
    assert result.output == open_expected("cxx_hello")


def open_expected(name):
    import os
    path = os.path.join(os.path.dirname(__file__), "modules", "expected", name + ".txt")
    with open(path) as f:
        return f.read()


def test_kernel_stack_overflow_faults_before_the_heap(board, tmp_path):
    src = tmp_path / "deep.c"
    src.write_text("int deep(int n)\n{\n    volatile char frame[512];\n    frame[0] = (char)n;\n"
                   "    return n ? deep(n - 1) + frame[0] : 0;\n}\n")
    from rtdl.build import build_module as build
    lib = board.load(build([str(src)], str(tmp_path / "deep.so"), lib=True))
    assert board.call(lib, "deep", 4) == 4 + 3 + 2 + 1
    before = board.heap.snapshot()
    with pytest.raises(ModuleFault, match="kernel stack overflow"):
        board.call(lib, "deep", 100)            # about 52 KiB of frames on an 8 KiB stack
    board.heap.check()
    assert board.heap.snapshot() == before
