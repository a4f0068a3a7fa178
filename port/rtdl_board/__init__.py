"""rtdl_board: the emulated Cortex-M board (CPython only: unicorn and pyelftools).

`board` boots the firmware ELF and dispatches SVCs into the device side's kernel; `memory`,
`cpu` and `console` are the three interfaces it gives the device side (docs/ARCHITECTURE.md);
`slice_timer` ends time slices without per-instruction hooks. May import: rtdl_device,
rtdl_firmware, unicorn, pyelftools, the standard library; never rtdl (the host tools).
"""
