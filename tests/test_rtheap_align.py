"""rt_malloc_align / rt_free_align: RT-Thread keeps the block's real address in the word just
below the aligned one, inside memory the block's user can write. rtdl keeps that word as
RT-Thread does but frees by the heap's own record, so a user that overwrites it cannot make
free_align free the wrong block."""
import pytest

from rtdl_device import membus
from rtdl_device import rtheap
from rtdl_device.rterror import HeapError

RAM = 0x20000000


def heap_of(size=0x4000):
    memory = membus.RamMemory(RAM, 0x10000)
    return memory, rtheap.SmallMemHeap(memory, RAM, RAM + size)


def test_the_word_below_holds_the_real_block_as_rt_thread_keeps_it():
    memory, heap = heap_of()
    aligned = heap.malloc_align(100, 64)
    assert aligned % 64 == 0
    real = memory.read32(aligned - 4)
    assert real < aligned and heap.usable_size(real) >= 100 + 64


def test_free_align_frees_the_right_block_after_the_word_below_was_overwritten():
    memory, heap = heap_of()
    before = heap.info()[1]
    neighbour = heap.malloc(32)
    aligned = heap.malloc_align(100, 256)
    memory.write32(aligned - 4, neighbour)        # a wild write aiming free_align elsewhere
    heap.free_align(aligned)
    assert heap.usable_size(neighbour) >= 32       # still allocated
    heap.free(neighbour)
    heap.check()
    assert heap.info()[1] == before


def test_free_align_of_a_pointer_it_did_not_return_is_refused():
    memory, heap = heap_of()
    block = heap.malloc(64)
    with pytest.raises(HeapError, match="not from malloc_align"):
        heap.free_align(block + 8)
    aligned = heap.malloc_align(40, 32)
    heap.free_align(aligned)
    with pytest.raises(HeapError, match="not from malloc_align"):
        heap.free_align(aligned)                   # twice
    heap.free(block)
    heap.check()
