"""The agreement corpus of `rtdl verify`: good and bad modules made at test time from real
builds (sources here and in tests/modules), some patched the way a damaged or foreign file
would be. Each entry says how to make the file, which CPU and firmware it meets, and what the
verifier must find (None: nothing wrong). tests/test_verify.py checks that the verifier's
verdict equals what the board does with the same file."""
import os
import shutil

from rtdl_device import arm_reloc
from rtdl_device import elf32
from rtdl_device.elf_fields import EHDR, REL

CORPUS = os.path.dirname(os.path.abspath(__file__))

# A relocation type that is in no table: AAELF32 leaves 200 unallocated ("private").
UNKNOWN_RELOCATION_TYPE = 200
assert UNKNOWN_RELOCATION_TYPE not in arm_reloc.RELOCATIONS

EM_386 = 3


def source(name):
    return os.path.join(CORPUS, name)


def patched(original, out, patch):
    """A copy of `original` changed by patch(bytearray) -> bytearray."""
    with open(original, "rb") as stream:
        data = bytearray(stream.read())
    data = patch(data)
    with open(out, "wb") as stream:
        stream.write(bytes(data))
    return out


def copy(original, out):
    shutil.copyfile(original, out)
    return out


def set_machine(machine):
    def patch(data):
        EHDR["e_machine"].put(data, 0, machine)
        return data
    return patch


def clear_entry(data):
    EHDR["e_entry"].put(data, 0, 0)
    return data


def truncate_to(fraction):
    def patch(data):
        return data[:int(len(data) * fraction)]
    return patch


def relocation_offsets(data):
    """File offsets of every entry of every SHT_REL section."""
    elf = elf32.ElfFile(bytes(data), "module")
    offsets = []
    for sec in elf.sections:
        if sec.type == elf32.SHT_REL:
            for rel in elf.relocations(sec):
                offsets.append(sec.offset + rel.index * REL.size)
    return offsets


def set_relocation_type(count, rtype=UNKNOWN_RELOCATION_TYPE):
    """Give the first `count` relocations a type no loader knows (r_info's low byte)."""
    def patch(data):
        for offset in relocation_offsets(data)[:count]:
            REL["r_info.type"].put(data, offset, rtype)
        return data
    return patch
