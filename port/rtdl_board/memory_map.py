"""The board's memory map (docs/ARCHITECTURE.md): where flash and SRAM are. Kept apart from
memory.py so that tools that only need the layout (`rtdl verify`) do not import unicorn.

May import: nothing.
"""
FLASH_BASE = 0x00000000
FLASH_SIZE = 512 * 1024
RAM_BASE = 0x20000000
RAM_SIZE = 512 * 1024
