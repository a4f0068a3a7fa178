"""A library a program holds open cannot be damaged by the program's own code (issue 10):
while the holder's code runs, the held library's .data and .bss are read-only, and the board
switches to the library's mode when the library's own code (or firmware code it called)
stores there, and back when the holder's code is fetched again (imageprot.py, heldplan.py,
rtdl_board/heldmodes.py). The holder still writes what C lets it write: the objects the
library exports (dlsym) and the ones it hands out (a getter's return value, a buffer passed to
a callback), the board carrying out those stores. So the holder's wild store into the
library's other data is a mem manage fault at the store naming the library's image and
section, while the library's functions - also through memset, memcpy and sprintf, around a
callback into the holder, and through a library it holds itself - write their data as
before. The heap is back to its size and a normal module runs after each."""
import os
import re
import shutil
import subprocess
import sys

import pytest

from test_containment import faulty  # noqa: F401  (the fixture)
from test_containment import contained as contained_within
from test_containment_crossprot import contained


@pytest.fixture
def held(board, faulty):
    return board, board.load(faulty("hlib", lib=True))


@pytest.fixture
def chained(board, faulty):
    # loaded by the host, hlib's constructor opens hlib2: hlib holds hlib2
    second = board.load(faulty("hlib2", lib=True))
    first = board.load(faulty("hlib", lib=True))
    return board, first, second


def _static(board, library, which):
    """The address of hlib's static hl_secret (0) or hl_hidden (1): the libraries are stripped
    (no .symtab), hl_offset gives its distance from the exported hl_counter."""
    return (board.symbol(library, "hl_counter") & ~1) + board.call(library, "hl_offset", which)


def _fault_line(result):
    assert result.exit_code == 139, result
    assert "the write went through" not in result.output
    return str(result.fault)


def test_the_library_writes_its_own_data_through_its_functions(held, build_module, faulty):
    board, library = held
    switches = board.memory.held.switches
    result = contained(board, build_module, faulty("hhold"), "api", resident=[library])
    assert (result.exit_code, result.fault) == (0, None), result
    # bump twice; memset + memcpy; sprintf; three callbacks into the holder around its stores
    assert result.output == "api 601 702 196 5 n=601 27 27 10\n", result.output
    # the library's stores really ran in its own mode (its data read-only for the holder)
    assert board.memory.held.switches > switches
    # and a host call (no module's code runs) still reaches its data
    assert board.call(library, "hl_bump") == 1106


def test_the_firmwares_qsort_over_the_librarys_array_with_the_holders_comparator(
        held, build_module, faulty):
    # qsort (called by the library) stores after each call back into the holder's code
    board, library = held
    result = contained(board, build_module, faulty("hhold"), "sort", resident=[library])
    assert (result.exit_code, result.fault) == (0, None), result
    assert result.output == "sort 123456 1\n", result.output


def test_a_librarys_thread_timer_and_idle_hook_write_its_data(held, build_module, faulty):
    board, library = held
    result = contained(board, build_module, faulty("hhold"), "threads", resident=[library])
    assert (result.exit_code, result.fault) == (0, None), result
    assert result.output == "threads 1\n", result.output


@pytest.mark.parametrize("case,output", [
    ("data", "data 4101\n"),                # the library sees the value the holder stored
    ("bss", "bss 608\n"),
    ("memset", "memset 90 90 0\n"),
    ("after", "after 1002\n"),
    ("cb", "cb 6 5102\n"),
    ("getter", "getter 127\n"),             # 3 + 4 + 'x'
    ("fill", "fill 209\n"),                 # 'a' + 'p'
    ("table", "table 499500\n"),
])
def test_the_holder_writes_what_the_library_exports_or_hands_out(held, build_module, faulty,
                                                                 case, output):
    board, library = held
    result = contained(board, build_module, faulty("hhold"), case, resident=[library])
    assert (result.exit_code, result.fault, result.output) == (0, None, output), result


@pytest.mark.parametrize("symtab", [True, False])
def test_a_handed_out_objects_bounds_come_from_the_symbol_table(board, build_module, faulty,
                                                               tmp_path, symtab):
    # hl_config_depth hands out a pointer into the middle of a static struct: with a .symtab
    # (the library built unstripped) the whole struct is the object, so its first field is
    # writable; stripped (only .dynsym, which does not have the static), the rest of .bss
    # from the pointer on is, and the field before it is not
    if symtab:
        from rtdl.build import build_module as build
        path = str(build([os.path.join(os.path.dirname(__file__), "modules", "faulty",
                                       "hlib.c")],
                         str(tmp_path / "hlib.so"), lib=True, keep_hash=True,
                         extra_cflags=["-w"]))
    else:
        path = faulty("hlib", lib=True)
    library = board.load(path)
    assert any(s.name == ".symtab" for s in library.image.elf.sections) == symtab
    result = contained(board, build_module, faulty("hhold"), "getmid", resident=[library])
    if symtab:
        assert (result.exit_code, result.fault, result.output) == (0, None, "getmid 11\n"), \
            result
        return
    message = _fault_line(result)
    depth = board.call(library, "hl_config_depth") & 0xFFFFFFFF
    assert "write of 4 bytes at 0x%08x (image of module 'hlib': .bss+0x" % (depth - 4) \
        in message and "(not an object the library exports or handed out)" in message, message
    assert board.call(library, "hl_config_sum") == 6          # its store before went through


def test_a_hot_loop_over_an_exported_array_opens_its_whole_pages(held, build_module, faulty):
    board, library = held
    memory = board.memory
    table = board.symbol(library, "hl_table") & ~1
    page = memory.page_size
    whole = (table + 4000) // page - (table + page - 1) // page
    assert whole >= 1, "hl_table covers no page by itself"
    stores = memory.held.stores
    result = contained(board, build_module, faulty("hhold"), "table", resident=[library])
    assert result.output == "table 499500\n", result
    # the board carried out the stores into the pages hl_table shares with other data only
    # (and the first into each page it covers alone)
    carried = memory.held.stores - stores
    assert whole + 1 <= carried <= 1000 - whole * (page // 4) + whole, carried
    # the pages are back as the kernel set them after the run
    assert memory.held.opened == [] and memory.held.members is None


# what hl_bump returns afterwards (the library's stores before the fault went through)
@pytest.mark.parametrize("case,which,section,bump", [
    ("wild", 0, ".data", 601),
    ("wild", 1, ".bss", 601),
    ("afterwild", 0, ".data", 702),
    ("cbwild", 0, ".data", 701),
    ("getwild", 0, ".data", 601),   # the getter's object (in .bss) opens no other section
])
def test_the_holders_wild_store_into_the_librarys_data_faults_at_the_store(
        held, build_module, faulty, case, which, section, bump):
    board, library = held
    target = _static(board, library, which)
    before = board.memory.read(target, 4)
    result = contained(board, build_module, faulty("hhold"), case, str(which),
                       resident=[library])
    message = _fault_line(result)
    name = result.fault.report.module
    assert message.startswith(name + ": mem manage fault (DACCVIOL"), message
    assert "write of 4 bytes at 0x%08x" % target in message, message
    match = re.search(r"\(image of module 'hlib': (\S+)\+0x([0-9a-f]+)\) \(not an object "
                      r"the library exports or handed out\)", message)
    assert match and match.group(1) == section, message
    start = [s for s in library.image.elf.sections if s.name == section][0]
    assert int(match.group(2), 16) == target - library.image.address(start.addr), message
    # the holder's code made the store (in the callback for "cbwild")
    assert result.fault.report.function.startswith(
        "wild_callback" if case == "cbwild" else "main"), result.fault.report.function
    assert board.memory.read(target, 4) == before
    assert board.call(library, "hl_bump") == bump
    assert board.call(library, "hl_secrets") == 11000


def test_the_holders_store_into_the_librarys_code_sharing_a_page_with_its_data_faults(
        held, build_module, faulty):
    # before, only the integrity check at the next switch or at the end found this
    from rtdl_device.imageprot import section_at
    board, library = held
    data = [s for s in library.image.elf.sections if s.name == ".data"][0]
    data_start = library.image.address(data.addr)
    page = board.memory.page_size
    target = data_start // page * page
    assert target < data_start and library.image.base <= target, "no shared page"
    assert any(a <= target < a + n for a, n in library.rw_pages)
    where = section_at(library, target)
    assert not where.startswith((".data", ".bss")), where
    before = board.memory.read(target, 4)
    result = contained(board, build_module, faulty("hhold"), "at", "%x" % target,
                       resident=[library])
    message = _fault_line(result)
    assert "write of 4 bytes at 0x%08x (image of module 'hlib': %s)" % (target, where) \
        in message, message
    assert board.memory.read(target, 4) == before


def test_the_holders_memset_into_the_librarys_static_is_the_holders_fault(held, build_module,
                                                                          faulty):
    board, library = held
    target = _static(board, library, 1)
    result = contained(board, build_module, faulty("hhold"), "setwild", "1",
                       resident=[library])
    message = _fault_line(result)
    assert "mem manage fault (DACCVIOL" in message, message
    assert "(image of module 'hlib': .bss+0x" in message, message
    assert re.search(r"write of \d+ bytes at 0x%08x" % target, message), message
    assert result.fault.report.function.startswith("firmware memset"), result.fault.report
    assert board.memory.read(target, 4) == bytes(4)


def test_a_library_held_by_a_library_is_written_by_its_own_code(chained, build_module,
                                                                 faulty):
    board, first, second = chained
    assert second in first.holds
    result = contained(board, build_module, faulty("hhold"), "chain",
                       resident=[second, first])
    assert (result.exit_code, result.fault) == (0, None), result
    assert result.output == "chain 8 9 7\n", result.output


@pytest.mark.parametrize("case,output,bump", [
    ("cset", "cset 71\n", 72),          # h2_value, exported: through dlsym
    ("cslot", "cslot 33\n", 8),         # the object h2_slot hands out
])
def test_a_library_writes_what_a_library_it_holds_exports_or_hands_out(
        chained, build_module, faulty, case, output, bump):
    board, first, second = chained
    result = contained(board, build_module, faulty("hhold"), case, resident=[second, first])
    assert (result.exit_code, result.fault, result.output) == (0, None, output), result
    assert board.call(second, "h2_bump") == bump


def test_a_librarys_wild_store_into_a_library_it_holds_faults(chained, build_module, faulty):
    board, first, second = chained
    value = board.symbol(second, "h2_value") & ~1
    target = value + board.call(second, "h2_offset")
    data = [s for s in second.image.elf.sections if s.name == ".data"][0]
    result = contained(board, build_module, faulty("hhold"), "cwild", resident=[second, first])
    message = _fault_line(result)
    assert "mem manage fault (DACCVIOL" in message, message
    assert "write of 4 bytes at 0x%08x (image of module 'hlib2': .data+0x%x) (not an object " \
        "the library exports or handed out)" % (target, target - second.image.address(data.addr)) \
        in message, message
    assert result.fault.report.function.startswith("hl_chain_at"), result.fault.report
    assert board.call(second, "h2_secret_now") == 3
    assert board.call(second, "h2_bump") == 8


def test_a_constructor_calling_a_held_library_for_ever_still_times_out(held, build_module,
                                                                        faulty):
    # each call restarts the emulator after a mode switch: the restart gets what is left
    board, library = held
    result = contained_within(board, build_module, faulty("hctor"), timeout=0.5,
                              resident=[library])
    assert result.exit_code == 124 and result.fault.kind == "timeout", result
    assert board.memory.held.switches > 2


def test_a_fault_in_the_librarys_mode_ends_the_holder_and_the_next_holder_works(
        held, build_module, faulty):
    board, library = held
    result = contained(board, build_module, faulty("hhold"), "crash", resident=[library])
    message = _fault_line(result)
    assert "in hl_crash+0x" in message and "write of 4 bytes at 0x00000000" in message, message
    # the pages are back as the kernel set them: the next holder runs in its own modes
    assert board.memory.held.members is None
    again = contained(board, build_module, faulty("hhold"), "api", resident=[library])
    assert again.output == "api 701 802 196 5 n=701 30 30 11\n", again.output


def test_a_library_stores_into_its_callers_data_where_it_points(held, build_module, faulty):
    board, library = held
    result = contained(board, build_module, faulty("hhold"), "ownbuf", resident=[library])
    assert (result.exit_code, result.output) == (0, "ownbuf 5\n"), result


def test_a_librarys_store_into_a_sibling_library_faults(board, build_module, faulty):
    # the program holds hlib and hlib2 (loaded after hlib: hlib's constructor found none)
    library = board.load(faulty("hlib", lib=True))
    second = board.load(faulty("hlib2", lib=True))
    assert second not in getattr(library, "holds", [])
    target = board.symbol(second, "h2_value") & ~1
    data = [s for s in second.image.elf.sections if s.name == ".data"][0]
    result = contained(board, build_module, faulty("hhold"), "sibling",
                       resident=[library, second])
    message = _fault_line(result)
    assert "in hl_store+0x" in message, message
    # no "(not an object ...)": a sibling's data is not the library's to write at all
    assert "write of 4 bytes at 0x%08x (image of module 'hlib2': .data+0x%x);" % (
        target, target - second.image.address(data.addr)) in message, message
    assert board.call(second, "h2_bump") == 8


def test_a_module_holding_no_library_switches_nothing(board, build_module):
    switches = board.memory.held.switches
    result = board.exec(build_module("hello.c"))
    assert (result.exit_code, result.output) == (0, "Hello, world\n")
    assert board.memory.held.members is None and board.memory.held.switches == switches


@pytest.mark.parametrize("runtime", ["cpython", "micropython"])
def test_rtdl_run_reports_the_holders_wild_store_and_runs_the_library(tmp_path, faulty,
                                                                      firmware, runtime):
    os.mkdir(str(tmp_path / "modules"))
    shutil.copy(faulty("hlib", lib=True), str(tmp_path / "modules" / "hlib.so"))
    shutil.copy(faulty("hhold"), str(tmp_path / "hhold.mo"))
    env = dict(os.environ, RTDL_FIRMWARE=firmware)

    def run(*args):
        return subprocess.run([sys.executable, "-m", "rtdl.cli", "run", "--runtime", runtime,
                               "--root", str(tmp_path), str(tmp_path / "hhold.mo")]
                              + list(args), capture_output=True, text=True, timeout=300,
                              env=env)
    # the library is loaded during the run: the board's own module list (over the bridge the
    # one of the run's start) does not have it, the plan does
    for case, output in (("api", "api 601 702 196 5 n=601 27 27 10\n"),
                         ("sort", "sort 123456 1\n"), ("threads", "threads 1\n"),
                         ("data", "data 4101\n"), ("getter", "getter 127\n"),
                         ("fill", "fill 209\n"), ("table", "table 499500\n")):
        good = run(case)
        assert (good.returncode, good.stdout) == (0, output), good
    for case, which, where in (("wild", 0, "in main+0x"),
                               ("setwild", 1, "in firmware memset+0x")):
        bad = run(case, str(which))
        assert bad.returncode == 139, bad
        lines = bad.stderr.splitlines()
        assert len(lines) == 1 and "Traceback" not in bad.stderr, bad
        assert lines[0].startswith("rtdl run: error: hhold: mem manage fault (DACCVIOL"), lines
        assert where in lines[0], lines
        assert "(image of module 'hlib': .%s+0x" % ("data" if case == "wild" else "bss") \
            in lines[0], lines
        assert "(not an object the library exports or handed out)" in lines[0], lines
