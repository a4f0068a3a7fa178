"""ARM relocations: ONE table shared by the device loader and the host verifier (`rtdl verify`).

Each supported type is a recipe `type -> (name, field, calc)`:
  field - where the addend lives and how the result is written back (a 32-bit word, the
          imm24 of an ARM branch, the S:J1:J2:imm10:imm11 of a Thumb-2 BL/B.W, a MOVW/MOVT
          immediate ...), with the range and alignment that field can hold;
  calc  - what is computed from S (symbol address, Thumb bit included), A (addend), P (place),
          B (load bias) and the GOT.
Formulas follow "ELF for the ARM Architecture" (AAELF32). REL entries read their addend from the
place; RELA entries pass it. Errors raise rterror.RelocationError with a short reason; the
caller adds the file, section, index, offset and symbol. Imports: struct, rterror.
"""
import struct

from .rterror import RelocationError

try:
    from micropython import const
except ImportError:
    def const(x):
        return x

# field kinds
_WORD32 = const(0)
_ARM_B24 = const(1)
_THM_B25 = const(2)
_THM_B12 = const(3)
_THM_B9 = const(4)
_ARM_MOVW = const(5)
_ARM_MOVT = const(6)
_THM_MOVW = const(7)
_THM_MOVT = const(8)
_PREL31 = const(9)
_V4BX = const(10)
_THM_ALU0 = const(11)
_THM_ALU1 = const(12)
_THM_ALU2 = const(13)
_THM_ALU3 = const(14)
_NONE = const(15)

# calculations
_C_NONE = const(0)
_C_ABS = const(1)        # S + A
_C_REL = const(2)        # S + A - P
_C_RELATIVE = const(3)   # B + A
_C_SYM = const(4)        # S          (GLOB_DAT, JUMP_SLOT: the place is overwritten)
_C_BASE_PREL = const(5)  # GOT_ORG + A - P
_C_GOT_BREL = const(6)   # GOT(S) + A - GOT_ORG
_C_GOT_PREL = const(7)   # GOT(S) + A - P
_C_BASE_ABS = const(8)   # GOT_ORG + A

R_ARM_NONE = const(0)
R_ARM_ABS32 = const(2)
R_ARM_GLOB_DAT = const(21)
R_ARM_JUMP_SLOT = const(22)
R_ARM_RELATIVE = const(23)

# type -> (name, field, calc). Keep this the only list of supported relocations.
RELOCATIONS = {
    0: ("R_ARM_NONE", _NONE, _C_NONE),
    1: ("R_ARM_PC24", _ARM_B24, _C_REL),
    2: ("R_ARM_ABS32", _WORD32, _C_ABS),
    3: ("R_ARM_REL32", _WORD32, _C_REL),
    10: ("R_ARM_THM_CALL", _THM_B25, _C_REL),
    21: ("R_ARM_GLOB_DAT", _WORD32, _C_SYM),
    22: ("R_ARM_JUMP_SLOT", _WORD32, _C_SYM),
    23: ("R_ARM_RELATIVE", _WORD32, _C_RELATIVE),
    25: ("R_ARM_BASE_PREL", _WORD32, _C_BASE_PREL),
    26: ("R_ARM_GOT_BREL", _WORD32, _C_GOT_BREL),
    27: ("R_ARM_PLT32", _ARM_B24, _C_REL),
    28: ("R_ARM_CALL", _ARM_B24, _C_REL),
    29: ("R_ARM_JUMP24", _ARM_B24, _C_REL),
    30: ("R_ARM_THM_JUMP24", _THM_B25, _C_REL),
    31: ("R_ARM_BASE_ABS", _WORD32, _C_BASE_ABS),
    38: ("R_ARM_TARGET1", _WORD32, _C_ABS),
    40: ("R_ARM_V4BX", _V4BX, _C_NONE),
    41: ("R_ARM_TARGET2", _WORD32, _C_REL),
    42: ("R_ARM_PREL31", _PREL31, _C_REL),
    43: ("R_ARM_MOVW_ABS_NC", _ARM_MOVW, _C_ABS),
    44: ("R_ARM_MOVT_ABS", _ARM_MOVT, _C_ABS),
    45: ("R_ARM_MOVW_PREL_NC", _ARM_MOVW, _C_REL),
    46: ("R_ARM_MOVT_PREL", _ARM_MOVT, _C_REL),
    47: ("R_ARM_THM_MOVW_ABS_NC", _THM_MOVW, _C_ABS),
    48: ("R_ARM_THM_MOVT_ABS", _THM_MOVT, _C_ABS),
    49: ("R_ARM_THM_MOVW_PREL_NC", _THM_MOVW, _C_REL),
    50: ("R_ARM_THM_MOVT_PREL", _THM_MOVT, _C_REL),
    96: ("R_ARM_GOT_PREL", _WORD32, _C_GOT_PREL),
    102: ("R_ARM_THM_JUMP11", _THM_B12, _C_REL),
    103: ("R_ARM_THM_JUMP8", _THM_B9, _C_REL),
    132: ("R_ARM_THM_ALU_ABS_G0_NC", _THM_ALU0, _C_ABS),
    133: ("R_ARM_THM_ALU_ABS_G1_NC", _THM_ALU1, _C_ABS),
    134: ("R_ARM_THM_ALU_ABS_G2_NC", _THM_ALU2, _C_ABS),
    135: ("R_ARM_THM_ALU_ABS_G3", _THM_ALU3, _C_ABS),
}

# Types whose place receives a branch: the target must be Thumb code on a Cortex-M.
THUMB_BRANCHES = (10, 30, 102, 103)
# Types that need a GOT slot for their symbol (the loader builds one for ET_REL files).
GOT_TYPES = (26, 96)
# Types that need the GOT origin.
GOT_ORIGIN_TYPES = (25, 26, 31)


def type_name(rtype):
    entry = RELOCATIONS.get(rtype)
    if entry is None:
        return "type %d" % rtype
    return entry[0]


def place_size(rtype):
    """Bytes at the place that a relocation of this type reads and writes."""
    field = RELOCATIONS[rtype][1]
    if field == _NONE:
        return 0
    if field in (_THM_B12, _THM_B9, _THM_ALU0, _THM_ALU1, _THM_ALU2, _THM_ALU3):
        return 2
    return 4


class RelocContext:
    """What a calculation needs besides S, A and P.

    base: the load bias B (where vaddr 0 of the file lands); got_origin: address of the GOT;
    got_slot(symbol_index) -> address of that symbol's GOT entry.
    """

    def __init__(self, base=0, got_origin=0, got_slot=None):
        self.base = base
        self.got_origin = got_origin
        self.got_slot = got_slot


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


def read_addend(rtype, image, off):
    """The implicit (REL) addend stored at the place, as a signed integer."""
    field = RELOCATIONS[rtype][1]
    if field == _WORD32:
        return _signed(_u32(image, off), 32)
    if field == _ARM_B24:
        return _signed(_u32(image, off) & 0xFFFFFF, 24) << 2
    if field == _THM_B25:
        hi, lo = _u16(image, off), _u16(image, off + 2)
        s = (hi >> 10) & 1
        i1 = 1 - (((lo >> 13) & 1) ^ s)
        i2 = 1 - (((lo >> 11) & 1) ^ s)
        imm = (s << 24) | (i1 << 23) | (i2 << 22) | ((hi & 0x3FF) << 12) | ((lo & 0x7FF) << 1)
        return _signed(imm, 25)
    if field == _THM_B12:
        return _signed((_u16(image, off) & 0x7FF) << 1, 12)
    if field == _THM_B9:
        return _signed((_u16(image, off) & 0xFF) << 1, 9)
    if field == _ARM_MOVW or field == _ARM_MOVT:
        insn = _u32(image, off)
        return _signed(((insn >> 4) & 0xF000) | (insn & 0xFFF), 16)
    if field == _THM_MOVW or field == _THM_MOVT:
        hi, lo = _u16(image, off), _u16(image, off + 2)
        imm = ((hi & 0xF) << 12) | (((hi >> 10) & 1) << 11) | (((lo >> 12) & 7) << 8) | (lo & 0xFF)
        return _signed(imm, 16)
    if field == _PREL31:
        return _signed(_u32(image, off), 31)
    if field in (_THM_ALU0, _THM_ALU1, _THM_ALU2, _THM_ALU3):
        return _u16(image, off) & 0xFF
    return 0


def _calculate(calc, S, A, P, ctx, sym_index):
    if calc == _C_NONE:
        return 0
    if calc == _C_ABS:
        return S + A
    if calc == _C_REL:
        return S + A - P
    if calc == _C_RELATIVE:
        return ctx.base + A
    if calc == _C_SYM:
        return S
    if calc == _C_BASE_PREL:
        return ctx.got_origin + A - P
    if calc == _C_BASE_ABS:
        return ctx.got_origin + A
    if ctx.got_slot is None:
        raise RelocationError("needs a GOT, which this file has none of")
    if calc == _C_GOT_BREL:
        return ctx.got_slot(sym_index) + A - ctx.got_origin
    return ctx.got_slot(sym_index) + A - P      # _C_GOT_PREL


def _check_branch(value, bits, align, what):
    # `bits` counts the sign bit: a B.W/BL reaches -2**24 .. 2**24-2.
    limit = 1 << (bits - 1)
    if value < -limit or value >= limit:
        raise RelocationError("%s offset %d is out of range (+-%d bytes)" % (what, value, limit))
    if value & (align - 1):
        raise RelocationError("%s offset %d is not %d-byte aligned" % (what, value, align))


def _write(field, image, off, value):
    if field == _WORD32:
        _put32(image, off, value)
    elif field == _ARM_B24:
        _check_branch(value, 26, 4, "ARM branch")
        insn = _u32(image, off)
        _put32(image, off, (insn & 0xFF000000) | ((value >> 2) & 0xFFFFFF))
    elif field == _THM_B25:
        _check_branch(value, 25, 2, "Thumb-2 branch")
        s = (value >> 24) & 1
        j1 = (1 - ((value >> 23) & 1)) ^ s
        j2 = (1 - ((value >> 22) & 1)) ^ s
        hi, lo = _u16(image, off), _u16(image, off + 2)
        _put16(image, off, (hi & 0xF800) | (s << 10) | ((value >> 12) & 0x3FF))
        _put16(image, off + 2, (lo & 0xD000) | (j1 << 13) | (j2 << 11) | ((value >> 1) & 0x7FF))
    elif field == _THM_B12:
        _check_branch(value, 12, 2, "Thumb B (11-bit)")
        _put16(image, off, (_u16(image, off) & 0xF800) | ((value >> 1) & 0x7FF))
    elif field == _THM_B9:
        _check_branch(value, 9, 2, "Thumb B<cond> (8-bit)")
        _put16(image, off, (_u16(image, off) & 0xFF00) | ((value >> 1) & 0xFF))
    elif field == _ARM_MOVW or field == _ARM_MOVT:
        imm = (value >> 16) if field == _ARM_MOVT else value
        insn = _u32(image, off) & 0xFFF0F000
        _put32(image, off, insn | ((imm & 0xF000) << 4) | (imm & 0xFFF))
    elif field == _THM_MOVW or field == _THM_MOVT:
        imm = (value >> 16) if field == _THM_MOVT else value
        hi = (_u16(image, off) & 0xFBF0) | ((imm >> 12) & 0xF) | (((imm >> 11) & 1) << 10)
        lo = (_u16(image, off + 2) & 0x8F00) | (((imm >> 8) & 7) << 12) | (imm & 0xFF)
        _put16(image, off, hi)
        _put16(image, off + 2, lo)
    elif field == _PREL31:
        if value < -(1 << 30) or value >= (1 << 30):
            raise RelocationError("PREL31 offset %d is out of range (+-1 GiB)" % value)
        _put32(image, off, (_u32(image, off) & 0x80000000) | (value & 0x7FFFFFFF))
    elif field == _V4BX:
        _put32(image, off, (_u32(image, off) & 0xF000000F) | 0x01A0F000)
    elif field in (_THM_ALU0, _THM_ALU1, _THM_ALU2, _THM_ALU3):
        if field == _THM_ALU3 and (value >> 32):
            raise RelocationError("value 0x%x does not fit 32 bits" % value)
        byte = (value >> (8 * (field - _THM_ALU0))) & 0xFF
        _put16(image, off, (_u16(image, off) & 0xFF00) | byte)


def relocate(rtype, image, off, P, S, ctx, addend=None, target_is_func=False, sym_index=0):
    """Apply one relocation to `image` (a bytearray) at byte offset `off`.

    P is the run-time address of the place, S the symbol's run-time address (Thumb bit
    included for Thumb functions; 0 for no symbol or an undefined weak one). Returns the value
    written into the field (before encoding), for dry-run plans.
    """
    entry = RELOCATIONS.get(rtype)
    if entry is None:
        raise RelocationError("unsupported relocation type %d" % rtype)
    name, field, calc = entry
    size = place_size(rtype)
    if off < 0 or off + size > len(image):
        raise RelocationError("place offset 0x%x (+%d bytes) is outside the module image of %d bytes"
                              % (off, size, len(image)))
    if rtype in THUMB_BRANCHES and target_is_func and S and not (S & 1):
        raise RelocationError("branch target 0x%08x is ARM code; a Cortex-M runs Thumb code only" % S)
    A = read_addend(rtype, image, off) if addend is None else addend
    if rtype in THUMB_BRANCHES:
        S &= ~1
    value = _calculate(calc, S, A, P, ctx, sym_index)
    _write(field, image, off, value)
    return value & 0xFFFFFFFF
