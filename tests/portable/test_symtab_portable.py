"""symtab.KernelSymbols over the real firmware's RTMSymTab, read from its flash image placed
into a membus.RamMemory at the flash address, compared with the exports pyelftools read from
the firmware ELF on the host (index.json). Plain asserts, CPython and MicroPython alike."""
import struct

from rtdl_device import membus
from rtdl_device import rterror
from rtdl_device import symtab
import testdata
from testdata import raises


def _table(entries, names_at=0x400):
    """A RamMemory at 0 holding an RTMSymTab of (name, addr) at 0x100 and its names."""
    memory = membus.RamMemory(0, 0x1000)
    name_addr = names_at
    for i in range(len(entries)):
        name, addr = entries[i]
        memory.write(0x100 + 8 * i, struct.pack("<II", addr, name_addr))
        memory.write(name_addr, name + b"\0")
        name_addr += len(name) + 1
    return memory, 0x100, 0x100 + 8 * len(entries)


def test_table_matches_the_firmware_elf():
    table = testdata.kernel_symbols()
    want = [(name, addr) for name, addr in testdata.firmware()["exports"]]
    assert len(want) > 100, len(want)
    assert table.entries == want
    assert table.names() == [name for name, addr in want]


def test_every_export_is_found():
    table = testdata.kernel_symbols()
    exports = testdata.exports()
    for name in exports:
        assert table.find(name) == exports[name], name
        assert name in table
    assert table.find("no_such_export") == 0
    assert "no_such_export" not in table


def test_every_module_import_is_exported():
    table = testdata.kernel_symbols()
    for facts in testdata.modules():
        for name, value, info, shndx, size in facts["symbols"]:
            # undefined GLOBAL; an object's GOT origin is made by the loader, not imported
            if name and shndx == 0 and info >> 4 == 1 and name != "_GLOBAL_OFFSET_TABLE_":
                assert table.find(name), "%s imports %s" % (facts["file"], name)


def test_functions_are_thumb_and_inside_flash():
    table = testdata.kernel_symbols()
    fw = testdata.firmware()
    for name in ("puts", "printf", "qsort", "__aeabi_uldivmod", "rt_malloc"):
        addr = table.find(name)
        assert addr & 1, "%s at 0x%08x has no Thumb bit" % (name, addr)
        assert fw["flash_base"] <= addr < fw["flash_base"] + fw["flash_size"], name


def test_list_symbols_lines():
    table = testdata.kernel_symbols()
    lines = table.list_symbols()
    assert len(lines) == len(table.entries)
    name, addr = table.entries[0]
    assert lines[0] == "%s => 0x%08x" % (name, addr)


def test_first_entry_of_a_name_wins():
    memory, start, end = _table([(b"dup", 0x11), (b"other", 0x22), (b"dup", 0x33)])
    table = symtab.KernelSymbols(memory, start, end)
    assert table.find("dup") == 0x11 and table.find("other") == 0x22
    assert table.entries == [("dup", 0x11), ("other", 0x22), ("dup", 0x33)]


def test_empty_table():
    memory, start, end = _table([])
    table = symtab.KernelSymbols(memory, start, end)
    assert table.entries == [] and table.find("puts") == 0


def test_bounds_not_whole_entries():
    memory, start, end = _table([(b"a", 1), (b"b", 2)])
    e = raises(rterror.ElfError, symtab.KernelSymbols, memory, start, end - 4)
    assert "0x%08x" % start in str(e), str(e)
    raises(rterror.ElfError, symtab.KernelSymbols, memory, end, start)


def test_unterminated_name():
    memory, start, end = _table([(b"a", 1)])
    memory.write(0x400, b"n" * 0x300)
    e = raises(rterror.ElfError, symtab.KernelSymbols, memory, start, end)
    assert "0x00000400" in str(e), str(e)


def test_name_pointer_outside_memory():
    fw = testdata.firmware()
    memory = testdata.flash_memory()
    memory.write32(fw["rtmsymtab_start"] + 4, 0x30000000)
    e = raises(rterror.RtdlError, symtab.KernelSymbols, memory, fw["rtmsymtab_start"],
               fw["rtmsymtab_end"])
    assert e.errno == rterror.EFAULT, str(e)
    assert "0x30000000" in str(e), str(e)
