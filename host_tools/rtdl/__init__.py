"""rtdl host tools: the `rtdl` command line, the Python API for tests and the pytest plugin.

May import: rtdl_device (the device side), rtdl_board (the emulated board), rtdl_firmware
(firmware sources and their build), pyelftools, unicorn, the standard library.
"""
__all__ = ["Board", "ExecResult"]


def __getattr__(name):
    # Board pulls in unicorn; tools that never boot a board (build, verify) should not wait
    # for it, so the API is imported on first use.
    if name in __all__:
        from rtdl import api
        return getattr(api, name)
    raise AttributeError("module 'rtdl' has no attribute %r" % name)
