"""Out-pointers only land in memory the calling module owns (issue 10): a service asked to
write into another module's heap block or image, a kernel block (a module object) or the
firmware's data is a fault of the caller naming the service, the argument and the address,
and the memory it pointed at is unchanged. Writes into the caller's own globals, stack, heap
blocks (plain, aligned, reallocated) run through."""
import pytest

from test_containment import contained, faulty  # noqa: F401  (the fixture)

OUTSIDE = [
    # (case, service, argument, what the fault says, what memory it pointed at)
    ("mb_other_block", "rt_mb_recv", "value", "heap block 0x", "block"),
    ("event_other_block", "rt_event_recv", "recved", "of module 'ownlib'", "block"),
    ("info_other_block", "__rtdl_memory_info", "total", "of module 'ownlib'", "block"),
    ("event_other_image", "rt_event_recv", "recved", "the image of module 'ownlib'", "global"),
    ("info_other_kernel", "__rtdl_memory_info", "total", "the module object of 'ownlib'",
     "object"),
    ("mb_kernel", "rt_mb_recv", "value", "the module object of 'owners", None),
    ("event_kernel", "rt_event_recv", "recved", "the module object of 'owners", None),
    ("info_firmware", "__rtdl_memory_info", "total", "the firmware's data", "impure"),
    ("mb_firmware", "rt_mb_recv", "value", "the firmware's data", "impure"),
    ("event_firmware", "rt_event_recv", "recved", "the firmware's data", "impure"),
    ("info_own_code", "__rtdl_memory_info", "total", "the code of module 'owners", None),
]


@pytest.fixture
def with_library(board, build_module, faulty, monkeypatch):
    """The board with ownlib loaded by the host (so it outlives the program), and the
    places the program will aim at: {name: (address, size)}."""
    library = board.load(faulty("ownlib", lib=True))
    block = board.call(library, "lib_block", signed=False)
    places = {"block": (block, 32), "global": (board.symbol(library, "lib_global"), 16),
              "object": (library.handle, 16),
              "impure": (board.firmware_symbols["_impure_ptr"], 4)}
    # the firmware's data is put back when the last module goes: keep it from hiding a write
    monkeypatch.setattr(board.kernel, "restore_firmware_data", lambda: None)
    return board, places, library


@pytest.mark.parametrize("case,service,arg,what,place", OUTSIDE, ids=[c[0] for c in OUTSIDE])
def test_an_out_pointer_outside_the_callers_memory_is_a_fault_and_nothing_is_written(
        with_library, build_module, faulty, case, service, arg, what, place):
    board, places, library = with_library
    before = dict((name, board.memory.read(addr, size))
                  for name, (addr, size) in places.items())
    result = contained(board, build_module, faulty("owners"), case,
                       resident=[library])
    assert result.exit_code == 139, result
    message = str(result.fault)
    assert message.startswith("owners"), message
    assert "%s: argument '%s' (0x" % (service, arg) in message and what in message, message
    assert "survived" not in result.output
    if place is not None:
        addr, size = places[place]
        assert ("0x%08x" % addr) in message or place == "block"
    for name, (addr, size) in places.items():
        assert board.memory.read(addr, size) == before[name], name


def test_out_pointers_into_the_callers_own_memory_are_written(with_library, build_module,
                                                               faulty):
    board, places, library = with_library
    result = contained(board, build_module, faulty("owners"), "own",
                       resident=[library])
    assert (result.exit_code, result.fault) == (0, None), result
    assert result.output == "own: 11223344 1 1 11223344 1\nowners: own survived\n"
