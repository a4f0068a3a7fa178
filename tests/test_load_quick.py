"""The short path of a cached library opened and closed in turn (issue 13) gives what the long
one gives: dlopen/dlclose without a step generator when there are no constructors or
destructors (lifecycle.open_now, release_now), the heap handing out again a take a free has
just undone (rtheap _redo/_undo) instead of searching, and a module whose code never ran
ending without the release of hooks, files, devices and blocks it cannot hold. Each is
compared with the long path on a second board, step by step."""
import random

from rtdl import Board
from rtdl.build import build_module as build
from rtdl_device import dlfcn


def _library(path, value):
    source = path + ".c"
    with open(source, "w") as f:
        f.write("void *rt_malloc(unsigned long size);\n"
                "int value(void) { return %d; }\n"
                "void *leak(void) { return rt_malloc(40); }\n" % value)
    build([source], path, lib=True)
    return path


def _heap_state(board):
    heap = board.heap
    # (not `handed`: a board that replays the recorded boot counts no boot-time blocks)
    return (dict(heap.shadow), heap.used, heap.max_used, heap._lfree, dict(heap.aligned_blocks),
            board.memory.read(heap.begin, heap.end - heap.begin))


def _searching(heap):
    """Take away what lets the heap skip its search and free's merging (the long path)."""
    heap._redo = {}
    heap._open = []


def _modules(board):
    return [(m.name, m.path, m.nref, m.state, m.handle, m.mem_space, m.ret_code, m.fault,
             board.memory.read(m.handle, 44) if m.handle else None)
            for m in board.kernel.modules]


def test_heap_takes_handed_out_again_match_a_heap_that_searches(firmware):
    quick, slow = Board(firmware), Board(firmware)
    rng = random.Random(13)
    held = {quick: [], slow: []}
    for step in range(600):
        op = rng.random()
        size = rng.choice((8, 44, 100, 300, 2048, 5000))
        for board in (quick, slow):
            heap, blocks = board.heap, held[board]
            if board is slow:
                _searching(heap)
            if op < 0.45 or not blocks:
                aligned = size > 1000
                addr = heap.malloc_align(size, 1024) if aligned else heap.malloc(size)
                blocks.append((addr, aligned))
            else:
                # mostly the last block taken (in turn, as a plugin loop does), sometimes another
                index = -1 if op < 0.85 else (step * 7) % len(blocks)
                addr, aligned = blocks.pop(index)
                if aligned:
                    heap.free_align(addr)
                else:
                    heap.free(addr)
        assert held[quick] == held[slow], step
        assert _heap_state(quick) == _heap_state(slow), step
        if step % 150 == 149:
            for board in (quick, slow):
                board.kernel.heap_damage()      # trusts the record again, as a module end does
    quick.heap.check()
    # and the quick heap did hand takes out again: a block freed in turn is the kept take
    heap = quick.heap
    quick.kernel.heap_damage()
    state = heap._version
    first = heap.malloc(44)
    heap.free(first)
    assert heap._version == state and (state, 48) in heap._redo
    kept = heap._redo[(state, 48)]
    assert heap.malloc(44) == first and heap._open[-1] is kept
    heap.free(first)


def test_a_library_opened_and_closed_in_turn_matches_the_step_generators(firmware, tmp_path):
    path = _library(str(tmp_path / "turns.so"), 3)
    quick, slow = Board(firmware), Board(firmware)

    def slow_open():
        _searching(slow.heap)
        slow.activate()
        k = slow.kernel
        return k.drive(k.open_steps(path))

    def slow_close(module):
        _searching(slow.heap)
        slow.activate()
        k = slow.kernel
        k.drive(k.release(module))

    def same(step):
        assert _heap_state(quick) == _heap_state(slow), step
        assert _modules(quick) == _modules(slow), step
        quick.activate()
        a = dlfcn.dlerror()
        slow.activate()
        assert a == dlfcn.dlerror(), step

    for cycle in range(4):
        one, other = quick.dlopen(path), slow_open()
        same(("open", cycle))
        again, other_again = quick.dlopen(path), slow_open()     # nref 2, the struct says so
        assert again is one and one.nref == 2
        same(("open again", cycle))
        quick.dlclose(again)
        slow_close(other_again)
        same(("close once", cycle))
        if cycle == 2:                       # its code runs and leaks a block: reclaimed
            assert quick.call(one, "leak") and slow.call(other, "leak")
        quick.dlclose(one)
        slow_close(other)
        assert one.state == other.state and one.reclaimed == other.reclaimed
        same(("closed", cycle))
        if cycle == 1:
            _library(path, 30)               # changed on disk between two loads
    module = quick.dlopen(path)
    assert quick.call(module, "value") == 30
    quick.dlclose(module)
    quick.heap.check()


def test_a_quiet_cycle_after_code_ran_still_frees_what_the_module_owns(board, tmp_path):
    path = _library(str(tmp_path / "leaky.so"), 1)
    before = board.heap.snapshot()
    board.dlclose(board.dlopen(path))
    module = board.dlopen(path)
    block = board.call(module, "leak", signed=False)
    assert block
    board.kernel.ownership.give(block, module)     # as rt_malloc from its thread would
    board.dlclose(module)
    assert module.reclaimed == 1
    assert board.heap.snapshot() == before
    for _ in range(3):
        module = board.dlopen(path)
        board.dlclose(module)
        assert module.reclaimed == 0 and board.heap.snapshot() == before
    assert dlfcn.dlerror() is None
