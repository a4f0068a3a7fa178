"""What makes a module opened again cheap (issue 13) gives what loading it afresh gives: the
linked image kept by the kernel (linkcache.py), the file bytes HostFiles keeps, the checks and
code-cache invalidation skipped while no target code ran, and heap headers read from the
heap's record meanwhile. Each is taken back by what could make it wrong: other bytes, another
address, code that ran."""
import os

from rtdl.build import build_module as build
from rtdl.host_files import HostFiles

FAULTY = os.path.join(os.path.dirname(__file__), "modules", "faulty")


def _library(path, value):
    source = path + ".c"
    with open(source, "w") as f:
        f.write("int value(void) { return %d; }\nint (*const table[])(void) = {value};\n"
                "int via_table(void) { return table[0]() + 1; }\n" % value)
    build([source], path, lib=True)
    return path


def test_a_library_opened_again_reuses_its_linked_image_and_still_runs(board, tmp_path):
    path = _library(str(tmp_path / "again.so"), 7)
    before = board.heap.snapshot()
    first = board.dlopen(path)
    image = first.image
    assert board.call(first, "via_table") == 8
    board.dlclose(first)
    for _ in range(3):                       # the first time after code ran, then without
        module = board.dlopen(path)
        assert module.mem_space == image.base and module.image is image
        board.dlclose(module)
    module = board.dlopen(path)
    assert board.call(module, "value") == 7 and board.call(module, "via_table") == 8
    board.dlclose(module)
    board.heap.check()
    assert board.heap.snapshot() == before


def test_a_library_rebuilt_at_the_same_path_is_loaded_from_its_new_bytes(board, tmp_path):
    path = str(tmp_path / "rebuilt.so")
    _library(path, 1)
    module = board.dlopen(path)
    assert board.call(module, "value") == 1
    board.dlclose(module)
    module = board.dlopen(path)              # opened and closed without running code
    board.dlclose(module)
    _library(path, 2)
    module = board.dlopen(path)
    # the same address: the old translated code must not run for the new bytes
    assert board.call(module, "value") == 2 and board.call(module, "via_table") == 3
    board.dlclose(module)


def test_a_library_at_the_address_where_another_ran_runs_its_own_code(board, tmp_path):
    one = _library(str(tmp_path / "one.so"), 10)
    two = _library(str(tmp_path / "two.so"), 20)
    module = board.dlopen(one)
    base = module.mem_space
    assert board.call(module, "value") == 10
    board.dlclose(module)
    for path, value in ((two, 20), (one, 10), (two, 20)):
        module = board.dlopen(path)
        assert module.mem_space == base
        assert board.call(module, "value") == value
        board.dlclose(module)


def test_checks_still_run_after_loads_that_ran_no_code(board, tmp_path, build_module):
    # opened and closed without code: the end-of-module checks are skipped and heap headers
    # read from the record; a module that then runs and zeroes the heap's end sentinel is
    # still found when it ends, and the heap repaired
    path = _library(str(tmp_path / "quiet.so"), 3)
    for _ in range(3):
        board.dlclose(board.dlopen(path))
    before = board.heap.snapshot()
    misuse = str(tmp_path / "heap_mis.mo")
    build([os.path.join(FAULTY, "heap_misuse.c")], misuse, extra_cflags=["-w"])
    result = board.exec(misuse, "sentinel")
    assert result.exit_code == 139
    assert str(result.fault).startswith("heap_mis:") and "end sentinel" in str(result.fault)
    board.heap.check()
    assert board.heap.snapshot() == before
    for _ in range(2):
        board.dlclose(board.dlopen(path))
    assert board.exec(build_module("hello.c")).output == "Hello, world\n"
    assert board.heap.snapshot() == before


def test_code_run_between_dlopen_and_dlclose_gets_every_check(board, tmp_path):
    # code that ran while the library was open zeroes the heap's end sentinel: the library's
    # dlclose checks the heap again (it is that module's fault) and repairs it
    path = _library(str(tmp_path / "quiet.so"), 3)
    for _ in range(3):
        board.dlclose(board.dlopen(path))
    module = board.dlopen(path)
    heap = board.heap
    sentinel = heap.begin + heap.total + heap.header_size
    code = heap.malloc(16)
    board.memory.write(code, bytes([0x00, 0x21, 0x01, 0x60, 0x70, 0x47]))  # *r0 = 0
    board.memory.invalidate(code, 6)
    board.cpu.call(code | 1, (sentinel,))
    board.dlclose(module)
    assert "end sentinel" in str(module.fault)
    heap.free(code)
    heap.check()


def test_a_smashed_heap_header_is_found_after_quiet_loads(board, tmp_path):
    # headers read from the heap's record only while no code ran since they were checked:
    # once code smashed one, the next free finds it in target memory
    path = _library(str(tmp_path / "quiet.so"), 3)
    for _ in range(2):
        board.dlclose(board.dlopen(path))
    module = board.dlopen(path)
    block = board.heap.malloc(32)
    header = block - board.heap.header_size
    smash = board.heap.malloc(16)
    code = smash + 0                          # movs r1, #0x55; str r1, [r0]; bx lr
    board.memory.write(code, bytes([0x55, 0x21, 0x01, 0x60, 0x70, 0x47]))
    board.memory.invalidate(code, 6)
    board.cpu.call(code | 1, (header,))
    try:
        board.heap.free(block)
    except Exception as error:
        assert "damaged header" in str(error) or "not a heap block" in str(error)
    else:
        raise AssertionError("free went through a smashed header")
    board.kernel.heap_damage()                # repaired from the record
    board.heap.free(block)
    board.heap.free(smash)
    board.dlclose(module)
    board.heap.check()


def test_host_files_keep_unchanged_bytes_and_see_every_change(tmp_path):
    path = str(tmp_path / "kept.bin")
    with open(path, "wb") as f:
        f.write(b"A" * 64)
    old = os.stat(path).st_mtime - 60
    os.utime(path, (old, old))
    files = HostFiles()
    now = files.clock
    files.clock = lambda: now() + 10 ** 9    # read a second after its last change
    first = files.read(path)
    assert first == b"A" * 64 and files.read(path) is first
    with open(path, "r+b") as f:              # the same size, the old time stamp put back
        f.write(b"B")
    os.utime(path, (old, old))
    assert files.read(path) == b"B" + b"A" * 63
    os.replace(str(tmp_path / "kept.bin"), str(tmp_path / "moved.bin"))
    with open(path, "wb") as f:               # another file under the name
        f.write(b"C" * 64)
    os.utime(path, (old, old))
    assert files.read(path) == b"C" * 64
    files.clock = now
    fresh = str(tmp_path / "fresh.bin")
    with open(fresh, "wb") as f:              # changed just before the read: not kept
        f.write(b"D")
    assert files.read(fresh) == b"D" and files.read(fresh) is not files.read(fresh)


def _heap_region(board):
    heap = board.heap
    return board.memory.read(heap.begin, heap.end - heap.begin)


def _loaded(board, module):
    """What a load writes: every live heap header, the struct rt_dlmodule, malloc_align's
    word below the image and the image's bytes."""
    heap, memory = board.heap, board.memory
    headers = [memory.read(heap.begin + off, 16) == raw for off, raw in heap.shadow.items()]
    assert all(headers)
    image = module.image
    return (memory.read(module.handle, 44), memory.read(image.base - 4, 4),
            memory.read(image.base, len(image.data)), bytes(image.data))


def test_a_library_opened_in_turn_leaves_memory_as_a_fresh_load_does(board, tmp_path):
    # headers, malloc_align's word, the struct rt_dlmodule and the image that the heap and
    # the loader skip writing when memory still holds them: the heap's bytes after each
    # quiet cycle are the bytes after the first one, which wrote everything
    path = _library(str(tmp_path / "turns.so"), 5)
    board.dlclose(board.dlopen(path))
    writes = []
    memory = board.memory
    write = memory.write

    def counting(addr, data):
        writes.append((addr, len(data)))
        write(addr, data)
    module = board.dlopen(path)
    after_open = _heap_region(board)
    board.dlclose(module)
    after_close = _heap_region(board)
    memory.write = counting
    try:
        for _ in range(3):
            module = board.dlopen(path)
            assert _heap_region(board) == after_open
            board.dlclose(module)
            assert _heap_region(board) == after_close
    finally:
        del memory.write
    # two headers made used at dlopen and freed again at dlclose: nothing else is written
    assert len(writes) == 3 * 4, writes
    board.heap.check()


def test_what_a_library_left_is_written_again_once_its_memory_was_handed_out(board, tmp_path):
    # the kernel takes the very memory an unloaded library left (its image, struct, headers)
    # and scribbles over it: the next load writes everything again and runs
    path = _library(str(tmp_path / "scribbled.so"), 9)
    board.dlclose(board.dlopen(path))
    module = board.dlopen(path)
    base, handle = module.image.base, module.handle
    opened = _loaded(board, module)
    board.dlclose(module)
    heap = board.heap
    block = heap.malloc(base - handle + 16 * 1024)
    assert block <= handle
    board.memory.write(block, b"\xa5" * (base - block + 8 * 1024))
    heap.free(block)
    module = board.dlopen(path)
    assert (module.image.base, module.handle) == (base, handle)
    assert _loaded(board, module) == opened
    assert board.call(module, "value") == 9 and board.call(module, "via_table") == 10
    board.dlclose(module)
    heap.check()


def test_what_a_library_left_is_written_again_after_code_ran(board, tmp_path):
    # code that runs between an unload and the next load may change anything it left
    path = _library(str(tmp_path / "ran.so"), 4)
    heap = board.heap
    smash = heap.malloc(16)                   # below the library's blocks
    memory = board.memory
    # str r1, [r0]; str r1, [r0, #4]; bx lr with r1 = 0xdeadbeef passed in
    memory.write(smash, bytes([0x01, 0x60, 0x41, 0x60, 0x70, 0x47]))
    memory.invalidate(smash, 6)
    board.dlclose(board.dlopen(path))
    module = board.dlopen(path)
    base, handle = module.image.base, module.handle
    opened = _loaded(board, module)
    board.dlclose(module)
    board.cpu.call(smash | 1, (handle, 0xDEADBEEF))
    board.cpu.call(smash | 1, (base - 8, 0xDEADBEEF))      # and malloc_align's word
    module = board.dlopen(path)
    assert (module.image.base, module.handle) == (base, handle)
    assert _loaded(board, module) == opened
    assert board.call(module, "value") == 4
    board.dlclose(module)
    heap.free(smash)
    heap.check()
