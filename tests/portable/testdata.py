"""The portable tests' view of build/portable-data (made by `make portable-data`, see
host_tools/rtdl/portable_data.py): the test modules, the firmware's flash image with its
RTMSymTab, and index.json, what pyelftools read from each of them on the host.

Loaded once per interpreter and shared by the test files; runs on CPython and MicroPython.
"""
import json

import harness
from rtdl_device import membus
from rtdl_device import rtheap
from rtdl_device import symtab

RAM_BASE = 0x20000000
RAM_SIZE = 0x10000
# The heap of the full loads: fixed, so images are comparable across runs and interpreters.
HEAP_BEGIN = RAM_BASE + 0x100
HEAP_END = RAM_BASE + 0xF000
ET_REL = 1
ET_DYN = 3

_cache = {}


def read(name):
    """The bytes of a data file (cached)."""
    key = "file:" + name
    if key not in _cache:
        path = harness.data_path(name)
        try:
            f = open(path, "rb")
        except OSError:
            raise AssertionError("%s is missing: run `make portable-data` (make mpy-test does)"
                                 % path)
        try:
            _cache[key] = f.read()
        finally:
            f.close()
    return _cache[key]


def index():
    if "index" not in _cache:
        _cache["index"] = json.loads(str(read("index.json"), "utf-8"))
    return _cache["index"]


def firmware():
    return index()["firmware"]


def modules():
    """The facts (a dict, see rtdl.portable_data.module_facts) of every test module."""
    return index()["modules"]


def shared_objects():
    """The ET_DYN modules (.mo programs, .so libraries linked with -shared)."""
    return [facts for facts in modules() if facts["type"] == ET_DYN]


def relocatables():
    """The ET_REL modules (`rtdl build --relocatable`: partial links)."""
    return [facts for facts in modules() if facts["type"] == ET_REL]


def module(name):
    for facts in modules():
        if facts["file"] == name:
            return facts
    raise AssertionError("%s is not in %s" % (name, harness.data_path("index.json")))


def exports():
    """{name: address} of the firmware's RTMSymTab as pyelftools read it (first entry wins)."""
    if "exports" not in _cache:
        table = {}
        for name, addr in firmware()["exports"]:
            if name not in table:
                table[name] = addr
        _cache["exports"] = table
    return _cache["exports"]


def flash_memory():
    """A fresh RamMemory holding the firmware's flash image at its own address."""
    fw = firmware()
    image = read(fw["flash_image"])
    assert len(image) == fw["flash_size"], "%s: %d bytes, index says %d" % (
        fw["flash_image"], len(image), fw["flash_size"])
    memory = membus.RamMemory(fw["flash_base"], len(image))
    memory.write(fw["flash_base"], image)
    return memory


def kernel_symbols():
    """symtab.KernelSymbols over the flash image (built once: it reads every name)."""
    if "symbols" not in _cache:
        fw = firmware()
        _cache["symbols"] = symtab.KernelSymbols(flash_memory(), fw["rtmsymtab_start"],
                                                 fw["rtmsymtab_end"])
    return _cache["symbols"]


def ram_and_heap():
    """A fresh (RamMemory, SmallMemHeap) pair at the fixed addresses above."""
    memory = membus.RamMemory(RAM_BASE, RAM_SIZE)
    return memory, rtheap.SmallMemHeap(memory, HEAP_BEGIN, HEAP_END)


def raises(exc_type, func, *args):
    """The exception `func(*args)` raises, checked to be an `exc_type`."""
    try:
        func(*args)
    except exc_type as e:
        return e
    raise AssertionError("%s not raised" % exc_type.__name__)
