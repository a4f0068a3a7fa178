"""The Python API for unit-testing modules from pytest (or any host script).

    from rtdl import Board
    board = Board()                          # boots build/firmware/firmware.elf
    result = board.exec("build/hello.mo")    # runs main to the end
    assert result.output == "Hello, world\\n" and result.exit_code == 0
    lib = board.load("build/lib.so")
    assert board.call(lib, "add_func", 2, 3) == 5

`files` is the device's file system the loader reads: `rtdl.sandbox.SandboxFiles(root)` makes
`root` the device's `/` (what `rtdl run` and `rtdl shell` use; paths given to exec, load and
dlopen are then device paths). Without it the board reads host paths as given (HostFiles:
regular files only, bounded by the heap, but not contained), so a test can run modules from
wherever it built them.

`disks` ({"sd0": "disk.img"}) and `serials` ({"uart1": "pty"}; stdio, pty, tcp:PORT,
cmd:COMMAND) give the board host-backed devices, as `--disk` and `--serial` do; close()
lets go of their host ends (or use the board as a context manager).

Everything here is a thin layer over the board (port/board.py) and the device-side API
(dlmodule, dlfcn), so a test exercises exactly the code a device runs.
"""
import os

from rtdl.host_files import HostFiles
from rtdl_board import board as _board
from rtdl_device import dlmodule
from rtdl_device import kernel as _kernel
from rtdl_device import faults as _faults
from rtdl_device import loader as _loader
from rtdl_device.rterror import ModuleFault, RtdlError

# heapstrict, msh and dlfcn are imported where they are used: `rtdl run` of a plain module
# needs none of them, and each module imported is start-up time of every run.
_DLFCN = []


def _dlfcn():
    """rtdl_device.dlfcn, imported at its first use (an import statement costs a dlopen +
    dlclose cycle about half a microsecond)."""
    if not _DLFCN:
        from rtdl_device import dlfcn
        _DLFCN.append(dlfcn)
    return _DLFCN[0]


class FailedModule:
    """What ExecResult reports for a module that died in its constructors."""

    def __init__(self, path, fault):
        self.name = _kernel.Module(_loader.module_name(path), path).name
        self.path = path
        self.fault = fault
        self.ret_code = _faults.EXIT_CODES.get(fault.kind, _faults.EXIT_FAULT)


class ExecResult:
    """What one module run produced. For a CPU fault, `fault_report` is the board's
    FaultReport (exception, cause, thread, module, function, registers, backtrace;
    `lines()` is RT-Thread's dump) and `registers` maps r0..r12, sp, lr, pc, psr to values;
    both are None for other endings (abort, timeout, deadlock, a return from main)."""

    def __init__(self, module, output):
        self.module = module
        self.output = output
        self.exit_code = module.ret_code
        self.fault = module.fault
        self.fault_report = getattr(module.fault, "report", None)
        self.registers = None
        if self.fault_report is not None:
            names = ["r%d" % i for i in range(13)] + ["sp", "lr", "pc"]
            self.registers = dict(zip(names, self.fault_report.registers))
            self.registers["psr"] = self.fault_report.psr

    def __repr__(self):
        return "ExecResult(exit_code=%d, fault=%r, output=%r)" % (self.exit_code, self.fault,
                                                                   self.output)


HEAP_CHECKS = ("normal", "strict")


class Board(_board.Board):
    """A booted emulated board with conveniences for tests and scripts."""

    def __init__(self, firmware=None, cpu="cortex-m4", console=None, files=None, disks=None,
                 serials=None, heap_check="normal"):
        """`heap_check`: "normal" (headers checked, misuse reported) or "strict" (also
        redzones, poisoned fresh memory and a quarantine for modules' blocks: see
        rtdl_device/heapstrict.py; slower)."""
        if heap_check not in HEAP_CHECKS:
            raise RtdlError("heap_check=%r: expected one of %s" % (heap_check,
                                                                 ", ".join(HEAP_CHECKS)))
        if files is None:
            files = HostFiles()
        _board.Board.__init__(self, firmware, cpu, console, files, disks=disks,
                              serials=serials)
        if heap_check == "strict":
            from rtdl_device import heapstrict
            self.kernel.heap_strict = heapstrict.StrictHeap(self.kernel)
        # a module can never be larger than the heap: refuse bigger files before reading them
        if getattr(files, "read_limit", 0) is None:
            files.read_limit = self.heap.info()[0]
        dlmodule.attach(self.kernel)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def activate(self):
        """Make this board the one dlmodule/dlfcn functions act on."""
        dlmodule.attach(self.kernel)
        return self

    def exec(self, path, *args, timeout=10.0, argv0=None):
        """dlmodule_exec the module with these arguments and run it to the end: until no
        thread of it, or of a module it started, is left. Modules loaded before (`load`,
        `dlopen`) are residents: their threads run alongside and stay as they are at the
        end - a library's worker waiting for requests is not a deadlock, and neither a
        deadlock nor the timeout ends a resident.

        Returns an ExecResult (exit_code, output, fault); a module that faults, aborts or
        times out has `fault` set and an exit code of 139, 134 or 124."""
        self.activate()
        path = os.fspath(path)
        cmd = _kernel.quote_args([argv0 or path] + [str(a) for a in args])
        self.console.take()
        kernel = self.kernel
        # what was loaded before (libraries the host keeps, with their threads) stays as it
        # is: the run ends with this module and whatever it started
        residents = list(kernel.modules)
        saved = kernel.call_timeout_us
        if timeout:
            # the budget bounds constructors (and module_init) too, not only main
            kernel.call_timeout_us = min(saved, int(timeout * 1000000))
        try:
            try:
                module = dlmodule.exec(path, cmd)
            except ModuleFault as fault:
                # a constructor faulted or ran out of time: the module is gone, a fault
                return ExecResult(FailedModule(path, fault), self.console.take())
            # destructors at its end are bounded the same way
            kernel.run(int(timeout * 1000000) if timeout else 0, residents=residents)
        finally:
            kernel.call_timeout_us = saved
        return ExecResult(module, self.console.take())

    def run(self, timeout=10.0):
        """Run the module threads until none is left. `timeout` (seconds, 0: none) is the
        budget of the whole run: threads still alive when it is spent end with a timeout."""
        self.kernel.run(int(timeout * 1000000) if timeout else 0)

    def load(self, path, timeout=10.0):
        """dlmodule_load: load a module (its constructors run; main does not). `timeout`
        (seconds, 0: the kernel's own limit) bounds each constructor and module_init: one
        that runs longer ends the load with a ModuleFault of kind "timeout", the heap as
        before."""
        self.activate()
        kernel = self.kernel
        saved = kernel.call_timeout_us
        if timeout:
            kernel.call_timeout_us = min(saved, int(timeout * 1000000))
        try:
            return dlmodule.load(os.fspath(path))
        finally:
            kernel.call_timeout_us = saved

    def commands(self):
        """{name: description} of the msh commands that loaded modules registered
        (MSH_CMD_EXPORT, MSH_CMD_EXPORT_ALIAS, FINSH_FUNCTION_EXPORT)."""
        return dict((command.name, command.desc)
                    for module, command in self._msh(None).module_commands())

    def msh(self, line, timeout=10.0):
        """Run one msh command line as `rtdl shell` would - a built-in, a command a loaded
        module registered, or a program by name - and return (value, output): the command's
        result (a faulted module's exit code) and everything printed, in order."""
        self.activate()
        self.console.take()
        value = self._msh(timeout).execute(line)
        return value, self.console.take()

    def _msh(self, timeout):
        # msh's own lines go to the console too, so they interleave with the modules' output
        from rtdl_device import msh as _msh
        return _msh.Msh(self.kernel, lambda text: self.console.write(text.encode()),
                        timeout_us=int(timeout * 1000000) if timeout else 0)

    def dlopen(self, path):
        dlmodule.attach(self.kernel)             # activate(), in the hot path of a plugin loop
        return (_DLFCN[0] if _DLFCN else _dlfcn()).dlopen(os.fspath(path))

    def dlclose(self, module):
        dlmodule.attach(self.kernel)
        return (_DLFCN[0] if _DLFCN else _dlfcn()).dlclose(module)

    def symbol(self, module, name):
        """Address of a module's defined symbol (dlsym); raises if it has none."""
        addr = module.symbols.get(name, 0)
        if not addr:
            raise RtdlError("%s: no defined symbol '%s'" % (module.name, name))
        return addr

    def call(self, module, name, *args, signed=True):
        """Call a function of a loaded module with integer arguments; returns r0."""
        value = self.cpu.call(self.symbol(module, name), tuple(args))
        if signed and value & 0x80000000:
            value -= 1 << 32
        return value

    def read(self, addr, size):
        return self.memory.read(addr, size)

    def heap_info(self):
        """(total, used, max_used) of the RT-Thread heap."""
        return self.heap.info()
