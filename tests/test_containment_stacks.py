"""Stacks live in a region of their own (issue 10): a frame that jumps far below its stack
with a single store faults in the unmapped gap below it - a stack overflow naming the thread
and its stack size - and no heap block, not even one of a module that stays loaded, loses a
byte. The same on the kernel stack, in a constructor."""
from test_containment import contained, faulty  # noqa: F401  (the fixture)


def used_blocks(board):
    return dict((addr, board.memory.read(addr, size))
                for addr, size, used, owner in board.heap.check() if used)


def test_a_single_store_far_below_the_stack_is_a_stack_overflow_and_the_heap_is_intact(
        board, build_module, faulty, monkeypatch):
    library = board.load(faulty("ownlib", lib=True))
    board.call(library, "lib_block")
    # the boot blocks are put back when the last module goes: keep that from hiding damage
    monkeypatch.setattr(board.kernel, "restore_firmware_data", lambda: None)
    before = used_blocks(board)
    result = board.exec(faulty("stack_store"))
    assert used_blocks(board) == before        # every block's contents, not just headers
    message = str(result.fault)
    assert result.exit_code == 139, result
    assert "stack overflow in thread 'stack_st': write to 0x" in message, message
    assert "below its %d-byte stack" % board.kernel.modules[0].stack_size in message, message
    assert "survived" not in result.output
    contained(board, build_module, faulty("stack_store"), resident=[library])


def test_the_same_store_in_a_constructor_faults_below_the_kernel_stack(board, build_module,
                                                                        faulty, monkeypatch):
    monkeypatch.setattr(board.kernel, "restore_firmware_data", lambda: None)
    before = used_blocks(board)
    result = board.exec(faulty("stack_store", ["IN_CTOR"]))
    assert used_blocks(board) == before
    message = str(result.fault)
    assert result.exit_code == 139 and "kernel stack overflow" in message, message
    assert "in its constructors (on the kernel stack)" in message
    contained(board, build_module, faulty("stack_store", ["IN_CTOR"]))


def test_stacks_lie_outside_the_heap_with_an_unmapped_gap_below(board, build_module, faulty):
    """What the two tests above rely on, checked directly on a running module's threads."""
    memory = board.memory
    gap = memory.stack_gap
    assert gap >= memory.ram_end - memory.ram_start      # no frame up to the RAM's size
    bottom, top = board.kernel_stack
    assert not memory.ram_start <= bottom < memory.ram_end
    import pytest
    from unicorn import UcError
    with pytest.raises(UcError):
        memory.read(bottom - gap, 4)
    with pytest.raises(UcError):
        memory.read(bottom - 4, 4)
