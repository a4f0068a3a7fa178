"""Mutations of seed modules: where a seed's ELF tables are (Seed, Table) and the edits a
case makes to its bytes (Mutator), each described in words for the finding's report."""
import os

from rtdl_device import elf32
from rtdl_device.elf_fields import DYN, EHDR, PHDR, REL, RELA, SHDR, SYM

INTERESTING = {
    1: (0, 1, 0x7F, 0x80, 0xFF),
    2: (0, 1, 0x7F, 0x80, 0xFF, 0x7FFF, 0x8000, 0xFFFF, 0xFF00, 0xFFF1, 0xFFF2),
    4: (0, 1, 2, 4, 0x7F, 0x80, 0xFF, 0xFFFF, 0x10000, 0x7FFFFFFF, 0x80000000, 0x80000001,
        0xFFFFFFFF, 0xFFFFFFF0, 0xFFFFFFFC, 0x20000000, 0x1000000),
}


class Table:
    """Entries of one ELF table in a seed: where they are and which fields they have."""

    def __init__(self, kind, label, offset, count, layout):
        self.kind = kind
        self.label = label
        self.offset = offset
        self.count = count
        self.entsize = layout.size
        self.fields = layout.mutable     # elf_fields.Field: name, offset, size


class Seed:
    """A valid module and the layout of its tables, read with the device's own elf32."""

    def __init__(self, name, data):
        self.name = name
        self.data = bytes(data)
        elf = elf32.ElfFile(self.data, name)
        h = elf.header
        tables = [Table("header", "ELF header", 0, 1, EHDR)]
        if h.phnum:
            tables.append(Table("phdr", "program header", h.phoff, h.phnum, PHDR))
        if h.shnum:
            tables.append(Table("shdr", "section header", h.shoff, h.shnum, SHDR))
        for sec in elf.sections:
            if sec.type in (elf32.SHT_SYMTAB, elf32.SHT_DYNSYM):
                layout = SYM
            elif sec.type == elf32.SHT_REL:
                layout = REL
            elif sec.type == elf32.SHT_RELA:
                layout = RELA
            else:
                continue
            if sec.size >= layout.size:
                kind, what = ("sym", "symbol") if layout is SYM else ("rel", "relocation")
                tables.append(Table(kind, "%s of [%d] %s" % (what, sec.index, sec.name),
                                    sec.offset, sec.size // layout.size, layout))
        for seg in elf.segments:
            if seg.type == elf32.PT_DYNAMIC and seg.filesz >= DYN.size:
                tables.append(Table("dyn", "dynamic entry", seg.offset, seg.filesz // DYN.size,
                                    DYN))
        self.tables = tables
        self.kinds = sorted(set([t.kind for t in tables]))
        self.extension = os.path.splitext(name)[1]


def _put(data, offset, size, value):
    value &= (1 << (8 * size)) - 1
    data[offset:offset + size] = value.to_bytes(size, "little")


class Mutator:
    """Mutations of a seed's bytes; every one is described in words for the crash report."""

    def __init__(self, rng):
        self.rng = rng

    def mutate(self, seed):
        """(mutated bytes, [descriptions]): one to three stacked mutations."""
        data = bytearray(seed.data)
        notes = []
        count = self.rng.choice((1, 1, 1, 2, 2, 3))
        for _ in range(count):
            op = self.rng.random()
            if op < 0.15:
                notes.append(self.bit_flips(data))
            elif op < 0.30:
                notes.append(self.overwrite(data))
            elif op < 0.36:
                notes.append(self.truncate(data))
            else:
                notes.append(self.field(seed, data))
            if not data:
                break
        return bytes(data), notes

    def bit_flips(self, data):
        if not data:
            return "bit flip: empty file"
        flips = []
        for _ in range(self.rng.choice((1, 1, 2, 4, 8))):
            pos = self.rng.randrange(len(data))
            bit = self.rng.randrange(8)
            data[pos] ^= 1 << bit
            flips.append("0x%x.%d" % (pos, bit))
        return "bit flip at " + ", ".join(flips)

    def overwrite(self, data):
        size = self.rng.choice((1, 2, 4))
        if len(data) < size:
            return "overwrite: file too short"
        pos = self.rng.randrange(len(data) - size + 1)
        if self.rng.random() < 0.5:
            pos &= ~(size - 1)
        value = self.rng.choice(INTERESTING[size])
        _put(data, pos, size, value)
        return "overwrite %d byte(s) at 0x%x with 0x%x" % (size, pos, value)

    def truncate(self, data):
        choices = (0, 3, 4, 16, 51, 52, len(data) // 2, len(data) - 1,
                   self.rng.randrange(len(data) + 1))
        length = self.rng.choice(choices)
        del data[length:]
        return "truncate to %d bytes" % length

    def field(self, seed, data):
        kind = self.rng.choice(seed.kinds)
        table = self.rng.choice([t for t in seed.tables if t.kind == kind])
        index = self.rng.randrange(table.count)
        field = self.rng.choice(table.fields)
        base = table.offset + index * table.entsize
        if base + field.offset + field.size > len(data):
            return "%s %d %s: outside the (truncated) file" % (table.label, index, field.name)
        old = field.get(data, base)
        new = self.value(old, field.size, len(data), table.count)
        field.put(data, base, new)
        return "%s %d %s = 0x%x (was 0x%x)" % (table.label, index, field.name,
                                               new & ((1 << (8 * field.size)) - 1), old)

    def value(self, old, size, file_size, count):
        r = self.rng.random()
        if r < 0.30:
            if size == 3:
                return self.rng.choice((0, 1, 0x7FFFFF, 0x800000, 0xFFFFFF))
            return self.rng.choice(INTERESTING[size])
        if r < 0.50:
            return old + self.rng.choice((-16, -8, -4, -2, -1, 1, 2, 4, 8, 16, 0x100, -0x100))
        if r < 0.65:
            return self.rng.randrange(count + 4)          # another (or a just invalid) index
        if r < 0.80:
            return self.rng.choice((file_size - 1, file_size, file_size + 1, file_size + 8,
                                    self.rng.randrange(file_size + 64)))
        return self.rng.getrandbits(8 * size)

