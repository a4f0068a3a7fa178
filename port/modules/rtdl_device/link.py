"""Link, the second phase (Zephyr llext's llext_link): an `Image` of the block for one base
address, and the `Linker` whose one loop binds symbols and applies relocations through the
shared table (arm_reloc) for either file type; what differs is asked of the layout.
Imports: struct, arm_reloc, elf32, layout, rterror.
"""
import struct

from . import arm_reloc
from . import elf32
from .layout import VENEER_CODE
from .rterror import RelocationError, UnresolvedSymbolError

_WORD_KINDS = arm_reloc.WORD_KINDS
_B_PLUS_A = arm_reloc.WORD_B_PLUS_A
_S_PLUS_A = arm_reloc.WORD_S_PLUS_A
_UNKNOWN = object()             # a symbol whose S is not worked out yet, or is bad


class Image:
    """A module image linked for address `base`; nothing is in target memory yet."""

    def __init__(self, elf, placement, base):
        self.elf = elf
        self.name = elf.name
        self.placement = placement
        self.base = base
        self.bias = (base - placement.vstart) & 0xFFFFFFFF
        self.data = bytearray(placement.size)
        self.entry = 0
        self.symbols = {}
        self.init_array = []
        self.fini_array = []
        self.commands = []           # finsh_exports.Command: FSymTab records
        self.init_functions = []     # finsh_exports.InitFunction: .rti_fn.N in level order
        self.init_func = 0
        self.cleanup_func = 0
        self.priority = None
        self.stack_size = None
        self.weak_zero = []
        self.got = []
        self.plan = None
        # install.py: cpu.runs when memory last held this image (written or compared), and
        # the heap's `handed` count when its block was freed (None: unknown)
        self.written_runs = None
        self.freed_at = None
        self.aligned_block = False   # its block came from malloc_align

    @property
    def size(self):
        return len(self.data)

    def address(self, vaddr):
        return (vaddr + self.bias) & 0xFFFFFFFF

    def read32(self, vaddr):
        off = vaddr - self.placement.vstart
        return struct.unpack_from("<I", self.data, off)[0]

    def inside(self, vaddr, size):
        off = vaddr - self.placement.vstart
        return 0 <= off and off + size <= len(self.data)

    def in_code(self, address):
        """Whether a run-time address lies in the module's own code."""
        return self.placement.in_code((address - self.bias) & 0xFFFFFFFF)


def _located(image, relsec, rel, symbol, reason, kind=None):
    return RelocationError(reason, kind, image.name, relsec.name, relsec.index, rel.index,
                           arm_reloc.type_name(rel.type), rel.offset, symbol)


def _write_veneer(image, offset, target):
    image.data[offset:offset + len(VENEER_CODE)] = VENEER_CODE
    struct.pack_into("<I", image.data, offset + len(VENEER_CODE), (target | 1) & 0xFFFFFFFF)
    return image.address(offset) | 1


class Linker:
    """Binds symbols and applies relocations to an Image.

    `resolve(name) -> address or 0`: the firmware's exports (or any other table). With
    `errors` a list, relocation problems are collected there instead of raised, so a verifier
    can report all of them at once; unresolved symbols are always collected and reported
    together. With `plan`, every applied relocation is recorded in `image.plan`.
    """

    def __init__(self, resolve, errors=None, plan=False):
        self.resolve = resolve
        self.errors = errors
        self.plan = plan

    def _fail(self, error):
        if self.errors is None:
            raise error
        self.errors.append(error)

    def import_address(self, image, sym, unresolved):
        """S of an undefined symbol: the firmware's export, 0 if weak, else None (collected)."""
        address = self.resolve(sym.name)
        if address:
            return address
        if sym.bind == elf32.STB_WEAK:
            if sym.name not in image.weak_zero:
                image.weak_zero.append(sym.name)
            return 0
        if sym.name not in unresolved:
            unresolved.append(sym.name)
        return None

    def link(self, image):
        layout = image.placement
        unresolved = []
        if self.plan:
            image.plan = []
        got_origin = 0
        got_slot = None
        if layout.builds_got:
            got_origin = image.address(layout.got)

            def got_slot(index):
                return image.address(layout.got_slots[index])

        context = arm_reloc.RelocContext(image.bias, got_origin, got_slot)
        if not self.plan and not layout.builds_got:
            self._link_words(image, context, unresolved)
        else:
            for relsec, target, relocations, symbols in layout.relocation_tables(image.elf):
                for rel in relocations:
                    self._apply(image, context, relsec, target, rel, symbols, unresolved)
        if unresolved:
            raise UnresolvedSymbolError(image.name, unresolved)

    def _link_words(self, image, context, unresolved):
        """The link loop of an ET_DYN read straight from the tables' words. Its word
        relocations (nearly all of a library's: pointer tables, the GOT) are B + A, S + A or
        S into a 32-bit word with the addend at the place (SHT_REL): applied here, each
        symbol's S worked out once. Any other entry, one whose place is not inside the image
        or whose symbol is bad, takes the general path (_apply), which reports it."""
        layout = image.placement
        elf = image.elf
        data = image.data
        last = len(data) - 4
        vstart = layout.vstart
        bias = image.bias
        unpack_from = struct.unpack_from
        pack_into = struct.pack_into
        kinds = _WORD_KINDS
        for relsec, target, _, symbols in layout.relocation_tables(elf, False):
            stride, words = elf.relocation_words(relsec)
            count = len(symbols) if stride == 2 else 0
            values = {}                      # symbol index -> S (None: not to be written)
            for at in range(0, len(words), stride):
                info = words[at + 1]
                kind = kinds.get(info & 0xFF) if count else None
                if kind is not None:
                    off = words[at] - vstart
                    index = info >> 8
                    if 0 <= off <= last and index < count:
                        if kind == _B_PLUS_A:
                            if index == 0:
                                pack_into("<I", data, off,
                                          (unpack_from("<I", data, off)[0] + bias) & 0xFFFFFFFF)
                                continue
                        else:
                            S = values.get(index, _UNKNOWN)
                            if S is _UNKNOWN:
                                sym = symbols[index]
                                S = layout.quick_address(image, sym) if index else 0
                                if S is None:
                                    try:
                                        S = self._symbol_value(image, sym, unresolved)
                                    except RelocationError:
                                        S = _UNKNOWN         # the general path reports it
                                if S is not _UNKNOWN:
                                    values[index] = S
                            if S is None:
                                continue
                            if S is not _UNKNOWN:
                                if kind == _S_PLUS_A:
                                    S += unpack_from("<I", data, off)[0]
                                pack_into("<I", data, off, S & 0xFFFFFFFF)
                                continue
                self._apply(image, context, relsec, target, elf.relocation(relsec, at // stride),
                            symbols, unresolved)

    def _checked_symbol(self, image, relsec, rel, symbols):
        """The relocation's symbol, or None (the problem reported) when its index is out of
        range or its type is not in the shared table."""
        if rel.sym >= len(symbols):
            self._fail(_located(image, relsec, rel, "", "symbol index %d out of range (table has "
                                "%d symbols)" % (rel.sym, len(symbols))))
            return None
        sym = symbols[rel.sym]
        if rel.type not in arm_reloc.RELOCATIONS:
            self._fail(_located(image, relsec, rel, sym.name, "unsupported relocation type %d"
                                % rel.type, RelocationError.UNSUPPORTED))
            return None
        return sym

    def _symbol_value(self, image, sym, unresolved):
        """S: 0 for no symbol, the module's own definition, else the import (None when it is
        missing, or already stored at the place)."""
        layout = image.placement
        if sym.index == 0:
            return 0
        if layout.defines(sym):
            return layout.defined_address(image, sym)
        return layout.import_address(self, image, sym, unresolved)

    def _apply(self, image, context, relsec, target, rel, symbols, unresolved):
        sym = self._checked_symbol(image, relsec, rel, symbols)
        if sym is None or rel.type == arm_reloc.R_ARM_NONE:
            # R_ARM_NONE only marks a dependency (.ARM.exidx on __aeabi_unwind_cpp_pr0).
            return
        layout = image.placement
        recipe = arm_reloc.RELOCATIONS[rel.type]
        problem = layout.place_problem(rel, target, recipe.field.size)
        if problem:
            self._fail(_located(image, relsec, rel, sym.name, problem))
            return
        try:
            S = self._symbol_value(image, sym, unresolved)
        except RelocationError as error:
            self._fail(_located(image, relsec, rel, sym.name, error.message, error.kind))
            return
        if S is None:
            return
        if recipe.needs_got and layout.builds_got:
            if rel.sym not in layout.got_slots:      # symbol 0: placement made no slot
                self._fail(_located(image, relsec, rel, sym.name, "needs a GOT entry but names "
                                    "no symbol (expected a symbol index above 0)"))
                return
            slot = layout.got_slots[rel.sym]
            struct.pack_into("<I", image.data, slot, S & 0xFFFFFFFF)
            image.got.append((sym.name, image.address(slot), S & 0xFFFFFFFF))
        off = layout.place_offset(rel, target)
        place = image.address(off + layout.vstart)
        old = None
        if image.plan is not None and 0 <= off <= len(image.data) - 4:
            old = struct.unpack_from("<I", image.data, off)[0]
        try:
            value = self._relocate(image, context, recipe, rel, off, place, S, sym)
        except RelocationError as error:
            reason = error.message
            if (recipe.veneer_eligible and layout.builds_veneers
                    and error.kind == RelocationError.OUT_OF_RANGE):
                reason += ("; '%s' at 0x%08x is outside the reach of a branch from 0x%08x: build "
                           "the module with -mlong-calls" % (sym.name, S, place))
            self._fail(_located(image, relsec, rel, sym.name, reason, error.kind))
            return
        if image.plan is not None:
            new = struct.unpack_from("<I", image.data, off)[0] if old is not None else None
            image.plan.append((relsec.name, rel.index, recipe.name, place, sym.name, S, value,
                               old, new))

    def _relocate(self, image, context, recipe, rel, off, place, S, sym):
        try:
            return arm_reloc.relocate(rel.type, image.data, off, place, S, context, rel.addend,
                                      sym.type == elf32.STT_FUNC, rel.sym)
        except RelocationError:
            veneer = image.placement.veneers.get(rel.sym)
            if veneer is None or not recipe.veneer_eligible:
                raise
            # Out of BL range (an import in flash): branch to a veneer that reaches it.
            return arm_reloc.relocate(rel.type, image.data, off, place,
                                      _write_veneer(image, veneer, S), context, rel.addend,
                                      True, rel.sym)
