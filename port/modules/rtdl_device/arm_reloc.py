"""ARM relocations: ONE table shared by the device loader and the host verifier (`rtdl verify`).

Each supported type is a `Recipe` (name, field, calc, flags), in the style of pyelftools'
relocation recipes:
  field - a `Field`: how many bytes the place has, how the addend is read from it, how a result
          is encoded back (a 32-bit word, the imm24 of an ARM branch, the S:J1:J2:imm10:imm11 of
          a Thumb-2 BL/B.W, a MOVW/MOVT immediate ...) and the range and alignment it can hold;
  calc  - what is computed from S (symbol address, Thumb bit included), A (addend), P (place),
          B (load bias) and the GOT;
  flags - THUMB_BRANCH, NEEDS_GOT, NEEDS_GOT_ORIGIN, VENEER_ELIGIBLE: what the loader must do
          around the calculation.
Formulas follow "ELF for the ARM Architecture" (AAELF32). REL entries read their addend from the
place; RELA entries pass it. Errors raise rterror.RelocationError with a short reason (and kind
OUT_OF_RANGE or UNSUPPORTED); the linker adds the file, section, index, offset and symbol.
Imports: arm_fields, rterror.
"""
from .arm_fields import (ARM_B24, ARM_MOVT, ARM_MOVW, NONE, PREL31, THM_ALU0, THM_ALU1,
                         THM_ALU2, THM_ALU3, THM_B9, THM_B12, THM_B25, THM_MOVT, THM_MOVW, V4BX,
                         WORD32)
from .rterror import RelocationError

try:
    from micropython import const
except ImportError:
    def const(x):
        return x

R_ARM_NONE = const(0)
R_ARM_ABS32 = const(2)
R_ARM_GLOB_DAT = const(21)
R_ARM_JUMP_SLOT = const(22)
R_ARM_RELATIVE = const(23)

# Recipe flags.
THUMB_BRANCH = const(1)       # the place branches: the target must be Thumb code, bit 0 dropped
NEEDS_GOT = const(2)          # the symbol needs a GOT slot (the loader builds one for ET_REL)
NEEDS_GOT_ORIGIN = const(4)   # the calculation uses the GOT origin
VENEER_ELIGIBLE = const(8)    # a BL/B.W (+-16 MiB) that may reach a far import via a veneer

class RelocContext:
    """What a calculation needs besides S, A and P.

    base: the load bias B (where vaddr 0 of the file lands); got_origin: address of the GOT;
    got_slot(symbol_index) -> address of that symbol's GOT entry.
    """

    def __init__(self, base=0, got_origin=0, got_slot=None):
        self.base = base
        self.got_origin = got_origin
        self.got_slot = got_slot


def _got_slot(ctx, sym_index):
    if ctx.got_slot is None:
        raise RelocationError("needs a GOT, which this file has none of")
    return ctx.got_slot(sym_index)


def _calc_none(S, A, P, ctx, sym_index):
    return 0


def _calc_abs(S, A, P, ctx, sym_index):
    return S + A


def _calc_rel(S, A, P, ctx, sym_index):
    return S + A - P


def _calc_relative(S, A, P, ctx, sym_index):
    return ctx.base + A


def _calc_sym(S, A, P, ctx, sym_index):
    # GLOB_DAT, JUMP_SLOT: the place is overwritten with the symbol's address.
    return S


def _calc_base_prel(S, A, P, ctx, sym_index):
    return ctx.got_origin + A - P


def _calc_base_abs(S, A, P, ctx, sym_index):
    return ctx.got_origin + A


def _calc_got_brel(S, A, P, ctx, sym_index):
    return _got_slot(ctx, sym_index) + A - ctx.got_origin


def _calc_got_prel(S, A, P, ctx, sym_index):
    return _got_slot(ctx, sym_index) + A - P


class Recipe:
    """One relocation type: its `name`, `field`, `calc(S, A, P, ctx, sym_index)` and flags,
    also readable as `thumb_branch`, `needs_got`, `needs_got_origin`, `veneer_eligible`."""

    def __init__(self, name, field, calc, flags=0):
        self.name = name
        self.field = field
        self.calc = calc
        self.flags = flags
        self.thumb_branch = bool(flags & THUMB_BRANCH)
        self.needs_got = bool(flags & NEEDS_GOT)
        self.needs_got_origin = bool(flags & NEEDS_GOT_ORIGIN)
        self.veneer_eligible = bool(flags & VENEER_ELIGIBLE)


_BL = THUMB_BRANCH | VENEER_ELIGIBLE

# Keep this the only list of supported relocations.
RELOCATIONS = {
    0: Recipe("R_ARM_NONE", NONE, _calc_none),
    1: Recipe("R_ARM_PC24", ARM_B24, _calc_rel),
    2: Recipe("R_ARM_ABS32", WORD32, _calc_abs),
    3: Recipe("R_ARM_REL32", WORD32, _calc_rel),
    10: Recipe("R_ARM_THM_CALL", THM_B25, _calc_rel, _BL),
    21: Recipe("R_ARM_GLOB_DAT", WORD32, _calc_sym),
    22: Recipe("R_ARM_JUMP_SLOT", WORD32, _calc_sym),
    23: Recipe("R_ARM_RELATIVE", WORD32, _calc_relative),
    25: Recipe("R_ARM_BASE_PREL", WORD32, _calc_base_prel, NEEDS_GOT_ORIGIN),
    26: Recipe("R_ARM_GOT_BREL", WORD32, _calc_got_brel, NEEDS_GOT | NEEDS_GOT_ORIGIN),
    27: Recipe("R_ARM_PLT32", ARM_B24, _calc_rel),
    28: Recipe("R_ARM_CALL", ARM_B24, _calc_rel),
    29: Recipe("R_ARM_JUMP24", ARM_B24, _calc_rel),
    30: Recipe("R_ARM_THM_JUMP24", THM_B25, _calc_rel, _BL),
    31: Recipe("R_ARM_BASE_ABS", WORD32, _calc_base_abs, NEEDS_GOT_ORIGIN),
    38: Recipe("R_ARM_TARGET1", WORD32, _calc_abs),
    40: Recipe("R_ARM_V4BX", V4BX, _calc_none),
    41: Recipe("R_ARM_TARGET2", WORD32, _calc_rel),
    42: Recipe("R_ARM_PREL31", PREL31, _calc_rel),
    43: Recipe("R_ARM_MOVW_ABS_NC", ARM_MOVW, _calc_abs),
    44: Recipe("R_ARM_MOVT_ABS", ARM_MOVT, _calc_abs),
    45: Recipe("R_ARM_MOVW_PREL_NC", ARM_MOVW, _calc_rel),
    46: Recipe("R_ARM_MOVT_PREL", ARM_MOVT, _calc_rel),
    47: Recipe("R_ARM_THM_MOVW_ABS_NC", THM_MOVW, _calc_abs),
    48: Recipe("R_ARM_THM_MOVT_ABS", THM_MOVT, _calc_abs),
    49: Recipe("R_ARM_THM_MOVW_PREL_NC", THM_MOVW, _calc_rel),
    50: Recipe("R_ARM_THM_MOVT_PREL", THM_MOVT, _calc_rel),
    96: Recipe("R_ARM_GOT_PREL", WORD32, _calc_got_prel, NEEDS_GOT),
    102: Recipe("R_ARM_THM_JUMP11", THM_B12, _calc_rel, THUMB_BRANCH),
    103: Recipe("R_ARM_THM_JUMP8", THM_B9, _calc_rel, THUMB_BRANCH),
    132: Recipe("R_ARM_THM_ALU_ABS_G0_NC", THM_ALU0, _calc_abs),
    133: Recipe("R_ARM_THM_ALU_ABS_G1_NC", THM_ALU1, _calc_abs),
    134: Recipe("R_ARM_THM_ALU_ABS_G2_NC", THM_ALU2, _calc_abs),
    135: Recipe("R_ARM_THM_ALU_ABS_G3", THM_ALU3, _calc_abs),
}


# The 32-bit word relocations whose calculation is B + A, S + A or S, taken from the table
# above: the linker applies these in one pass of its own (link.Linker.link).
WORD_B_PLUS_A = const(0)
WORD_S_PLUS_A = const(1)
WORD_S = const(2)
WORD_KINDS = {}
for _type, _recipe in RELOCATIONS.items():
    if _recipe.field is WORD32 and not _recipe.flags:
        if _recipe.calc is _calc_relative:
            WORD_KINDS[_type] = WORD_B_PLUS_A
        elif _recipe.calc is _calc_abs:
            WORD_KINDS[_type] = WORD_S_PLUS_A
        elif _recipe.calc is _calc_sym:
            WORD_KINDS[_type] = WORD_S

def type_name(rtype):
    recipe = RELOCATIONS.get(rtype)
    if recipe is None:
        return "type %d" % rtype
    return recipe.name


def place_size(rtype):
    """Bytes at the place that a relocation of this type reads and writes."""
    return RELOCATIONS[rtype].field.size


def read_addend(rtype, image, off):
    """The implicit (REL) addend stored at the place, as a signed integer."""
    return RELOCATIONS[rtype].field.decode(image, off)


def relocate(rtype, image, off, P, S, ctx, addend=None, target_is_func=False, sym_index=0):
    """Apply one relocation to `image` (a bytearray) at byte offset `off`.

    P is the run-time address of the place, S the symbol's run-time address (Thumb bit
    included for Thumb functions; 0 for no symbol or an undefined weak one). Returns the value
    written into the field (before encoding), for dry-run plans.
    """
    recipe = RELOCATIONS.get(rtype)
    if recipe is None:
        raise RelocationError("unsupported relocation type %d" % rtype,
                              RelocationError.UNSUPPORTED)
    field = recipe.field
    if off < 0 or off + field.size > len(image):
        raise RelocationError("place offset 0x%x (+%d bytes) is outside the module image of %d bytes"
                              % (off, field.size, len(image)))
    if recipe.thumb_branch:
        if target_is_func and S and not (S & 1):
            raise RelocationError("branch target 0x%08x is ARM code; a Cortex-M runs Thumb code "
                                  "only" % S)
        S &= ~1
    A = field.decode(image, off) if addend is None else addend
    value = recipe.calc(S, A, P, ctx, sym_index)
    field.check(value)
    field.encode(image, off, value)
    return value & 0xFFFFFFFF
