"""Where each field of an ELF32 table entry lies: the one table the fuzzer mutates and the
tests edit files with. Imports: struct.

Each layout lists its fields in file order with their `struct` codes; offsets are summed from
those codes, never written by hand. EHDR, PHDR, SHDR and SYM spell out the formats elf32
unpacks with (`format`), and tests/portable/test_elf_fields_portable.py checks that every
field read here equals what elf32 parses from real modules. Some fields hold smaller parts
(e_ident's class/data/version bytes, r_info's type and symbol index): those are `parts`,
which the fuzzer edits instead of the whole field.
"""
import struct


class Field:
    """One field of an entry: `offset` and `size` in bytes inside the entry."""

    def __init__(self, name, offset, size, code=None):
        self.name = name
        self.offset = offset
        self.size = size
        self.code = code

    def get(self, data, base=0):
        """The field of the entry at `base`, as an unsigned little-endian number."""
        start = base + self.offset
        return int.from_bytes(bytes(data[start:start + self.size]), "little")

    def put(self, data, base, value):
        """Store `value` (masked to the field's width) into the entry at `base`."""
        start = base + self.offset
        value &= (1 << (8 * self.size)) - 1
        data[start:start + self.size] = value.to_bytes(self.size, "little")
        return data


class Layout:
    """The fields of one kind of table entry, in file order."""

    def __init__(self, fields, parts=()):
        self.fields = []
        self._by_name = {}
        offset = 0
        for name, code in fields:
            size = struct.calcsize("<" + code)
            self._add(self.fields, Field(name, offset, size, code))
            offset += size
        self.size = offset
        self.format = "<" + "".join([code for name, code in fields])
        # every part replaces its whole field in `mutable`, in file order
        self.mutable = []
        for field in self.fields:
            inside = [p for p in parts if p[0] == field.name]
            if not inside:
                self.mutable.append(field)
            for whole, name, start, size in inside:
                self.mutable.append(self._add(None, Field(name, field.offset + start, size)))

    def _add(self, into, field):
        self._by_name[field.name] = field
        if into is not None:
            into.append(field)
        return field

    def __getitem__(self, name):
        return self._by_name[name]


# (whole field, part name, offset inside it, size) - EI_* are e_ident indexes of the spec;
# ELF32_R_TYPE is r_info's low byte, ELF32_R_SYM its upper 24 bits.
EHDR = Layout((("e_ident", "16s"), ("e_type", "H"), ("e_machine", "H"), ("e_version", "I"),
               ("e_entry", "I"), ("e_phoff", "I"), ("e_shoff", "I"), ("e_flags", "I"),
               ("e_ehsize", "H"), ("e_phentsize", "H"), ("e_phnum", "H"),
               ("e_shentsize", "H"), ("e_shnum", "H"), ("e_shstrndx", "H")),
              (("e_ident", "EI_CLASS", 4, 1), ("e_ident", "EI_DATA", 5, 1),
               ("e_ident", "EI_VERSION", 6, 1)))
PHDR = Layout((("p_type", "I"), ("p_offset", "I"), ("p_vaddr", "I"), ("p_paddr", "I"),
               ("p_filesz", "I"), ("p_memsz", "I"), ("p_flags", "I"), ("p_align", "I")))
SHDR = Layout((("sh_name", "I"), ("sh_type", "I"), ("sh_flags", "I"), ("sh_addr", "I"),
               ("sh_offset", "I"), ("sh_size", "I"), ("sh_link", "I"), ("sh_info", "I"),
               ("sh_addralign", "I"), ("sh_entsize", "I")))
SYM = Layout((("st_name", "I"), ("st_value", "I"), ("st_size", "I"), ("st_info", "B"),
              ("st_other", "B"), ("st_shndx", "H")))
_R_INFO_PARTS = (("r_info", "r_info.type", 0, 1), ("r_info", "r_info.sym", 1, 3))
REL = Layout((("r_offset", "I"), ("r_info", "I")), _R_INFO_PARTS)
RELA = Layout((("r_offset", "I"), ("r_info", "I"), ("r_addend", "i")), _R_INFO_PARTS)
DYN = Layout((("d_tag", "i"), ("d_val", "I")))
