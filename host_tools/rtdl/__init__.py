"""rtdl host tools: the `rtdl` command line, the Python API for tests and the pytest plugin.

May import: rtdl_device (the device side), rtdl_board (the emulated board), rtdl_firmware
(firmware sources and their build), pyelftools, unicorn, the standard library.
"""
from rtdl.api import Board, ExecResult

__all__ = ["Board", "ExecResult"]
