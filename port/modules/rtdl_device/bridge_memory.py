"""The board's `memory` interface across the bridge (bridge.py's link): reads come from whole
pages fetched once and kept until target code runs again (the cpu drops them before it runs
code), writes patch those pages and are queued to leave with the next request that waits.
Imports: json, struct, bridge.
"""
import json
import struct

from . import bridge


class BridgeMemory:
    """The `memory` interface over the link, with a page cache the cpu drops before code runs."""

    def __init__(self, link, ram_start, ram_end, page_size):
        self.link = link
        self.ram_start = ram_start
        self.ram_end = ram_end
        self.page_size = page_size
        self.pages = {}
        self._plan = None

    def drop(self):
        self.pages = {}

    def _page(self, base):
        page = self.pages.get(base)
        if page is None:
            op, body = self.link.request(bridge.OP_READ, struct.pack("<II", base, self.page_size))
            if op != bridge.OP_DATA:
                return None          # partly unmapped: the exact read reports it
            page = bytearray(body)
            self.pages[base] = page
        return page

    def read(self, addr, size):
        if size <= 0:
            return b""
        psize = self.page_size
        base = addr - addr % psize
        if addr + size - base <= 4 * psize:
            parts = []
            end = addr + size
            while base < end:
                page = self._page(base)
                if page is None:
                    break
                parts.append(page[max(addr - base, 0):min(end - base, psize)])
                base += psize
            else:
                return bytes(b"".join(parts))
        op, body = self.link.request(bridge.OP_READ, struct.pack("<II", addr, size))
        if op != bridge.OP_DATA:
            raise bridge.error_from(json.loads(body))
        return body

    def write(self, addr, data):
        data = bytes(data)
        if not data:
            return
        psize = self.page_size
        end = addr + len(data)
        base = addr - addr % psize
        while base < end:
            page = self.pages.get(base)
            if page is not None:
                lo = max(addr, base)
                hi = min(end, base + psize)
                page[lo - base:hi - base] = data[lo - addr:hi - addr]
            base += psize
        self.link.post(bridge.OP_WRITE, struct.pack("<I", addr) + data)

    def read8(self, addr):
        return self.read(addr, 1)[0]

    def read16(self, addr):
        return struct.unpack("<H", self.read(addr, 2))[0]

    def read32(self, addr):
        return struct.unpack("<I", self.read(addr, 4))[0]

    def write8(self, addr, value):
        self.write(addr, bytes((value & 0xFF,)))

    def write16(self, addr, value):
        self.write(addr, struct.pack("<H", value & 0xFFFF))

    def write32(self, addr, value):
        self.write(addr, struct.pack("<I", value & 0xFFFFFFFF))

    def invalidate(self, addr, size):
        self.link.post(bridge.OP_INVALIDATE, struct.pack("<II", addr, size))

    def protect(self, addr, size, writable):
        self.link.post(bridge.OP_PROTECT, struct.pack("<IIB", addr, size, 1 if writable else 0))

    def retire(self, addr, size):
        """The board's retire (freed module code: read-only, not executable)."""
        self.link.post(bridge.OP_PROTECT, struct.pack("<IIB", addr, size, bridge.PROTECT_RETIRE))

    def held_modes(self, plan):
        """The board's mode switching for held libraries (heldplan.py); the same plan as
        last time goes as an empty body."""
        if plan is not None and plan is self._plan:
            self.link.post(bridge.OP_HELD_MODES)
            return
        self._plan = plan
        self.link.post(bridge.OP_HELD_MODES, json.dumps(plan).encode())
