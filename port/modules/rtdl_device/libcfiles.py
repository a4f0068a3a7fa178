"""What libc allocated for the stdio streams after boot: the blocks of FILEs fopen adds to
newlib's list when the firmware's own are taken (one heap block each: a struct _glue and its
FILEs), the buffers it gives a stream (__SMBF) and a longer ungetc buffer. All of it hangs
from libc's state, which the kernel puts back as it was after boot when the last module has
gone (Kernel.restore_firmware_data); put back, nothing points at them any more. `orphans`
lists them, and the system reent's (LibcState.reent_blocks), just before, for the kernel to
free just after - so a module that left files open, or had more open at once than the
firmware has FILEs, leaves the heap as it found it (RT-Thread leaks them).

A module's wild write may have made the list anything: only libc's own blocks
(LibcState.libc_block) are taken, each once, along a list of bounded length.
Imports: nothing.
"""
try:
    from micropython import const
except ImportError:
    def const(x):
        return x

_SMBF = const(0x80)          # newlib's flag: the stream's buffer is malloc'ed
_MAX_GLUES = const(64)       # FILE blocks followed at most (64 blocks of 4 FILEs)
_MAX_FILES = const(64)       # FILEs one block may say it has


class LibcFiles:
    def __init__(self, kernel):
        self.kernel = kernel
        # (first glue, offsets of _flags, _bf, _ub, _ubuf in a FILE, sizeof(FILE), the
        # firmware's own FILEs) from impure.c rtdl_reent_layout; None: a firmware without
        self.layout = None

    def keep(self, layout):
        """After boot: the stdio part of rtdl_reent_layout (at `layout`), read once."""
        memory = self.kernel.memory
        size = memory.read32(layout + 20)
        glue, flags, bf, ub, ubuf, count = [memory.read32(layout + 24 + 4 * i)
                                            for i in range(6)]
        if glue and size:
            self.layout = (glue, flags, bf, ub, ubuf, size, count)

    def orphans(self):
        """The heap blocks libc's state holds now that it did not hold after boot."""
        kernel = self.kernel
        blocks = []
        layout = self.layout
        if layout is not None:
            glue, _, _, _, _, size, count = layout
            memory = kernel.memory
            self._files(memory.read32(glue + 8), min(count, _MAX_FILES), blocks)
            block = memory.read32(glue)
            for _ in range(_MAX_GLUES):
                if not block or block in blocks or not kernel.libc.libc_block(block):
                    break
                blocks.append(block)
                files = memory.read32(block + 8)
                count = memory.read32(block + 4)
                room = kernel.heap.usable_size(block)
                if block < files and count <= _MAX_FILES and \
                        files + count * size <= block + room:
                    self._files(files, count, blocks)
                block = memory.read32(block)
        for block in kernel.libc.reent_blocks(kernel.libc.system):
            if block not in blocks:
                blocks.append(block)
        return blocks

    def _files(self, files, count, blocks):
        _, flags_at, bf_at, ub_at, ubuf_at, size, _ = self.layout
        memory = self.kernel.memory
        libc = self.kernel.libc
        for i in range(count):
            file = files + i * size
            flags = memory.read16(file + flags_at)
            if not flags:
                continue                 # free: fclose released what it had
            found = []
            if flags & _SMBF:
                found.append(memory.read32(file + bf_at))
            ungetc = memory.read32(file + ub_at)
            if ungetc and ungetc != file + ubuf_at:
                found.append(ungetc)
            for block in found:
                if block and block not in blocks and libc.libc_block(block):
                    blocks.append(block)
