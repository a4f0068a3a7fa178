"""rtdl host tools: the `rtdl` command line and the Python API for tests.

Importing this package puts the device side (port/modules) and the board (port) on sys.path,
exactly as they are importable on the device when frozen. May import: port/, port/modules,
pyelftools, unicorn, the standard library.
"""
import os
import sys

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
for _sub in ("port/modules", "port"):
    _path = os.path.join(REPO, _sub)
    if _path not in sys.path:
        sys.path.insert(0, _path)

from rtdl.api import Board, ExecResult  # noqa: E402

__all__ = ["Board", "ExecResult", "REPO"]
