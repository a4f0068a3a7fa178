"""Linked images kept across loads (issue 13): a module loaded again from the same bytes, with
the same firmware exports and CPU target, reuses its parsed ELF and layout, and - when its
block lands at the same address, as it does when it is opened and closed in turn - its linked
bytes and symbol bindings, instead of parsing and relocating the file again.

What a linked image depends on is exactly what is compared: the file's bytes (equality, not a
name or a date), the load address, the resolver (the kernel's firmware exports) and the target
check. An entry is replaced by each load of its path, so at most `limit` images are kept.
Nothing here writes target memory: install.load_image still allocates for every load, and
writes and invalidates unless memory still holds the image (heap.still_holds, or a compare).
Imports nothing.
"""


class LinkedFile:
    """What one file's bytes give, whatever the address: its ELF and its layout; and the
    image last linked from them (`image`, its bytes as written in `payload`)."""

    def __init__(self, data, resolve, target, elf, placement):
        self.data = data
        self.resolve = resolve
        self.target = target
        self.elf = elf
        self.placement = placement
        self.image = None
        self.payload = None
        self.block = None        # (page size, heap block size, alignment): install.image_block

    def image_at(self, base):
        """The image linked for `base`, or None: an image is only valid at its address."""
        image = self.image
        if image is not None and image.base == base:
            return image
        return None


class LinkCache:
    def __init__(self, limit=4):
        self.limit = limit
        self.files = {}          # path -> LinkedFile
        self.order = []          # paths, least recently loaded first

    def find(self, path, data, resolve, target):
        entry = self.files.get(path)
        # `is` first: the file reader hands back the very bytes object while a file is
        # unchanged; equal bytes from elsewhere compare in one memcmp
        if entry is not None and (entry.data is data or entry.data == data) and \
                entry.resolve == resolve and entry.target is target:
            return entry
        return None

    def keep(self, path, entry):
        if self.order and self.order[-1] == path and self.files[path] is entry:
            return                   # loaded again: already the newest
        if path in self.files:
            self.order.remove(path)
        self.files[path] = entry
        self.order.append(path)
        while len(self.order) > self.limit:
            del self.files[self.order.pop(0)]

    def clear(self):
        self.files = {}
        self.order = []
