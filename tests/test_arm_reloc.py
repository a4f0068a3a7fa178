"""Each relocation formula of the shared table against hand-computed vectors."""
import struct

import pytest

from rtdl_device import arm_reloc
from rtdl_device.arm_reloc import RelocContext, relocate, read_addend
from rtdl_device.rterror import RelocationError

P = 0x20001000


def word_image(value):
    return bytearray(struct.pack("<I", value))


def halves(image):
    return struct.unpack("<HH", bytes(image[:4]))


def thumb_bl(hw1, hw2):
    return bytearray(struct.pack("<HH", hw1, hw2))


def test_abs32_adds_symbol_to_stored_addend():
    image = word_image(0x10)
    relocate(2, image, 0, P, 0x08000101, RelocContext())
    assert image == word_image(0x08000111)


def test_rel32_is_symbol_plus_addend_minus_place():
    image = word_image(4)
    relocate(3, image, 0, P, P + 0x100, RelocContext())
    assert image == word_image(0x104)


def test_relative_adds_load_bias():
    image = word_image(0x1F4)
    relocate(23, image, 0, P, 0, RelocContext(base=0x20000000))
    assert image == word_image(0x200001F4)


@pytest.mark.parametrize("rtype", [21, 22])
def test_glob_dat_and_jump_slot_overwrite_the_place(rtype):
    image = word_image(0xDEADBEEF)           # a PLT0 pre-fill must not be added in
    relocate(rtype, image, 0, P, 0x0000ABCD, RelocContext())
    assert image == word_image(0x0000ABCD)


def test_none_changes_nothing():
    image = word_image(0x12345678)
    relocate(0, image, 0, P, 0x999, RelocContext())
    assert image == word_image(0x12345678)


def test_v4bx_rewrites_bx_to_mov_pc():
    image = word_image(0xE12FFF1E)          # bx lr
    relocate(40, image, 0, P, 0, RelocContext())
    assert image == word_image(0xE1A0F00E)   # mov pc, lr


def test_arm_bl_placeholder_addend_and_forward_branch():
    image = word_image(0xEBFFFFFE)           # bl . (addend -8)
    assert read_addend(28, image, 0) == -8
    relocate(28, image, 0, P, P + 0x1000, RelocContext())
    assert image == word_image(0xEB0003FE)   # (0x1000 - 8) >> 2


@pytest.mark.parametrize("rtype", [1, 27, 28, 29])
def test_arm_branch_range_is_32_mib(rtype):
    image = word_image(0xEAFFFFFE)
    relocate(rtype, image, 0, P, P + 8 + (1 << 25) - 4, RelocContext())
    assert image == word_image(0xEA7FFFFF)
    with pytest.raises(RelocationError):
        relocate(rtype, word_image(0xEAFFFFFE), 0, P, P + 8 + (1 << 25), RelocContext())


def test_thumb_bl_placeholder_decodes_as_minus_four():
    assert read_addend(10, thumb_bl(0xF7FF, 0xFFFE), 0) == -4


def test_thumb_bl_forward_0x1000():
    image = thumb_bl(0xF7FF, 0xFFFE)
    relocate(10, image, 0, P, P + 0x1000 + 1, RelocContext(), target_is_func=True)
    assert halves(image) == (0xF000, 0xFFFE)


def test_thumb_bl_backward():
    image = thumb_bl(0xF7FF, 0xFFFE)
    relocate(10, image, 0, P, P - 0x100 + 1, RelocContext(), target_is_func=True)
    # offset -0x104: S=1, I1=I2=1 -> J1=J2=1, imm10=0x3FF, imm11=0x77E
    assert halves(image) == (0xF7FF, 0xFF7E)


def test_thumb_bl_largest_forward_offset():
    image = thumb_bl(0xF000, 0xF800)         # bl with addend 0
    relocate(10, image, 0, P, P + 0xFFFFFE + 1, RelocContext(), target_is_func=True)
    assert halves(image) == (0xF3FF, 0xD7FF)


def test_thumb_bl_largest_backward_offset():
    image = thumb_bl(0xF000, 0xF800)
    relocate(10, image, 0, P, P - 0x1000000 + 1, RelocContext(), target_is_func=True)
    assert halves(image) == (0xF400, 0xD000)


@pytest.mark.parametrize("delta", [0x1000000, -0x1000002])
def test_thumb_bl_just_out_of_range_fails(delta):
    image = thumb_bl(0xF000, 0xF800)
    with pytest.raises(RelocationError, match="out of range"):
        relocate(10, image, 0, P, P + delta + 1, RelocContext(), target_is_func=True)
    assert halves(image) == (0xF000, 0xF800)  # a failed relocation writes nothing


def test_thumb_b_w_keeps_its_opcode_bits():
    image = thumb_bl(0xF7FF, 0xBFFE)         # b.w . (addend -4)
    relocate(30, image, 0, P, P + 0x2000 + 1, RelocContext(), target_is_func=True)
    hw1, hw2 = halves(image)
    assert hw2 & 0xD000 == 0x9000             # still B.W, not BL
    assert read_addend(30, image, 0) == 0x2000 - 4


def test_thumb_branch_to_arm_function_is_rejected():
    with pytest.raises(RelocationError, match="ARM code"):
        relocate(10, thumb_bl(0xF7FF, 0xFFFE), 0, P, P + 0x100, RelocContext(),
                 target_is_func=True)


def test_thumb_movw_movt_pair():
    movw = bytearray(struct.pack("<HH", 0xF240, 0x0000))  # movw r0, #0
    movt = bytearray(struct.pack("<HH", 0xF2C0, 0x0000))  # movt r0, #0
    relocate(47, movw, 0, P, 0x2000ABCD, RelocContext())
    relocate(48, movt, 0, P, 0x2000ABCD, RelocContext())
    # movw r0, #0xABCD = f64a 30cd ; movt r0, #0x2000 = f2c2 0000
    assert halves(movw) == (0xF64A, 0x30CD)
    assert halves(movt) == (0xF2C2, 0x0000)


def test_arm_movw_movt_pair():
    movw = word_image(0xE3000000)
    movt = word_image(0xE3400000)
    relocate(43, movw, 0, P, 0x12345678, RelocContext())
    relocate(44, movt, 0, P, 0x12345678, RelocContext())
    assert movw == word_image(0xE3050678)
    assert movt == word_image(0xE3410234)


def test_unknown_type_is_an_error_naming_it():
    with pytest.raises(RelocationError, match="type 99"):
        relocate(99, word_image(0), 0, P, 0, RelocContext())


def test_place_outside_image_is_an_error():
    with pytest.raises(RelocationError, match="outside"):
        relocate(2, bytearray(4), 2, P, 0, RelocContext())


def test_table_names_are_unique_and_prefixed():
    names = [recipe.name for recipe in arm_reloc.RELOCATIONS.values()]
    assert len(set(names)) == len(names)
    assert all(name.startswith("R_ARM_") for name in names)
