"""Facts about a firmware ELF read on the host: its RTMSymTab exports (the same table the device
reads from emulated memory) with their kind and size from the firmware's .symtab, its CPU and
float ABI from the ELF header and build attributes, an ABI fingerprint, and the heap a module
finds when the firmware has booted.

`describe(path)` gathers everything into one JSON-ready dictionary (`rtdl symtab --format
json`); `rtdl verify` takes the same dictionary from a firmware ELF or from such a JSON file.
"""
import hashlib
import json
import struct

from rtdl_device import arm_attributes
import rtdl_firmware
from rtdl_board import firmware_cache
from rtdl_device import elf32
from rtdl_device.rterror import RtdlError

FORMAT_VERSION = 1
_KINDS = {elf32.STT_FUNC: "function", elf32.STT_OBJECT: "object"}


def _open(path):
    """(path, elf32.ElfFile): the device side's struct-based reader (pyelftools spent most
    of `rtdl verify` parsing the firmware's symbols one construct at a time)."""
    path = path or rtdl_firmware.default_firmware()
    try:
        with open(path, "rb") as stream:
            data = stream.read()
    except OSError as error:
        raise RtdlError("%s: cannot open firmware (%s)" % (path, error.strerror))
    try:
        return path, elf32.ElfFile(data, path)
    except RtdlError as error:
        raise RtdlError("%s: not an ELF file (%s)" % (path, error))


def _segments(elf):
    return [(seg.vaddr, elf.data[seg.offset:seg.offset + seg.filesz])
            for seg in elf.load_segments()]


def _locate(segments, addr, size):
    for vaddr, data in segments:
        if vaddr <= addr and addr + size <= vaddr + len(data):
            return data, addr - vaddr
    raise RtdlError("address 0x%08x is not in a loaded segment of the firmware" % addr)


def _read(segments, addr, size):
    data, off = _locate(segments, addr, size)
    return data[off:off + size]


def _cstring(segments, addr):
    data, off = _locate(segments, addr, 1)
    end = data.find(b"\0", off)
    if end < 0:
        raise RtdlError("string at 0x%08x is not NUL-terminated" % addr)
    return data[off:end].decode()


def _symbol_table(path, elf):
    symbols = elf.section_by_name(".symtab")
    if symbols is None:
        raise RtdlError("%s: no .symtab (stripped firmware)" % path)
    return symbols


def _scan(path, elf):
    """One pass over the firmware's .symtab: RTMSymTab's bounds and the defined functions and
    objects by name and by address."""
    bounds, by_name, by_address = {}, {}, {}
    for sym in elf.symbols(_symbol_table(path, elf)):
        if sym.name in ("__rtmsymtab_start", "__rtmsymtab_end"):
            bounds[sym.name] = sym.value
        elif sym.name and sym.defined and sym.type in _KINDS:
            by_name.setdefault(sym.name, sym)
            by_address.setdefault(sym.value, sym)
    if len(bounds) != 2:
        raise RtdlError("%s: no __rtmsymtab_start/__rtmsymtab_end (not an RT-Thread "
                        "firmware with RTM_EXPORT?)" % path)
    return bounds["__rtmsymtab_start"], bounds["__rtmsymtab_end"], by_name, by_address


def _table(elf, start, end):
    """[(name, address)] of RTMSymTab in table order."""
    segments = _segments(elf)
    raw = _read(segments, start, end - start) if end > start else b""
    exports = []
    for off in range(0, len(raw) - 7, 8):
        addr, name_addr = struct.unpack_from("<II", raw, off)
        exports.append((_cstring(segments, name_addr), addr))
    return exports


def read_exports(path=None):
    """[(name, address)] in table order, read from the firmware's RTMSymTab."""
    path, elf = _open(path)
    start, end, _, _ = _scan(path, elf)
    return _table(elf, start, end)


def _kind_and_size(by_name, by_address, name, address):
    """What the firmware's .symtab says the export is: its own symbol, else one at its address
    (an alias exported under another name)."""
    sym = by_name.get(name)
    if sym is None or sym.value != address:
        sym = by_address.get(address, sym)
    if sym is None:
        return "unknown", 0
    return _KINDS.get(sym.type, "unknown"), sym.size


def _detailed(path, elf):
    """[{name, address, kind, size}] in table order; kind is function, object or unknown."""
    start, end, by_name, by_address = _scan(path, elf)
    exports = []
    for name, address in _table(elf, start, end):
        kind, size = _kind_and_size(by_name, by_address, name, address)
        exports.append({"name": name, "address": address, "kind": kind, "size": size})
    return exports


def abi_fingerprint(exports):
    """A stable hash of the sorted (name, kind) pairs: the same exports give the same
    fingerprint when only addresses move; adding, removing or retyping an export changes it."""
    pairs = sorted(set([(e["name"], e["kind"]) for e in exports]))
    text = "".join(["%s %s\n" % pair for pair in pairs])
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _target_facts(path):
    """(e_flags, float ABI, Tag_CPU_arch or None, the CPU the firmware was built for) from the
    same ELF reader and attribute parser the loader uses."""
    with open(path, "rb") as stream:
        data = stream.read()
    try:
        elf = elf32.ElfFile(data, path)
        attrs = arm_attributes.read(elf)
    except RtdlError as error:
        raise RtdlError("%s: cannot read the firmware's ELF header or attributes (%s)"
                        % (path, error))
    arch = attrs.get(arm_attributes.TAG_CPU_ARCH) if attrs else None
    cpu = arm_attributes.CPU_FOR_ARCH.get(arch, "cortex-m4")
    abi = arm_attributes.float_abi(elf.header.flags, attrs)
    return elf.header.flags, (abi if abi in ("soft", "hard") else None), arch, cpu


def boot_heap(path, cpu):
    """The heap as a module finds it once the firmware has booted: booting the real firmware
    on the board is both exact and fast (well under 0.1 s). None when it does not boot (a
    firmware that is not rtdl's); then module sizes are not checked."""
    from rtdl_board import board        # unicorn: only when a description is worked out
    try:
        machine = board.Board(path, cpu=cpu)
    except Exception:       # any firmware may be handed in: not booting is an answer too
        return None
    heap = machine.heap
    return {"start": heap.begin, "end": heap.end, "align": heap.align,
            "page_size": machine.memory.page_size,
            "blocks": [list(block) for block in heap.check()]}


def describe(path=None, boot=True):
    """Everything `rtdl verify` needs to know about a firmware, as a JSON-ready dictionary.
    Worked out once per firmware ELF (its exports, attributes and a boot of the board for
    the heap) and then read from the on-disk cache (rtdl_board.firmware_cache)."""
    path, elf = _open(path)
    facts = firmware_cache.cached("verify" if boot else "verify-noboot", elf.data,
                                  lambda: _describe(path, elf, boot), (__file__,))
    facts["firmware"] = path       # the same ELF may be named by another path
    return facts


def _describe(path, elf, boot):
    exports = _detailed(path, elf)
    flags, abi, arch, cpu = _target_facts(path)
    return {
        "format": "rtdl-firmware",
        "version": FORMAT_VERSION,
        "firmware": path,
        "abi_fingerprint": abi_fingerprint(exports),
        "e_flags": flags,
        "float_abi": abi,
        "cpu_arch": arch,
        "cpu": cpu,
        "heap": boot_heap(path, cpu) if boot else None,
        "exports": exports,
    }


def load_description(path):
    """A description written by `rtdl symtab --format json`, checked enough to be used."""
    try:
        with open(path) as stream:
            facts = json.load(stream)
    except OSError as error:
        raise RtdlError("%s: cannot open symbol table (%s)" % (path, error.strerror))
    except ValueError as error:
        raise RtdlError("%s: not a JSON file (%s)" % (path, error))
    if not isinstance(facts, dict) or facts.get("format") != "rtdl-firmware":
        raise RtdlError("%s: not an rtdl firmware description (expected the output of "
                        "`rtdl symtab --format json`)" % path)
    if facts.get("version") != FORMAT_VERSION:
        raise RtdlError("%s: description version %r (expected %d)"
                        % (path, facts.get("version"), FORMAT_VERSION))
    for key in ("exports", "cpu", "float_abi", "heap", "abi_fingerprint"):
        if key not in facts:
            raise RtdlError("%s: description lacks '%s'" % (path, key))
    for entry in facts["exports"]:
        if not (isinstance(entry, dict) and isinstance(entry.get("name"), str)
                and isinstance(entry.get("address"), int)):
            raise RtdlError("%s: export entry %r (expected an object with a name and an "
                            "integer address)" % (path, entry))
    return facts
