"""Instruction fields that ARM relocations patch: one `Field` per encoding (a 32-bit word, the
imm24 of an ARM branch, the S:J1:J2:imm10:imm11 of a Thumb-2 BL/B.W, MOVW/MOVT immediates, the
Thumb ALU groups ...) with how the addend is decoded from the place, how a result is encoded back,
and the range and alignment the field can hold. arm_reloc's recipes name these fields.
Imports: struct, rterror.
"""
import struct

from .rterror import RelocationError

try:
    from micropython import const
except ImportError:
    def const(x):
        return x


# Bits of the instructions that the encodings below keep or fill.
_ARM_B_IMM24 = const(0xFFFFFF)
_ARM_B_KEEP = const(0xFF000000)
_THM_BL_IMM10 = const(0x3FF)
_THM_BL_IMM11 = const(0x7FF)
_THM_BL_HI_KEEP = const(0xF800)       # first halfword: 11110, then S, imm10
_THM_BL_LO_KEEP = const(0xD000)       # second halfword: 1, J1, 1/0, J2, imm11
_THM_B11_IMM = const(0x7FF)
_THM_B11_KEEP = const(0xF800)
_THM_B8_IMM = const(0xFF)
_THM_B8_KEEP = const(0xFF00)
_ARM_MOV_IMM12 = const(0xFFF)
_ARM_MOV_IMM4 = const(0xF000)         # imm4 at bits 16..19, moved down to 12..15
_ARM_MOV_KEEP = const(0xFFF0F000)
_THM_MOV_IMM4 = const(0xF)
_THM_MOV_HI_KEEP = const(0xFBF0)      # first halfword without i (bit 10) and imm4
_THM_MOV_LO_KEEP = const(0x8F00)      # second halfword without imm3 (bits 12..14) and imm8
_THM_MOV_IMM8 = const(0xFF)
_PREL31_VALUE = const(0x7FFFFFFF)
_PREL31_KEEP = const(0x80000000)
_V4BX_KEEP = const(0xF000000F)        # condition and Rm of BX Rm
_V4BX_MOV_PC = const(0x01A0F000)      # MOV PC, Rm
_THM_ALU_IMM8 = const(0xFF)
_THM_ALU_KEEP = const(0xFF00)


def _signed(value, bits):
    value &= (1 << bits) - 1
    if value & (1 << (bits - 1)):
        value -= 1 << bits
    return value


def _u16(image, off):
    return image[off] | (image[off + 1] << 8)


def _put16(image, off, value):
    image[off] = value & 0xFF
    image[off + 1] = (value >> 8) & 0xFF


def _u32(image, off):
    return struct.unpack_from("<I", image, off)[0]


def _put32(image, off, value):
    struct.pack_into("<I", image, off, value & 0xFFFFFFFF)


class Field:
    """Where a relocation's value lives: `size` bytes at the place, `decode(image, off)` -> the
    implicit addend, `encode(image, off, value)` writes a result. A branch field has `bits`
    (sign bit included) and `align`, checked before encoding; `what` names it in errors."""

    def __init__(self, size, decode, encode, bits=0, align=1, what=""):
        self.size = size
        self.decode = decode
        self.encode = encode
        self.bits = bits
        self.align = align
        self.what = what

    def check(self, value):
        if not self.bits:
            return
        limit = 1 << (self.bits - 1)
        if value < -limit or value >= limit:
            raise RelocationError("%s offset %d is out of range (+-%d bytes)"
                                  % (self.what, value, limit), RelocationError.OUT_OF_RANGE)
        if value & (self.align - 1):
            raise RelocationError("%s offset %d is not %d-byte aligned"
                                  % (self.what, value, self.align))


def _decode_nothing(image, off):
    return 0


def _encode_nothing(image, off, value):
    pass


def _decode_word(image, off):
    return _signed(_u32(image, off), 32)


def _encode_word(image, off, value):
    _put32(image, off, value)


def _decode_arm_b24(image, off):
    return _signed(_u32(image, off) & _ARM_B_IMM24, 24) << 2


def _encode_arm_b24(image, off, value):
    _put32(image, off, (_u32(image, off) & _ARM_B_KEEP) | ((value >> 2) & _ARM_B_IMM24))


def _decode_thm_b25(image, off):
    hi, lo = _u16(image, off), _u16(image, off + 2)
    s = (hi >> 10) & 1
    i1 = 1 - (((lo >> 13) & 1) ^ s)
    i2 = 1 - (((lo >> 11) & 1) ^ s)
    imm = ((s << 24) | (i1 << 23) | (i2 << 22) | ((hi & _THM_BL_IMM10) << 12)
           | ((lo & _THM_BL_IMM11) << 1))
    return _signed(imm, 25)


def _encode_thm_b25(image, off, value):
    s = (value >> 24) & 1
    j1 = (1 - ((value >> 23) & 1)) ^ s
    j2 = (1 - ((value >> 22) & 1)) ^ s
    hi, lo = _u16(image, off), _u16(image, off + 2)
    _put16(image, off, (hi & _THM_BL_HI_KEEP) | (s << 10) | ((value >> 12) & _THM_BL_IMM10))
    _put16(image, off + 2, (lo & _THM_BL_LO_KEEP) | (j1 << 13) | (j2 << 11)
           | ((value >> 1) & _THM_BL_IMM11))


def _decode_thm_b12(image, off):
    return _signed((_u16(image, off) & _THM_B11_IMM) << 1, 12)


def _encode_thm_b12(image, off, value):
    _put16(image, off, (_u16(image, off) & _THM_B11_KEEP) | ((value >> 1) & _THM_B11_IMM))


def _decode_thm_b9(image, off):
    return _signed((_u16(image, off) & _THM_B8_IMM) << 1, 9)


def _encode_thm_b9(image, off, value):
    _put16(image, off, (_u16(image, off) & _THM_B8_KEEP) | ((value >> 1) & _THM_B8_IMM))


def _decode_arm_mov(image, off):
    insn = _u32(image, off)
    return _signed(((insn >> 4) & _ARM_MOV_IMM4) | (insn & _ARM_MOV_IMM12), 16)


def _arm_mov_encoder(shift):
    # MOVW takes the low half of the value, MOVT (shift 16) the high half.
    def encode(image, off, value):
        imm = value >> shift
        insn = _u32(image, off) & _ARM_MOV_KEEP
        _put32(image, off, insn | ((imm & _ARM_MOV_IMM4) << 4) | (imm & _ARM_MOV_IMM12))
    return encode


def _decode_thm_mov(image, off):
    hi, lo = _u16(image, off), _u16(image, off + 2)
    imm = (((hi & _THM_MOV_IMM4) << 12) | (((hi >> 10) & 1) << 11) | (((lo >> 12) & 7) << 8)
           | (lo & _THM_MOV_IMM8))
    return _signed(imm, 16)


def _thm_mov_encoder(shift):
    def encode(image, off, value):
        imm = value >> shift
        hi = ((_u16(image, off) & _THM_MOV_HI_KEEP) | ((imm >> 12) & _THM_MOV_IMM4)
              | (((imm >> 11) & 1) << 10))
        lo = ((_u16(image, off + 2) & _THM_MOV_LO_KEEP) | (((imm >> 8) & 7) << 12)
              | (imm & _THM_MOV_IMM8))
        _put16(image, off, hi)
        _put16(image, off + 2, lo)
    return encode


def _decode_prel31(image, off):
    return _signed(_u32(image, off), 31)


def _encode_prel31(image, off, value):
    if value < -(1 << 30) or value >= (1 << 30):
        raise RelocationError("PREL31 offset %d is out of range (+-1 GiB)" % value,
                              RelocationError.OUT_OF_RANGE)
    _put32(image, off, (_u32(image, off) & _PREL31_KEEP) | (value & _PREL31_VALUE))


def _encode_v4bx(image, off, value):
    _put32(image, off, (_u32(image, off) & _V4BX_KEEP) | _V4BX_MOV_PC)


def _decode_thm_alu(image, off):
    return _u16(image, off) & _THM_ALU_IMM8


def _thm_alu_encoder(group):
    # Group g of an ADDS/MOVS immediate sequence takes bits 8g..8g+7 of the value.
    shift = 8 * group

    def encode(image, off, value):
        if group == 3 and (value >> 32):
            raise RelocationError("value 0x%x does not fit 32 bits" % value)
        _put16(image, off, (_u16(image, off) & _THM_ALU_KEEP)
               | ((value >> shift) & _THM_ALU_IMM8))
    return encode


NONE = Field(0, _decode_nothing, _encode_nothing)
WORD32 = Field(4, _decode_word, _encode_word)
ARM_B24 = Field(4, _decode_arm_b24, _encode_arm_b24, 26, 4, "ARM branch")
THM_B25 = Field(4, _decode_thm_b25, _encode_thm_b25, 25, 2, "Thumb-2 branch")
THM_B12 = Field(2, _decode_thm_b12, _encode_thm_b12, 12, 2, "Thumb B (11-bit)")
THM_B9 = Field(2, _decode_thm_b9, _encode_thm_b9, 9, 2, "Thumb B<cond> (8-bit)")
ARM_MOVW = Field(4, _decode_arm_mov, _arm_mov_encoder(0))
ARM_MOVT = Field(4, _decode_arm_mov, _arm_mov_encoder(16))
THM_MOVW = Field(4, _decode_thm_mov, _thm_mov_encoder(0))
THM_MOVT = Field(4, _decode_thm_mov, _thm_mov_encoder(16))
PREL31 = Field(4, _decode_prel31, _encode_prel31)
V4BX = Field(4, _decode_nothing, _encode_v4bx)
THM_ALU0 = Field(2, _decode_thm_alu, _thm_alu_encoder(0))
THM_ALU1 = Field(2, _decode_thm_alu, _thm_alu_encoder(1))
THM_ALU2 = Field(2, _decode_thm_alu, _thm_alu_encoder(2))
THM_ALU3 = Field(2, _decode_thm_alu, _thm_alu_encoder(3))
