"""msh over a kernel on bytearray RAM (no CPU): RT-Thread's layouts of list_module,
list_symbols, free and ls, the device's own file system through msh.OsFiles, and path
normalisation - the same text on CPython and MicroPython. Plain asserts."""
import os

import harness
from rtdl_device import kernel
from rtdl_device import msh
import testdata


class _Console:
    def __init__(self):
        self.data = b""

    def write(self, data):
        self.data += bytes(data)


def _shell():
    memory, heap = testdata.ram_and_heap()
    k = kernel.Kernel(memory, None, _Console(), heap, testdata.kernel_symbols(), {})
    printed = []
    return k, msh.Msh(k, printed.append), printed


def _run(shell, printed, line):
    del printed[:]
    value = shell.execute(line)
    return value, "".join(printed)


def test_msh_list_module_row_of_a_loaded_library():
    k, shell, printed = _shell()
    lib = k.drive(k.load_steps(harness.data_path("lib.so")))
    value, text = _run(shell, printed, "list_module")
    assert value == 0
    assert text == ("module   ref      address \n-------- -------- ------------\n"
                    "lib      1     0x%08x\n" % lib.mem_space)
    # the address printed is the heap block holding the image
    assert k.heap.usable_size(lib.mem_space) >= lib.mem_size > 0


def test_msh_list_symbols_and_free():
    k, shell, printed = _shell()
    lines = _run(shell, printed, "list_symbols")[1].split("\n")
    assert lines[-1] == ""
    assert len(lines) - 1 == len(testdata.firmware()["exports"])
    assert "printf => 0x%08x" % testdata.exports()["printf"] in lines
    total, used, max_used = k.heap.info()
    assert _run(shell, printed, "free")[1] == (
        "total memory: %d\nused memory : %d\nmaximum allocated memory: %d\n"
        % (total, used, max_used))


def test_msh_ls_over_the_devices_own_files():
    k, shell, printed = _shell()
    text = _run(shell, printed, "ls " + harness.DATA)[1]
    lines = text.split("\n")
    assert lines[0] == "Directory %s:" % harness.DATA
    names = sorted(os.listdir(harness.DATA))
    assert len(lines) == len(names) + 2 and lines[-1] == ""
    row = lines[1 + names.index("lib.so")]
    assert row == "%-20s%-25d" % ("lib.so", len(testdata.read("lib.so")))
    assert _run(shell, printed, "ls /no/such/dir")[1] == "No such directory\n"


def test_msh_not_found_and_normalize_path():
    k, shell, printed = _shell()
    assert _run(shell, printed, "no_such_cmd x") == (-1, "no_such_cmd: command not found.\n")
    assert msh.normalize_path("/a/b", "../c/./d//") == "/a/c/d"
    assert msh.normalize_path("/", "../x") is None
