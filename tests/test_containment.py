"""Containment of faulty modules (issue 10): deliberately faulty modules of
tests/modules/faulty/ end as a clear fault of that module - naming it, the service and what
happened - never a host exception; afterwards no module, thread or object is left, the heap
passes its walk and is exactly as before, and a normal module runs on the same board."""
import os
import re
import shutil
import subprocess
import sys

import pytest

from rtdl.build import build_module as _build
from rtdl_device.services import service_number

FAULTY = os.path.join(os.path.dirname(os.path.abspath(__file__)), "modules", "faulty")
SVC_DEFINES = ["SVC_CONSOLE_WRITE=%d" % service_number("__rtdl_console_write"),
               "SVC_ABORT=%d" % service_number("__rtdl_abort"),
               "SVC_RESUME=%d" % service_number("__rtdl_resume")]


@pytest.fixture(scope="session")
def faulty(tmp_path_factory):
    """faulty("bad_args") -> path of tests/modules/faulty/bad_args.c built (once)."""
    out_dir = str(tmp_path_factory.mktemp("faulty"))
    built = {}

    def build(name, defines=(), lib=False):
        key = (name, tuple(defines), lib)
        if key not in built:
            # a library keeps its stem as its module name (programs look it up by name)
            out = os.path.join(out_dir, name + ".so" if lib else "%s%d.mo" % (name, len(built)))
            _build([os.path.join(FAULTY, name + ".c")], out, defines=list(defines),
                   extra_cflags=["-w"], lib=lib)
            # the module name RT-Thread derives from the file is at most 8 characters
            built[key] = out
        return built[key]
    return build


def contained(board, build_module, path, *args, timeout=5, resident=()):
    """Run a module that misbehaves; check nothing of it is left and the board still works
    (`resident`: the modules the test loaded before, which stay)."""
    before = board.heap.snapshot()
    result = board.exec(path, *args, timeout=timeout)
    board.heap.check()
    assert board.heap.snapshot() == before, result
    kernel = board.kernel
    assert kernel.modules == list(resident) and kernel.threads == [] and kernel.objects == {}
    after = board.exec(build_module("hello.c"))
    assert (after.exit_code, after.fault, after.output) == (0, None, "Hello, world\n")
    assert board.heap.snapshot() == before
    return result


BAD_ARGS = [
    # (case, service, argument, what the fault says)
    ("dlopen_unmapped", "dlopen", "path", "not readable memory"),
    ("dlopen_unterminated", "dlopen", "path", "not a NUL-terminated string within 256 bytes"),
    ("dlsym_unmapped", "dlsym", "symbol", "not readable memory"),
    ("find_unmapped", "dlmodule_find", "name", "not readable memory"),
    ("symbol_unmapped", "dlmodule_symbol_find", "symbol", "not readable memory"),
    ("thread_name", "rt_thread_create", "name", "not readable memory"),
    ("sem_name", "rt_sem_create", "name", "not a NUL-terminated string"),
    ("console", "__rtdl_console_write", "buf", "not inside readable memory"),
    ("console_huge", "__rtdl_console_write", "buf", "not inside readable memory"),
    ("info_unmapped", "__rtdl_memory_info", "total", "not in RAM"),
    ("info_flash", "__rtdl_memory_info", "total", "not in RAM"),          # printf's code
    ("info_kernel", "__rtdl_memory_info", "total", "the module object of"),
    ("mb_recv_flash", "rt_mb_recv", "value", "not in RAM"),
    ("event_recv_unmapped", "rt_event_recv", "recved", "not in RAM"),
    ("mq_recv_flash", "rt_mq_recv", "buffer", "not in RAM"),              # printf's code
    ("mq_send_unmapped", "rt_mq_send", "buffer", "not inside readable memory"),
    ("thread_find_unmapped", "rt_thread_find", "name", "not readable memory"),
    ("abort_unmapped", "__rtdl_abort", "reason", "not readable memory"),
]


@pytest.mark.parametrize("case,service,arg,what", BAD_ARGS, ids=[c[0] for c in BAD_ARGS])
def test_a_bad_service_argument_is_a_fault_naming_service_argument_and_address(
        board, build_module, faulty, case, service, arg, what):
    flash_before = board.memory.read(0, 0x8000)
    result = contained(board, build_module, faulty("bad_args", SVC_DEFINES), case)
    assert result.exit_code == 139, result
    message = str(result.fault)
    assert message.startswith("bad_args") and "%s: argument '%s'" % (service, arg) in message
    assert what in message and "0x" in message
    assert "survived" not in result.output
    assert board.memory.read(0, 0x8000) == flash_before      # nothing written into flash


@pytest.mark.parametrize("case,expected", [
    ("find_utf8", "find: 0x0\n"),           # a name that is not UTF-8 is found nowhere
    ("dlopen_utf8", "dlopen: 0x0\n"),       # refused through dlerror, not a crash
    ("sem_utf8", "sem: 1\n"),               # RT-Thread names are bytes: kept as escapes
    ("exec_utf8", ""),                      # a command line that is not UTF-8
])
def test_bytes_that_are_not_utf8_are_handled_without_an_exception(board, build_module,
                                                                   faulty, case, expected):
    result = contained(board, build_module, faulty("bad_args", SVC_DEFINES), case)
    assert (result.exit_code, result.fault) == (0, None), result
    assert result.output == expected + "bad_args: %s survived\n" % case


def test_a_program_a_module_execs_without_room_for_its_thread_is_unloaded_again(
        board, build_module, faulty):
    child = faulty("exec_nostack", ["BIG_STACK"])
    result = contained(board, build_module, faulty("exec_nostack"), child)
    assert (result.exit_code, result.fault) == (0, None), result
    assert result.output == "exec_nostack: dlmodule_exec returned RT_NULL\n"


def test_resume_out_of_turn_is_a_fault_of_the_caller(board, build_module, faulty):
    result = contained(board, build_module, faulty("bad_args", SVC_DEFINES), "resume")
    assert result.exit_code == 139 and "__rtdl_resume called out of turn" in str(result.fault)


@pytest.mark.parametrize("case,service,name", [("suspend_idle", "rt_thread_suspend", "tidle0"),
                                               ("delete_shell", "rt_thread_delete", "tshell")])
def test_a_system_thread_handed_to_a_thread_service_is_a_fault_naming_it(
        board, build_module, faulty, case, service, name):
    # RT-Thread would suspend or delete it and stop the system with it
    result = contained(board, build_module, faulty("bad_args", SVC_DEFINES), case)
    assert result.exit_code == 139, result
    assert re.match(r"bad_args: %s: 0x[0-9a-f]{8} is the system thread '%s', which a module "
                    r"may not %s$" % (service, name, service[len("rt_thread_"):]),
                    str(result.fault)), result.fault


def test_a_smashed_pool_block_header_is_a_fault_naming_the_pool(board, build_module, faulty):
    result = contained(board, build_module, faulty("pool_smash"))
    assert result.exit_code == 139 and "not reached" not in result.output, result
    assert re.match(r"pool_sma: rt_mp_free: the header of block 0x[0-9a-f]{8} of memory pool "
                    r"'mp' \(2 of 4 blocks free\) was overwritten \(found 0x77777777, "
                    r"expected the pool 0x[0-9a-f]{8}: a write past the block before it\?\)$",
                    str(result.fault)), result.fault


@pytest.mark.parametrize("case,context,what", [
    ("idle", "idle hook", r"bus fault \(IBUSERR, instruction bus error\) in 0x30000000"),
    # (a static function: named by the module and its offset)
    ("sched", "scheduler hook", r"mem manage fault \(DACCVIOL, data access violation\) in "
                                r"hook_fau\+0x[0-9a-f]+"),
    ("timer", "hard timer 'wild'", r"bus fault \(IBUSERR, instruction bus error\) in "
                                   r"0x30000000")])
def test_a_hooks_fault_names_its_module_once_then_the_hook(board, build_module, faulty, case,
                                                           context, what):
    result = contained(board, build_module, faulty("hook_fault"), case)
    assert result.exit_code == 139 and "not reached" not in result.output, result
    line = str(result.fault)
    assert re.match(r"hook_fau: %s: %s " % (re.escape(context), what), line), line
    assert line.count("hook_fau: ") == 1 and "kernel:" not in line, line


HEAP_MISUSE = [
    ("double_free", "rt_free", "already free (double free?)"),
    ("wild_free", "rt_free", "0x20001234 is not a heap pointer"),
    ("unmapped_free", "rt_free", "0x30000000 is not a heap pointer"),
    ("interior_free", "rt_free", "is not a heap block"),
    ("kernel_free", "rt_free", "is the module object of 'heap_mis', which a module may not free"),
    ("free_align_wild", "rt_free_align", "was not returned by rt_malloc_align"),
    ("smash_header", "rt_free", "heap corrupted: the header of the used block"),
    # found at the module's next heap call (its last free) or at the latest when it ends
    ("smash_silent", "heap corrupted", "found magic 0x0000"),
    ("underflow", "heap corrupted", "77 prev"),             # the low byte of `next` it wrote
    ("sentinel", "heap corrupted", "the heap's end sentinel"),
]


@pytest.mark.parametrize("case,call,what", HEAP_MISUSE, ids=[c[0] for c in HEAP_MISUSE])
def test_heap_misuse_is_a_fault_of_the_module_and_the_heap_is_repaired(
        board, build_module, faulty, case, call, what):
    result = contained(board, build_module, faulty("heap_misuse"), case)
    assert result.exit_code == 139, result
    message = str(result.fault)
    assert message.startswith("heap_mis:") and call in message and what in message, message
    if "the header of the used block" in message:
        assert "allocated at heap_mis+0x" in message          # where the block came from


def test_size_overflow_gives_null(board, build_module, faulty):
    for case in ("calloc_overflow", "malloc_huge"):
        result = contained(board, build_module, faulty("heap_misuse"), case)
        assert result.exit_code == 0 and ": 0x0\n" in result.output, result


@pytest.mark.parametrize("how", ["array", "alloca"])
def test_a_frame_jumping_the_guard_page_is_a_stack_overflow(board, build_module, faulty, how):
    result = contained(board, build_module, faulty("stack_jump"), how)
    assert result.exit_code == 139 and "stack overflow in thread 'stack_ju'" in str(result.fault)
    assert "survived" not in result.output


def test_a_big_frame_in_a_constructor_is_a_fault_of_that_module(board, build_module, faulty):
    result = contained(board, build_module, faulty("stack_jump", ["IN_CTOR"]))
    assert result.exit_code == 139
    assert str(result.fault).startswith("stack_ju: ")
    assert "in its constructors (on the kernel stack)" in str(result.fault)
    assert "kernel stack overflow" in str(result.fault)


def test_a_constructor_that_never_returns_is_bounded_by_the_timeout(board, build_module,
                                                                     faulty):
    result = contained(board, build_module, faulty("ctor_loop"), timeout=0.5)
    assert result.exit_code == 124 and result.fault.kind == "timeout", result
    assert "ctor_loo" in str(result.fault)


def test_firmware_data_a_module_zeroes_is_its_fault_at_the_store(board, build_module, faulty):
    # the firmware's variables are on read-only pages (test_containment_fwprot.py)
    impure = board.firmware_symbols["_impure_ptr"]
    value = board.memory.read32(impure)
    result = contained(board, build_module, faulty("zero_impure"))   # hello runs after it
    assert result.exit_code == 139, result
    assert str(result.fault).startswith(
        "zero_imp: mem manage fault (DACCVIOL, data access violation) in main+0x")
    assert ("on thread 'zero_imp': write of 4 bytes at 0x%08x (firmware data: _impure_ptr); "
            % impure) in str(result.fault)
    assert board.memory.read32(impure) == value


def test_mailbox_storage_is_charged_to_the_heap(board, build_module, faulty):
    result = contained(board, build_module, faulty("mb_hog"))
    total = board.heap.info()[0]
    count = int(result.output.split(": ")[1])
    assert 1 <= count <= total // (65536 * 4)


def test_rtdl_run_reports_one_line_and_the_exit_code(tmp_path, faulty, firmware):
    shutil.copy(faulty("heap_misuse"), str(tmp_path / "heap_misuse.mo"))
    shutil.copy(faulty("ctor_loop"), str(tmp_path / "ctor_loop.mo"))
    env = dict(os.environ, RTDL_FIRMWARE=firmware)

    def run(*args):
        return subprocess.run([sys.executable, "-m", "rtdl.cli", "run", "--root",
                               str(tmp_path)] + list(args), capture_output=True, text=True,
                              timeout=120, env=env)
    result = run(str(tmp_path / "heap_misuse.mo"), "double_free")
    assert result.returncode == 139, result
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and "double free" in lines[0] and "Traceback" not in result.stderr
    result = run("--timeout", "1", str(tmp_path / "ctor_loop.mo"))
    assert result.returncode == 124 and "Traceback" not in result.stderr, result


def test_the_shell_survives_a_faulty_module(tmp_path, faulty, firmware):
    shutil.copy(faulty("bad_args", SVC_DEFINES), str(tmp_path / "bad_args.mo"))
    result = subprocess.run([sys.executable, "-m", "rtdl.cli", "shell", "--root",
                             str(tmp_path)], input="bad_args find_unmapped\nfree\n",
                            capture_output=True, text=True, timeout=120,
                            env=dict(os.environ, RTDL_FIRMWARE=firmware))
    assert result.returncode == 0 and "Traceback" not in result.stdout + result.stderr
    assert "dlmodule_find: argument 'name'" in result.stdout + result.stderr
    assert "msh />free\ntotal memory:" in result.stdout
