"""Smoke tests of the device side: the modules import and behave the same on both interpreters.

Plain asserts only; runs under tests/portable/harness.py (CPython) and real MicroPython.
"""
import sys

from rtdl_device import rterror
from rtdl_device import services


def _raises(exc_type, func, *args):
    try:
        func(*args)
    except exc_type as e:
        return e
    raise AssertionError("%s not raised" % exc_type.__name__)


def test_implementation_name():
    assert sys.implementation.name in ("micropython", "cpython")


def test_error_hierarchy():
    for cls in (rterror.ElfError, rterror.RelocationError, rterror.HeapError,
                rterror.HeapCorruption, rterror.ModuleFault, rterror.StackOverflow,
                rterror.ModuleStateError, rterror.UnresolvedSymbolError):
        assert issubclass(cls, rterror.RtdlError), cls
    assert issubclass(rterror.HeapCorruption, rterror.HeapError)
    assert issubclass(rterror.StackOverflow, rterror.ModuleFault)


def test_error_message_and_errno():
    e = rterror.ElfError("bad magic")
    assert str(e) == "bad magic"
    assert e.errno == rterror.ENOEXEC
    e = rterror.RtdlError("x", rterror.ENOMEM)
    assert e.errno == rterror.ENOMEM
    e = rterror.UnresolvedSymbolError("missing", ["foo", "bar"])
    assert e.names == ["foo", "bar"]
    assert e.errno == rterror.ENOENT


def test_a_fault_line_is_composed_from_its_parts():
    # a CPU fault: who, what, the region note and the rest; naming the region recomposes it
    fault = rterror.ModuleFault("write of 4 bytes at 0x20001000", 0x20001000,
                                region="read-only memory", rest="; pc=0x1 lr=0x2", who="m")
    assert str(fault) == "m: write of 4 bytes at 0x20001000 (read-only memory); pc=0x1 lr=0x2"
    fault.locate("image of module 'lib': .data+0x10")
    assert str(fault) == ("m: write of 4 bytes at 0x20001000 (image of module 'lib': "
                          ".data+0x10); pc=0x1 lr=0x2")
    # a line given whole names who first
    fault = rterror.ModuleFault("m: rt_free: 0x10 is not a heap block")
    assert (fault.who, fault.what, fault.region) == ("m", "rt_free: 0x10 is not a heap block",
                                                     None)
    assert str(fault) == "m: rt_free: 0x10 is not a heap block"
    fault = rterror.ModuleFault("dlmodule_exit called outside a module thread")
    assert fault.who is None and str(fault) == "dlmodule_exit called outside a module thread"


def test_service_aliases_share_a_number():
    assert services.service_number("malloc") == services.service_number("rt_malloc")
    assert services.service_number("free") == services.service_number("rt_free")
    assert services.service_number("rt_malloc") >= 0
    assert services.service_number("no_such_service") == -1


def test_service_numbers_are_indexes():
    for number in range(len(services.SERVICES)):
        for name in services.SERVICES[number]:
            assert services.service_number(name) == number, name


def test_service_names_unique():
    seen = {}
    for entry in services.SERVICES:
        for name in entry:
            assert name not in seen, name
            seen[name] = True


def test_membus_round_trip():
    from rtdl_device import membus
    mem = membus.RamMemory(0x20000000, 256)
    assert mem.ram_start == 0x20000000 and mem.ram_end == 0x20000100
    mem.write32(0x20000000, 0x1234567890)           # masked to 32 bits
    assert mem.read32(0x20000000) == 0x34567890
    assert mem.read16(0x20000000) == 0x7890
    assert mem.read8(0x20000003) == 0x34
    mem.write(0x200000FC, b"\x01\x02\x03\x04")
    assert mem.read(0x200000FC, 4) == b"\x01\x02\x03\x04"
    assert mem.read32(0x200000FC) == 0x04030201
    e = _raises(rterror.RtdlError, mem.read32, 0x200000FE)
    assert e.errno == rterror.EFAULT
    _raises(rterror.RtdlError, mem.read8, 0x1FFFFFFF)


def test_membus_protect_refuses_writes_until_made_writable_again():
    from rtdl_device import membus
    mem = membus.RamMemory(0x20000000, 4096, 1024)
    assert mem.page_size == 1024
    mem.protect(0x20000400, 1024, False)
    e = _raises(rterror.RtdlError, mem.write32, 0x200007FC, 1)
    assert e.errno == rterror.EFAULT and "read-only" in str(e)
    _raises(rterror.RtdlError, mem.write, 0x200003FE, b"\0\0\0\0")   # straddles the page
    mem.write32(0x200003FC, 5)                      # the page below is writable
    assert mem.read32(0x20000400) == 0              # reads still work
    mem.protect(0x20000400, 1024, True)
    mem.write32(0x200007FC, 7)
    assert mem.read32(0x200007FC) == 7
    _raises(rterror.RtdlError, mem.protect, 0x20000010, 1024, False)  # not a whole page
    assert membus.RamMemory(0x20000000, 16).page_size == 0


class _Group:
    def __init__(self, names):
        self.names = names

    def handlers(self):
        return [(name, self) for name in self.names]


def test_kernel_binds_every_service_by_number_and_refuses_gaps_and_strays():
    from rtdl_device import kernel
    names = [entry[0] for entry in services.SERVICES]
    table = kernel.bind_services([_Group(names[:10]), _Group(names[10:])])
    assert len(table) == len(services.SERVICES)
    e = _raises(rterror.RtdlError, kernel.bind_services, [_Group(names[1:])])
    assert "no handler" in str(e) and names[0] in str(e)
    e = _raises(rterror.RtdlError, kernel.bind_services, [_Group(names + ["rt_nothing"])])
    assert "rt_nothing" in str(e) and "not a service" in str(e)
    e = _raises(rterror.RtdlError, kernel.bind_services, [_Group(names), _Group(names[:1])])
    assert "two handlers" in str(e)
