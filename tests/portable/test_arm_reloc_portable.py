"""The shared relocation table (arm_reloc) against hand-computed vectors, portable: a subset of
tests/test_arm_reloc.py plus the short Thumb branches, the GOT forms and a property of every
table entry. Plain asserts, CPython and MicroPython alike."""
import struct

from rtdl_device import arm_reloc
from rtdl_device.arm_reloc import RelocContext, read_addend, relocate
from rtdl_device.rterror import RelocationError
from testdata import raises

P = 0x20001000


def _word(value):
    return bytearray(struct.pack("<I", value))


def _halves(image):
    return struct.unpack("<HH", bytes(image[:4]))


def _pair(hw1, hw2):
    return bytearray(struct.pack("<HH", hw1, hw2))


def _half(image):
    return struct.unpack("<H", bytes(image[:2]))[0]


def test_data_words():
    image = _word(0x10)
    assert relocate(2, image, 0, P, 0x08000101, RelocContext()) == 0x08000111     # ABS32
    assert image == _word(0x08000111)
    image = _word(4)
    relocate(3, image, 0, P, P + 0x100, RelocContext())                          # REL32
    assert image == _word(0x104)
    image = _word(0x1F4)
    relocate(23, image, 0, P, 0, RelocContext(base=0x20000000))                  # RELATIVE
    assert image == _word(0x200001F4)
    for rtype in (21, 22):                    # GLOB_DAT, JUMP_SLOT: a PLT0 pre-fill is not added
        image = _word(0xDEADBEEF)
        relocate(rtype, image, 0, P, 0x0000ABCD, RelocContext())
        assert image == _word(0x0000ABCD), rtype


def test_negative_results_wrap_to_32_bits():
    image = _word(0)
    assert relocate(3, image, 0, P, P - 8, RelocContext()) == 0xFFFFFFF8
    assert image == _word(0xFFFFFFF8)
    assert read_addend(2, _word(0xFFFFFFFC), 0) == -4


def test_none_and_v4bx():
    image = _word(0x12345678)
    relocate(0, image, 0, P, 0x999, RelocContext())
    assert image == _word(0x12345678)
    image = _word(0xE12FFF1E)                # bx lr
    relocate(40, image, 0, P, 0, RelocContext())
    assert image == _word(0xE1A0F00E)        # mov pc, lr


def test_arm_branches():
    image = _word(0xEBFFFFFE)                # bl . (addend -8)
    assert read_addend(28, image, 0) == -8
    relocate(28, image, 0, P, P + 0x1000, RelocContext())
    assert image == _word(0xEB0003FE)
    for rtype in (1, 27, 28, 29):
        image = _word(0xEAFFFFFE)
        relocate(rtype, image, 0, P, P + 8 + (1 << 25) - 4, RelocContext())
        assert image == _word(0xEA7FFFFF), rtype
        raises(RelocationError, relocate, rtype, _word(0xEAFFFFFE), 0, P,
               P + 8 + (1 << 25), RelocContext())


def test_thumb_bl_vectors():
    assert read_addend(10, _pair(0xF7FF, 0xFFFE), 0) == -4
    vectors = (
        ((0xF7FF, 0xFFFE), P + 0x1000 + 1, (0xF000, 0xFFFE)),
        ((0xF7FF, 0xFFFE), P - 0x100 + 1, (0xF7FF, 0xFF7E)),
        ((0xF000, 0xF800), P + 0xFFFFFE + 1, (0xF3FF, 0xD7FF)),     # largest forward
        ((0xF000, 0xF800), P - 0x1000000 + 1, (0xF400, 0xD000)),    # largest backward
    )
    for before, target, after in vectors:
        image = _pair(before[0], before[1])
        relocate(10, image, 0, P, target, RelocContext(), target_is_func=True)
        assert _halves(image) == after, "0x%08x: %r" % (target, _halves(image))


def test_thumb_bl_out_of_range_writes_nothing():
    for delta in (0x1000000, -0x1000002):
        image = _pair(0xF000, 0xF800)
        e = raises(RelocationError, relocate, 10, image, 0, P, P + delta + 1, RelocContext(),
                   None, True)
        assert "out of range" in str(e), str(e)
        assert _halves(image) == (0xF000, 0xF800)


def test_thumb_b_w_keeps_its_opcode():
    image = _pair(0xF7FF, 0xBFFE)            # b.w . (addend -4)
    relocate(30, image, 0, P, P + 0x2000 + 1, RelocContext(), target_is_func=True)
    assert _halves(image)[1] & 0xD000 == 0x9000
    assert read_addend(30, image, 0) == 0x2000 - 4


def test_thumb_branch_to_arm_code_is_rejected():
    e = raises(RelocationError, relocate, 10, _pair(0xF7FF, 0xFFFE), 0, P, P + 0x100,
               RelocContext(), None, True)
    assert "ARM code" in str(e), str(e)


def test_thumb_short_branches():
    image = bytearray(struct.pack("<H", 0xE7FE))             # b . (addend -4)
    relocate(102, image, 0, P, P + 0x100 + 1, RelocContext(), target_is_func=True)
    assert _half(image) == 0xE07E
    image = bytearray(struct.pack("<H", 0xD0FE))             # beq .
    relocate(103, image, 0, P, P + 0x40 + 1, RelocContext(), target_is_func=True)
    assert _half(image) == 0xD01E
    raises(RelocationError, relocate, 103, bytearray(struct.pack("<H", 0xD0FE)), 0, P,
           P + 0x104 + 1, RelocContext(), None, True)
    raises(RelocationError, relocate, 102, bytearray(struct.pack("<H", 0xE7FE)), 0, P,
           P + 0x804 + 1, RelocContext(), None, True)


def test_movw_movt_pairs():
    movw = _pair(0xF240, 0x0000)             # movw r0, #0
    movt = _pair(0xF2C0, 0x0000)             # movt r0, #0
    relocate(47, movw, 0, P, 0x2000ABCD, RelocContext())
    relocate(48, movt, 0, P, 0x2000ABCD, RelocContext())
    assert _halves(movw) == (0xF64A, 0x30CD)
    assert _halves(movt) == (0xF2C2, 0x0000)
    movw = _word(0xE3000000)
    movt = _word(0xE3400000)
    relocate(43, movw, 0, P, 0x12345678, RelocContext())
    relocate(44, movt, 0, P, 0x12345678, RelocContext())
    assert movw == _word(0xE3050678)
    assert movt == _word(0xE3410234)


def test_got_forms():
    got = 0x20002000
    ctx = RelocContext(base=0, got_origin=got, got_slot=lambda index: got + 4 * index)
    image = _word(0)
    relocate(26, image, 0, P, 0, ctx, sym_index=3)           # GOT_BREL
    assert image == _word(12)
    image = _word(0)
    relocate(96, image, 0, P, 0, ctx, sym_index=2)           # GOT_PREL
    assert image == _word((got + 8 - P) & 0xFFFFFFFF)
    image = _word(4)
    relocate(25, image, 0, P, 0, ctx)                         # BASE_PREL
    assert image == _word(got + 4 - P)
    e = raises(RelocationError, relocate, 26, _word(0), 0, P, 0, RelocContext(), None, False, 1)
    assert "GOT" in str(e), str(e)


def test_errors_name_the_problem():
    e = raises(RelocationError, relocate, 99, _word(0), 0, P, 0, RelocContext())
    assert "type 99" in str(e), str(e)
    e = raises(RelocationError, relocate, 2, bytearray(4), 2, P, 0, RelocContext())
    assert "outside" in str(e), str(e)
    assert arm_reloc.type_name(99) == "type 99"
    assert arm_reloc.type_name(10) == "R_ARM_THM_CALL"


def test_every_entry_writes_only_its_place():
    got = 0x20002000
    ctx = RelocContext(base=0x20000000, got_origin=got, got_slot=lambda index: got + 4 * index)
    for rtype in arm_reloc.RELOCATIONS:
        name = arm_reloc.RELOCATIONS[rtype].name
        assert name.startswith("R_ARM_"), name
        size = arm_reloc.place_size(rtype)
        image = bytearray(b"\xaa" * 12)
        relocate(rtype, image, 4, P, P + 0x100, ctx, None, False, 1)
        assert image[:4] == b"\xaa" * 4 and image[4 + size:] == b"\xaa" * (8 - size), name
        if size == 0:
            assert image == b"\xaa" * 12, name
    names = [recipe.name for recipe in arm_reloc.RELOCATIONS.values()]
    assert len(names) == len(set(names))
