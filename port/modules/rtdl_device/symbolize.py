"""Which function of a loaded module holds an address: the module's own symbol table
(.symtab, local functions included; .dynsym when the file was stripped), so a fault report
or an init failure names `function+0xNN` as a debugger would. Built once per image, on
first use (a fault or a report), never on the load path.
Imports: elf32.
"""
from . import elf32


def _functions(image):
    table = getattr(image, "function_table", None)
    if table is not None:
        return table
    elf = image.elf
    table = []
    for kind in (elf32.SHT_SYMTAB, elf32.SHT_DYNSYM):
        for sec in elf.sections:
            if sec.type != kind:
                continue
            for sym in elf.symbols(sec):
                if sym.type != elf32.STT_FUNC or not sym.name or sym.shndx == elf32.SHN_UNDEF:
                    continue
                try:
                    start = image.placement.defined_address(image, sym) & ~1
                except Exception:
                    continue         # a symbol the loader would not bind names nothing
                table.append((start, sym.size, sym.name))
        if table:
            break
    table.sort()
    image.function_table = table
    return table


def functions(image):
    """[[start, size, name]] of the image's functions, sorted (what a bridge sends the board)."""
    return [list(entry) for entry in _functions(image)]


def function_at(image, addr):
    """(name, offset) of the function of `image` that holds `addr`, or None."""
    addr &= ~1
    best = None
    for start, size, name in _functions(image):
        if start > addr:
            break
        if addr < start + max(size, 2):
            best = (name, addr - start)
    return best


def describe(module, addr):
    """'function+0xNN' inside `module`, else 'module+0xNN' (its offset in the image)."""
    image = getattr(module, "image", None)        # a bridge's view of a module has none
    found = function_at(image, addr) if image is not None else None
    if found is not None:
        return "%s+0x%x" % found
    return "%s+0x%x" % (module.name, (addr & ~1) - module.mem_space)
