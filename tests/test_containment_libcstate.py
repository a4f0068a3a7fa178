"""libc's state cannot be damaged by a module (issue 10, item 4): each module thread runs
libc on its own newlib reent (libcstate.py: errno, strtok, rand, dtoa's buffers), which the
kernel points _impure_ptr at on every switch, and newlib's global reent - with the template
threads' reents are made from - is on the firmware's read-only pages, so a module's wild
store there faults at the store, naming it. Threads of two programs keep their own state
across their turns, the next module prints as after boot and the heap is back to its
size."""
import re
import shutil

import pytest

from cli_run import rtdl_run

from test_containment import contained, faulty  # noqa: F401  (the fixture)
from test_containment_fwprot import LIBC_STATE_OUTPUT, fault_line

ISO_A = "a: a1 10.25 a2 11.25 a3 12.25 rand ok errno ok\n"
ISO_B = "b: b1 20.25 b2 21.25 b3 22.25 rand ok errno ok\n"
STORES = [
    # (argv[1], object, offset, where the store is)
    ("word", "impure_data", 0, r"main\+0x[0-9a-f]+"),             # its errno
    ("word", "impure_data", 8, r"main\+0x[0-9a-f]+"),             # its _stdout
    ("memset", "impure_data", 0x2e0, r"firmware memset\+0x[0-9a-f]+"),   # fopen's list head
    ("word", "rtdl_reent_template", 4, r"main\+0x[0-9a-f]+"),
]


def test_the_global_reent_is_read_only_and_libc_runs_on_the_system_reent(board):
    sym = board.firmware_symbols
    start, end = board.firmware_variables
    for name in ("impure_data", "rtdl_reent_template"):
        assert start <= sym[name] < end, name
    assert sym["rtdl_system_reent"] >= end            # libc's writable state, behind them
    assert board.memory.read32(sym["_impure_ptr"]) == sym["rtdl_system_reent"]
    # the streams are one set, on libc's pages (not in the global reent, nor the heap)
    stdout = board.memory.read32(sym["impure_data"] + 8)
    assert board.memory.read32(sym["rtdl_system_reent"] + 8) == stdout
    libc = board.libc_guard.region
    assert end <= libc[0] and libc[0] <= sym["rtdl_system_reent"] < libc[1]
    assert sym["rtdl_stdio_files"] <= stdout < libc[1]
    assert not any(addr <= stdout < addr + size for addr, size, _ in board.kernel.firmware_blocks)


@pytest.mark.parametrize("case,name,offset,where", STORES,
                         ids=["%s-%s+%d" % (s[0], s[1], s[2]) for s in STORES])
def test_a_wild_store_into_the_global_reent_faults_at_the_store(
        board, build_module, faulty, case, name, offset, where):
    address = board.firmware_symbols[name] + offset
    before = board.memory.read(address, 16)
    result = contained(board, build_module, faulty("libc_write"), case, "%x" % address)
    assert result.exit_code == 139, result
    assert result.output == "libc_write: %s\n" % case        # nothing after the store ran
    size = 16 if case == "memset" else 4
    # (the module's name is its file's stem cut to 8 characters, as RT-Thread's)
    line = fault_line("libc_wri", where, size, address, "firmware data: %s" % name,
                      "on thread 'libc_wri'")
    if case == "memset":      # memset may store the 16 bytes in wider or narrower pieces
        line = re.compile(line.pattern.replace("write of 16 bytes", r"write of \d+ bytes"))
    assert line.match(str(result.fault)), result.fault
    assert board.memory.read(address, 16) == before
    after = board.exec(build_module("libc_state.c"))
    assert (after.exit_code, after.fault, after.output) == (0, None, LIBC_STATE_OUTPUT)


def test_a_module_cannot_free_its_threads_reent(board, build_module, faulty):
    result = contained(board, build_module, faulty("libc_write"), "free")
    assert result.exit_code == 139, result
    assert re.match(r"libc_wri: rt_free: 0x[0-9a-f]{8} is the libc state \(struct _reent\) "
                    r"of thread 'libc_wri', which a module may not free$",
                    str(result.fault)), result.fault


def test_threads_of_two_programs_keep_their_own_strtok_rand_errno(board, build_module,
                                                                 tmp_path):
    other = str(tmp_path / "libc_is2.mo")
    shutil.copy(build_module("libc_iso.c"), other)
    result = contained(board, build_module, build_module("libc_iso.c"), "a", other)
    assert (result.exit_code, result.fault) == (0, None), result
    assert sorted(result.output.splitlines(True)) == [ISO_A, ISO_B], result.output


def test_a_thread_runs_on_its_own_reent_and_libc_is_back_on_the_systems_after(board,
                                                                             build_module):
    sym = board.firmware_symbols
    kernel = board.kernel
    seen = []
    switch = kernel.libc.enter

    def enter(thread):
        reent = switch(thread)
        seen.append((thread.name, thread.module is not None, reent))
        return reent
    kernel.libc.enter = enter
    try:
        result = board.exec(build_module("hello.c"))
    finally:
        del kernel.libc.enter
    assert result.output == "Hello, world\n"
    own = [reent for name, module, reent in seen if module]
    assert own and sym["rtdl_system_reent"] not in own and sym["impure_data"] not in own
    assert board.memory.read32(sym["_impure_ptr"]) == sym["rtdl_system_reent"]


@pytest.mark.parametrize("runtime", ["cpython", "micropython"])
def test_rtdl_run_names_the_global_reent_and_keeps_threads_apart(
        tmp_path, board, build_module, faulty, firmware, runtime):
    if runtime == "micropython":
        import mpy_node
        mpy_node.node()
    shutil.copy(faulty("libc_write"), str(tmp_path / "libc_write.mo"))
    address = board.firmware_symbols["impure_data"] + 8
    result = rtdl_run(firmware, tmp_path, runtime, tmp_path / "libc_write.mo", "word",
                  "%x" % address)
    assert result.returncode == 139, result
    assert result.stdout == "libc_write: word\n"
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    assert "write of 4 bytes at 0x%08x (firmware data: impure_data); pc=" % address \
        in lines[0], lines[0]
    shutil.copy(build_module("libc_iso.c"), str(tmp_path / "libc_iso.mo"))
    shutil.copy(build_module("libc_iso.c"), str(tmp_path / "libc_is2.mo"))
    result = rtdl_run(firmware, tmp_path, runtime, tmp_path / "libc_iso.mo", "a", "/libc_is2.mo")
    assert result.returncode == 0, result
    assert sorted(result.stdout.splitlines(True)) == [ISO_A, ISO_B], result.stdout


def test_flushing_every_stream_with_a_read_stream_open_needs_no_global_store(
        tmp_path, firmware, build_module):
    from rtdl import Board
    from rtdl.sandbox import SandboxFiles
    (tmp_path / "in.txt").write_text("xyz\n")
    shutil.copy(build_module("libc_flush.c"), str(tmp_path / "libc_flush.mo"))
    board = Board(firmware, files=SandboxFiles(str(tmp_path)))
    result = board.exec("/libc_flush.mo", "/in.txt")
    # (the unclosed FILE's buffer stays libc's, as on RT-Thread: docs/ARCHITECTURE.md)
    assert (result.exit_code, result.fault) == (0, None), result
    assert result.output == "first x\nflushed, next y\n"


# libc's writable state on its own pages (port/rtdl_board/libcguard.py): read-only while
# module code runs, libc's own stores let through
LIBC_STORES = [
    # (object, offset, what the fault line names)
    ("rtdl_stdio_files", 1, "libc state: stdout's FILE"),   # offset in FILEs: its _flags
    ("rtdl_stdio_files", 2, "libc state: stderr's FILE"),
    ("environ", 0, "libc state: environ"),
    ("__global_locale", 0, "libc state: __global_locale"),
    ("tzinfo", 0, "libc state: tzinfo"),
    ("rtdl_system_reent", 0, "libc state: the system reent (rtdl_system_reent)"),
]
ANYWHERE = sorted("%s: tok x y mktime 946684800 mday 3 rand ok errno ok\n%s\n" % (who, who)
                  for who in ("ctor", "main", "thread", "timer", "idle"))
SYSTEM_REENT = "libc state: the system reent (rtdl_system_reent)"


def _libc_address(board, name, offset):
    address = board.firmware_symbols[name]
    if name == "rtdl_stdio_files":
        return address + offset * board.libc_guard._file_size() + 12
    return address + 8 if name == "rtdl_system_reent" else address + offset


def test_libcs_state_is_on_read_only_pages_of_its_own(board):
    sym = board.firmware_symbols
    start, end = board.libc_guard.region
    assert board.firmware_variables[1] <= start < end and start % 4096 == end % 4096 == 0
    for name in ("rtdl_system_reent", "rtdl_stdio_files", "rtdl_stdio_bufs", "environ",
                 "__global_locale", "tzinfo", "_tzname", "_timezone", "assert_hook"):
        assert start <= sym[name] < end, name
    assert board.memory.read32(sym["rtdl_system_reent"] + 8) == sym["rtdl_stdio_files"] + \
        board.libc_guard._file_size()
    regions = [(lo, hi, perms) for lo, hi, perms in board.uc.mem_regions()
               if lo <= start <= hi]
    assert regions and not regions[0][2] & 2, regions          # UC_PROT_WRITE is off


@pytest.mark.parametrize("name,offset,what", LIBC_STORES,
                         ids=["%s+%d" % (s[0], s[1]) for s in LIBC_STORES])
def test_a_modules_store_into_libcs_state_faults_at_the_store(
        board, build_module, faulty, name, offset, what):
    address = _libc_address(board, name, offset)
    before = board.memory.read(address, 4)
    result = contained(board, build_module, faulty("libc_write"), "word", "%x" % address)
    assert result.exit_code == 139, result
    assert result.output == "libc_write: word\n"
    line = fault_line("libc_wri", r"main\+0x[0-9a-f]+", 4, address, what,
                      "on thread 'libc_wri'")
    assert line.match(str(result.fault)), result.fault
    assert board.memory.read(address, 4) == before
    after = board.exec(build_module("libc_state.c"))
    assert (after.exit_code, after.fault, after.output) == (0, None, LIBC_STATE_OUTPUT)


def test_a_constructors_store_into_the_system_reent_faults_at_the_store(board, build_module,
                                                                       faulty):
    address = board.firmware_symbols["rtdl_system_reent"] + 4
    result = contained(board, build_module, faulty("libc_ctor"))
    assert result.exit_code == 139, result
    assert result.output == "libc_ctor: errno 33\n"     # errno = 33 there is the module's own
    assert fault_line(r"libc_cto", r"libc_cto\+0x[0-9a-f]+", 4, address, SYSTEM_REENT,
                      "in its constructors (on the kernel stack)").match(str(result.fault)), \
        result.fault


@pytest.mark.parametrize("where,context", [
    ("timer", r"hard timer 'lcbt': mem manage fault .* on the kernel stack"),
    ("idle", r"idle hook: .* on thread 'tidle0'")])
def test_a_callbacks_store_into_the_system_reent_faults_at_the_store(
        board, build_module, faulty, where, context):
    address = board.firmware_symbols["rtdl_system_reent"] + 4
    result = contained(board, build_module, faulty("libc_cb"), where)
    assert result.exit_code == 139, result
    assert result.output == "libc_cb: %s errno 33\n" % where
    fault = str(result.fault)
    # (the module's name is its file's stem, which the fixture numbers)
    assert re.match(r"libc_cb\d*: %s: write of 4 bytes at 0x%08x \(%s\); pc=" % (
        context, address, re.escape(SYSTEM_REENT)), fault), fault
    assert "mem manage fault (DACCVIOL" in fault


def test_libc_writes_its_state_from_threads_constructors_timers_and_idle_hooks(
        board, build_module):
    before = board.heap.snapshot()
    opened = board.libc_guard.opened
    result = board.exec(build_module("libc_anywhere.c"))
    assert (result.exit_code, result.fault) == (0, None), result
    lines = result.output.splitlines(True)
    assert lines[-1] == "done 1 2 1\n", result.output
    assert sorted("".join(lines[i:i + 2]) for i in range(0, len(lines) - 1, 2)) == ANYWHERE
    assert board.libc_guard.opened > opened        # libc's stores went through the guard
    assert board.heap.snapshot() == before
    after = board.exec(build_module("hello.c"))
    assert (after.exit_code, after.fault, after.output) == (0, None, "Hello, world\n")


def _handed_line(case, called, address, what):
    """The fault line of a store libc made into its state through a wild pointer the module
    handed to `called` (the function in which the store is: `case`'s, or any)."""
    where = r"firmware %s\+0x[0-9a-f]+" % (re.escape(case) if case else r"[\w.]+")
    at = "0x%08x" % address if address is not None else "0x[0-9a-f]{8}"
    # (they may store in wider or narrower pieces than a word)
    return re.compile(
        r"libc_wri: mem manage fault \(DACCVIOL, data access violation\) in %s on thread "
        r"'libc_wri': write of \d+ bytes at %s \(%s; a wild pointer handed to %s, called "
        r"from main\+0x[0-9a-f]+\); pc=0x[0-9a-f]{8} lr=0x[0-9a-f]{8}$"
        % (where, at, what, re.escape(called)))


def _handed_to_libc(board, build_module, faulty, case, address, line, span=16):
    before = board.memory.read(address, span)
    result = contained(board, build_module, faulty("libc_write"), case, "%x" % address)
    assert result.exit_code == 139, result
    assert result.output == "libc_write: %s\n" % case        # nothing after the store ran
    assert line.match(str(result.fault)), result.fault
    assert board.memory.read(address, span) == before
    after = board.exec(build_module("libc_state.c"))
    assert (after.exit_code, after.fault, after.output) == (0, None, LIBC_STATE_OUTPUT)


@pytest.mark.parametrize("case", ["memset", "strcpy"])
@pytest.mark.parametrize("name,offset,what", LIBC_STORES,
                         ids=["%s+%d" % (s[0], s[1]) for s in LIBC_STORES])
def test_a_wild_pointer_a_module_hands_to_memset_or_strcpy_faults_in_libc(
        board, build_module, faulty, case, name, offset, what):
    # the store is firmware code's, but memset and strcpy store only where their caller
    # points them, and their caller is the module (unwind.py): the wild pointer is its own
    address = _libc_address(board, name, offset)
    _handed_to_libc(board, build_module, faulty, case, address,
                    _handed_line(case, case, address, re.escape(what)))


@pytest.mark.parametrize("name,offset,what", [s for s in LIBC_STORES if "reent" not in s[2]],
                         ids=["%s+%d" % (s[0], s[1]) for s in LIBC_STORES
                              if "reent" not in s[2]])
def test_a_wild_buffer_handed_to_sprintf_faults_in_libc(board, build_module, faulty, name,
                                                        offset, what):
    # the store is in memmove, three calls down from sprintf: sprintf writes nothing of
    # libc's state but the current reent
    address = _libc_address(board, name, offset)
    _handed_to_libc(board, build_module, faulty, "sprintf", address,
                    _handed_line(None, "sprintf", address, re.escape(what)))


@pytest.mark.parametrize("name", ["environ", "tzinfo", "__global_locale"])
def test_a_wild_file_handed_to_fputs_faults_in_libc(board, build_module, faulty, name):
    # (GCC calls fwrite for a fputs of a constant string) a stream function writes the
    # streams, their buffers and the reent, never the time zone, locale or environment
    address = board.firmware_symbols[name]
    _handed_to_libc(board, build_module, faulty, "fputs", address,
                    _handed_line(None, "fwrite", None, r"libc state[^;]*"), span=0x70)


def test_a_wild_buffer_into_what_the_function_may_write_is_not_found_and_is_put_back(
        board, build_module, faulty):
    # (README, Faults: not protected) sprintf may write the current reent - the system's
    # here - so a wild buffer there is let through; the state is put back when the last
    # module has gone
    address = _libc_address(board, "rtdl_system_reent", 0)
    before = board.memory.read(address, 16)
    result = board.exec(faulty("libc_write"), "sprintf", "%x" % address)
    assert (result.exit_code, result.fault) == (0, None), result
    assert result.output == "libc_write: sprintf\nlibc_write: the sprintf did not fault\n"
    assert board.memory.read(address, 16) == before
    after = board.exec(build_module("libc_state.c"))
    assert (after.exit_code, after.fault, after.output) == (0, None, LIBC_STATE_OUTPUT)


@pytest.mark.parametrize("runtime", ["cpython", "micropython"])
def test_rtdl_run_names_libcs_state(tmp_path, board, faulty, firmware, runtime):
    if runtime == "micropython":
        import mpy_node
        mpy_node.node()
    shutil.copy(faulty("libc_write"), str(tmp_path / "libc_write.mo"))
    address = _libc_address(board, "rtdl_stdio_files", 1)
    result = rtdl_run(firmware, tmp_path, runtime, tmp_path / "libc_write.mo", "word",
                  "%x" % address)
    assert result.returncode == 139, result
    assert result.stdout == "libc_write: word\n"
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    assert "write of 4 bytes at 0x%08x (libc state: stdout's FILE); pc=" % address \
        in lines[0], lines[0]
    shutil.copy(faulty("libc_cb"), str(tmp_path / "libc_cb.mo"))
    result = rtdl_run(firmware, tmp_path, runtime, tmp_path / "libc_cb.mo", "idle")
    assert result.returncode == 139, result
    assert "(%s); pc=" % SYSTEM_REENT in result.stderr, result.stderr


def test_a_thread_on_its_modules_own_stack_keeps_its_reent_in_a_heap_block(board,
                                                                          build_module):
    # rt_thread_init's stack is the module's (not in the stack region): no slot to keep the
    # reent in, so it is the thread's heap block; a created thread's is at its slot's top
    kernel = board.kernel
    seen = {}
    make = kernel.libc._make

    def made(thread):
        reent = make(thread)
        seen[thread.name] = (reent, thread.reent_slot, thread.region_stack,
                             reent in thread.blocks)
        return reent
    kernel.libc._make = made
    before = board.heap.snapshot()
    try:
        result = board.exec(build_module("sched_api.c"))
    finally:
        del kernel.libc._make
    assert (result.exit_code, result.fault) == (0, None), result
    assert board.heap.snapshot() == before
    reent, slot, region, in_blocks = seen["static"]
    assert (slot, region, in_blocks) == (0, 0, True) and reent, seen
    reent, slot, region, in_blocks = seen["sched_ap"]
    assert reent == slot and region < slot and not in_blocks, seen
