"""Full loads of real built .mo/.so modules into a bytearray RAM (membus.RamMemory +
rtheap.SmallMemHeap + loader.load_image), bound to the real firmware's exports read by
symtab.KernelSymbols from its flash image. Every relocated word is checked against what
pyelftools read from the file on the host (index.json); failed loads leave the heap exactly as
before. Plain asserts, CPython and MicroPython alike."""
import struct

from rtdl_device import arm_reloc
from rtdl_device import elf32
from rtdl_device import loader
from rtdl_device import rterror
import testdata
from testdata import raises

ABS32 = 2
REL32 = 3
THM_CALL = 10
GLOB_DAT = 21
JUMP_SLOT = 22
RELATIVE = 23
BASE_PREL = 25
GOT_BREL = 26
TARGET1 = 38
MASK = 0xFFFFFFFF


def _load(name, memory, heap, resolve=None):
    if resolve is None:
        resolve = testdata.kernel_symbols().find
    return loader.load_image(testdata.read(name), name, heap, memory, resolve)


def _free(heap, image):
    if image.aligned_block:
        heap.free_align(image.base)
    else:
        heap.free(image.base)


def _import(name, bind):
    address = testdata.exports().get(name, 0)
    assert address or bind == elf32.STB_WEAK, "%s is not exported" % name
    return address


def _symbol_address(facts, sym_index, image):
    """S from pyelftools' view of the symbol: the module's own definition (placed by the file's
    vaddr, or by the loader's section offsets for an ET_REL), else the firmware's export."""
    if sym_index == 0:
        return 0
    name, value, info, shndx, size = facts["symbols"][sym_index]
    if shndx == elf32.SHN_ABS:
        return value
    if shndx == elf32.SHN_UNDEF:
        if facts["type"] == elf32.ET_REL and name == loader.GOT_SYMBOL:
            return image.address(image.placement.got)
        return _import(name, info >> 4)
    if facts["type"] == elf32.ET_REL:
        assert shndx in image.placement.offsets, "%s: %s in section %d" % (facts["file"], name,
                                                                            shndx)
        return image.address(image.placement.offsets[shndx] + value)
    return image.address(value)


def _expected_word(facts, rel, image):
    """What the relocated word at an ET_DYN's `rel` must be, from pyelftools' view."""
    rtype, stored = rel[2], rel[5]
    S = _symbol_address(facts, rel[3], image)
    if rtype == GLOB_DAT or rtype == JUMP_SLOT:
        return S
    if rtype == ABS32:
        return (S + stored) & MASK
    if rtype == RELATIVE:
        return (image.bias + stored) & MASK
    raise AssertionError("%s: no expectation for relocation type %d" % (facts["file"], rtype))


def _check_image(facts, image, memory):
    name = facts["file"]
    vstart = facts["load_segments"][0][1]
    assert image.bias == (image.base - vstart) & MASK
    assert memory.read(image.base, image.size) == bytes(image.data), name
    for rel in facts["relocations"]:
        got = memory.read32(image.address(rel[1]))
        want = _expected_word(facts, rel, image)
        assert got == want, "%s: %s at 0x%x (%s): 0x%08x, want 0x%08x" % (
            name, rel[0], rel[1], rel[4], got, want)


def _target_section(facts, rel):
    """Index of the section an ET_REL relocation patches (sh_info of its section)."""
    return [sec for sec in facts["sections"] if sec[0] == rel[0]][0][7]


def _place(facts, rel, image):
    return image.address(image.placement.offsets[_target_section(facts, rel)] + rel[1])


def _bl_lands(memory, place):
    """Where the Thumb BL/B.W at `place` branches to."""
    return (place + 4 + arm_reloc.read_addend(THM_CALL, bytearray(memory.read(place, 4)), 0)) \
        & MASK


def _check_object_relocation(facts, rel, image, memory):
    """One relocation of an ET_REL, checked in target memory against pyelftools' view."""
    if not facts["sections"][_target_section(facts, rel)][2] & elf32.SHF_ALLOC:
        return None
    P = _place(facts, rel, image)
    S = _symbol_address(facts, rel[3], image)
    A = rel[5]
    got_origin = image.address(image.placement.got)
    word = memory.read32(P)
    what = "%s: %s +0x%x (type %d, '%s') at 0x%08x" % (facts["file"], rel[0], rel[1], rel[2],
                                                          rel[4], P)
    if rel[2] == ABS32 or rel[2] == TARGET1:
        assert word == (S + A) & MASK, what
    elif rel[2] == REL32:
        assert word == (S + A - P) & MASK, what
    elif rel[2] == BASE_PREL:
        assert word == (got_origin + A - P) & MASK, what
    elif rel[2] == GOT_BREL:
        slot = (got_origin + word - A) & MASK
        assert image.base <= slot < image.base + image.size, what
        assert memory.read32(slot) == S, what
    elif rel[2] == THM_CALL:
        lands = _bl_lands(memory, P)
        if lands != S & ~1:         # out of BL range: through a veneer holding the target
            assert image.base <= lands < image.base + image.size, what
            assert memory.read32(lands + loader.VENEER_SIZE - 4) == S | 1, what
    else:
        raise AssertionError("%s: no expectation for this type" % what)
    return rel[2]


def test_every_module_loads_relocated_and_frees_exactly():
    memory, heap = testdata.ram_and_heap()
    before = heap.snapshot()
    for facts in testdata.shared_objects():
        image = _load(facts["file"], memory, heap)
        _check_image(facts, image, memory)
        used = [b for b in heap.check() if b[2]]
        assert len(used) == 1 and used[0][0] == image.base, used
        assert heap.usable_size(image.base) >= image.size
        _free(heap, image)
        assert heap.snapshot() == before, facts["file"]


def test_hello_got_slot_of_puts_is_the_firmware_export():
    memory, heap = testdata.ram_and_heap()
    facts = testdata.module("hello.mo")
    image = _load("hello.mo", memory, heap)
    slots = [r for r in facts["relocations"] if r[4] == "puts"]
    assert len(slots) == 1 and slots[0][2] == GLOB_DAT, slots
    puts = testdata.exports()["puts"]
    assert puts & 1 and puts != 0
    assert memory.read32(image.address(slots[0][1])) == puts


def test_entry_points():
    memory, heap = testdata.ram_and_heap()
    for facts in testdata.shared_objects():
        image = _load(facts["file"], memory, heap)
        if facts["lib"]:
            assert image.entry == 0, facts["file"]
        else:
            assert image.entry == image.address(facts["entry"]), facts["file"]
            assert image.entry & 1, "%s: entry 0x%08x is not Thumb" % (facts["file"], image.entry)
            assert image.base <= image.entry < image.base + image.size
        _free(heap, image)


def test_module_symbol_tables():
    memory, heap = testdata.ram_and_heap()
    for facts in testdata.shared_objects():
        image = _load(facts["file"], memory, heap)
        want = {}
        for name, value, info, shndx, size in facts["symbols"]:
            if name and shndx != 0 and (info >> 4) in (1, 2) and (info & 0xF) in (1, 2):
                want[name] = image.address(value)
        assert image.symbols == want, "%s: %r" % (facts["file"], image.symbols)
        _free(heap, image)
    image = _load("lib.so", memory, heap)
    assert image.symbols["lib_func"] & 1 and image.symbols["add_func"] & 1


def test_cxx_constructors_point_into_the_module():
    memory, heap = testdata.ram_and_heap()
    facts = testdata.module("cxx_hello.mo")
    image = _load("cxx_hello.mo", memory, heap)
    init = [s for s in facts["sections"] if s[0] == ".init_array"][0]
    assert len(image.init_array) == init[5] // 4 > 0
    for i in range(len(image.init_array)):
        fn = image.init_array[i]
        assert fn == memory.read32(image.address(init[3] + 4 * i))
        assert fn & 1 and image.base <= fn < image.base + image.size, "0x%08x" % fn


def test_images_at_two_addresses_differ_only_in_relocated_words():
    for name in ("fptr_table.mo", "globals.mo", "qsort_cb.mo"):
        facts = testdata.module(name)
        memory, heap = testdata.ram_and_heap()
        first = _load(name, memory, heap)
        spacer = heap.malloc(0x240)
        second = _load(name, memory, heap)
        assert spacer and second.base != first.base
        delta = (second.base - first.base) & 0xFFFFFFFF
        places = {}
        for rel in facts["relocations"]:
            places[rel[1]] = rel[2]
        vstart = facts["load_segments"][0][1]
        for off in range(0, first.size - 3, 4):
            a = struct.unpack_from("<I", first.data, off)[0]
            b = struct.unpack_from("<I", second.data, off)[0]
            rtype = places.get(vstart + off)
            if rtype == RELATIVE:
                assert (b - a) & 0xFFFFFFFF == delta, "%s +0x%x" % (name, off)
            elif rtype is None:
                assert a == b, "%s: word +0x%x changed without a relocation" % (name, off)
        assert [r for r in places.values() if r == RELATIVE], name


def test_missing_symbol_is_reported_and_the_heap_is_as_before():
    memory, heap = testdata.ram_and_heap()
    before = heap.snapshot()
    exports = testdata.kernel_symbols()

    def without_puts(name):
        return 0 if name == "puts" else exports.find(name)

    e = raises(rterror.UnresolvedSymbolError, _load, "hello.mo", memory, heap, without_puts)
    assert e.names == ["puts"] and e.errno == rterror.ENOENT
    assert "hello.mo" in str(e) and "puts" in str(e), str(e)
    assert heap.snapshot() == before


def test_all_missing_symbols_are_reported_together():
    memory, heap = testdata.ram_and_heap()
    before = heap.snapshot()
    facts = testdata.module("printf_float.mo")
    imports = [s[0] for s in facts["symbols"] if s[0] and s[3] == 0 and s[2] >> 4 == 1]
    assert len(imports) > 5, imports
    e = raises(rterror.UnresolvedSymbolError, _load, "printf_float.mo", memory, heap,
               lambda name: 0)
    assert sorted(e.names) == sorted(imports), e.names
    for name in imports:
        assert name in str(e), name
    assert heap.snapshot() == before


def test_corrupted_header_fails_and_the_heap_is_as_before():
    memory, heap = testdata.ram_and_heap()
    keep = _load("lib.so", memory, heap)            # a heap that is not empty
    before = heap.snapshot()
    data = bytearray(testdata.read("hello.mo"))
    data[1:4] = b"ELG"
    e = raises(rterror.ElfError, loader.load_image, bytes(data), "bad.mo", heap, memory,
               testdata.kernel_symbols().find)
    assert str(e).startswith("bad.mo: "), str(e)
    struct.pack_into("<H", data, 16, 4)              # e_type ET_CORE, with a good magic
    data[1:4] = b"ELF"
    e = raises(rterror.ElfError, loader.load_image, bytes(data), "core.mo", heap, memory,
               testdata.kernel_symbols().find)
    assert "core.mo" in str(e) and "type 4" in str(e), str(e)
    assert heap.snapshot() == before
    _free(heap, keep)


def _corrupt_relocation(name, rtype=None, offset=None):
    """A copy of module `name` with its first relocation's type or offset replaced."""
    facts = testdata.module(name)
    rel_sec = [s for s in facts["sections"] if s[1] == elf32.SHT_REL][0]
    data = bytearray(testdata.read(name))
    entry = rel_sec[4]
    if offset is not None:
        struct.pack_into("<I", data, entry, offset)
    if rtype is not None:
        info = struct.unpack_from("<I", data, entry + 4)[0]
        struct.pack_into("<I", data, entry + 4, (info & ~0xFF) | rtype)
    return bytes(data)


def test_failures_after_allocation_free_the_block():
    memory, heap = testdata.ram_and_heap()
    keep = _load("hello.mo", memory, heap)
    before = heap.snapshot()
    ram_before = memory.read(keep.base, keep.size)
    resolve = testdata.kernel_symbols().find
    e = raises(rterror.RelocationError, loader.load_image, _corrupt_relocation("globals.mo", 99),
               "globals.mo", heap, memory, resolve)
    assert "globals.mo" in str(e) and "99" in str(e), str(e)
    assert heap.snapshot() == before
    e = raises(rterror.RelocationError, loader.load_image,
               _corrupt_relocation("globals.mo", None, 0x7FFFF0), "globals.mo", heap, memory,
               resolve)
    assert "outside" in str(e), str(e)
    assert heap.snapshot() == before
    assert memory.read(keep.base, keep.size) == ram_before


def test_out_of_memory_leaves_the_heap_as_before():
    memory, heap = testdata.ram_and_heap()
    filler = heap.malloc(heap.total - 0x200)
    assert filler
    before = heap.snapshot()
    e = raises(rterror.HeapError, _load, "cxx_hello.mo", memory, heap)
    assert "cxx_hello.mo" in str(e), str(e)
    assert heap.snapshot() == before
    heap.free(filler)
    _free(heap, _load("cxx_hello.mo", memory, heap))


def test_objects_load_relocated_and_free_exactly():
    memory, heap = testdata.ram_and_heap()
    before = heap.snapshot()
    objects = testdata.relocatables()
    assert len(objects) >= 3, [facts["file"] for facts in objects]
    checked = {}
    for facts in objects:
        image = _load(facts["file"], memory, heap)
        assert memory.read(image.base, image.size) == bytes(image.data), facts["file"]
        for rel in facts["relocations"]:
            checked[_check_object_relocation(facts, rel, image, memory)] = True
        _free(heap, image)
        assert heap.snapshot() == before, facts["file"]
    for rtype in (ABS32, REL32, THM_CALL, BASE_PREL, GOT_BREL, TARGET1):
        assert rtype in checked, rtype


def test_object_entry_is_main_and_library_has_none():
    memory, heap = testdata.ram_and_heap()
    for facts in testdata.relocatables():
        image = _load(facts["file"], memory, heap)
        if facts["lib"]:
            assert image.entry == 0, facts["file"]
            assert image.symbols["lib_func"] & 1 and image.symbols["add_func"] & 1
        else:
            main = [s for s in facts["symbols"] if s[0] == "main"][0]
            assert image.entry == _symbol_address(facts, facts["symbols"].index(main), image)
            assert image.entry & 1 and image.base <= image.entry < image.base + image.size
        _free(heap, image)


def test_object_call_to_a_flash_import_goes_through_a_veneer():
    memory, heap = testdata.ram_and_heap()
    facts = testdata.module("hello_bl.o")
    image = _load("hello_bl.o", memory, heap)
    calls = [r for r in facts["relocations"] if r[2] == THM_CALL and r[4] == "puts"]
    assert len(calls) == 1, calls
    _check_object_relocation(facts, calls[0], image, memory)
    lands = _bl_lands(memory, _place(facts, calls[0], image))
    assert image.base <= lands < image.base + image.size     # puts is in flash: out of reach


def test_object_missing_symbol_leaves_the_heap_as_before():
    memory, heap = testdata.ram_and_heap()
    before = heap.snapshot()
    exports = testdata.kernel_symbols()
    for name in ("hello.o", "hello_bl.o"):
        e = raises(rterror.UnresolvedSymbolError, _load, name, memory, heap,
                   lambda sym: 0 if sym == "puts" else exports.find(sym))
        assert e.names == ["puts"] and name in str(e), str(e)
        assert heap.snapshot() == before
