"""Facts about a firmware ELF read on the host with pyelftools: its RTMSymTab exports (the
same table the device reads from emulated memory), symbol kinds and sizes."""
import struct

from elftools.common.exceptions import ELFError
from elftools.elf.elffile import ELFFile

import board
from rterror import RtdlError


def _open(path):
    path = path or board.DEFAULT_FIRMWARE
    try:
        stream = open(path, "rb")
    except OSError as error:
        raise RtdlError("%s: cannot open firmware (%s)" % (path, error.strerror))
    try:
        return path, ELFFile(stream)
    except ELFError as error:
        stream.close()
        raise RtdlError("%s: not an ELF file (%s)" % (path, error))


def _segments(elf):
    return [(seg["p_vaddr"], seg.data()) for seg in elf.iter_segments()
            if seg["p_type"] == "PT_LOAD"]


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


def read_exports(path=None):
    """[(name, address)] in table order, read from the firmware's RTMSymTab."""
    path, elf = _open(path)
    with elf.stream:
        symbols = elf.get_section_by_name(".symtab")
        if symbols is None:
            raise RtdlError("%s: no .symtab (stripped firmware)" % path)
        bounds = {}
        for sym in symbols.iter_symbols():
            if sym.name in ("__rtmsymtab_start", "__rtmsymtab_end"):
                bounds[sym.name] = sym["st_value"]
        if len(bounds) != 2:
            raise RtdlError("%s: no __rtmsymtab_start/__rtmsymtab_end (not an RT-Thread "
                            "firmware with RTM_EXPORT?)" % path)
        start, end = bounds["__rtmsymtab_start"], bounds["__rtmsymtab_end"]
        segments = _segments(elf)
        raw = _read(segments, start, end - start) if end > start else b""
        exports = []
        for off in range(0, len(raw) - 7, 8):
            addr, name_addr = struct.unpack_from("<II", raw, off)
            exports.append((_cstring(segments, name_addr), addr))
        return exports
