"""The device side of `rtdl run/shell --runtime micropython`: boot a kernel over the bridge
(bridge.py) on the board the host serves, then run one module or msh, as the host's
rtdl.run_cmd / rtdl.shell_cmd do on CPython.

    main("/dev/rtdl_bridge")     # the stream the Node launcher connects to the host

The host answers ["info"] with the mode ("run", "shell"), its arguments and the firmware's
landmarks, the host's devices (bridge_devices) and the heap check; results go back as
["exit", {...}]. Imports: bridge, bridge_devices, bridge_fileio, bridge_memory, bridge_stacks,
kernel, loader, faults, fwguard, msh, repl, dlmodule, heapstrict, rtheap, symtab,
arm_attributes, rterror.
"""
from . import arm_attributes
from . import bridge
from . import bridge_devices
from . import bridge_fileio
from . import bridge_memory
from . import bridge_stacks
from . import dlmodule
from . import faults
from . import fwguard
from . import heapstrict
from . import kernel as kernel_mod
from . import loader
from . import msh
from . import repl
from . import rtheap
from . import symtab
from .rterror import ModuleFault, RtdlError


def boot(link, info):
    """The kernel over the host's board, booted as rtdl_board.board.Board boots its own."""
    sym = info["symbols"]
    if "stack_gap" in info:
        # thread stacks in the board's stack region, as Board boots its own kernel
        memory = bridge_stacks.StackRegionMemory(link, info["ram"][0], info["ram"][1],
                                                 info["page_size"], info["stack_gap"])
    else:
        memory = bridge_memory.BridgeMemory(link, info["ram"][0], info["ram"][1],
                                            info["page_size"])
    if "rom" in info:                      # flash: readable by services' checks (svc_args)
        memory.rom_start, memory.rom_end = info["rom"]
    cpu = bridge.BridgeCpu(link, memory)
    heap = rtheap.SmallMemHeap(memory, sym["__heap_start"], sym["__heap_end"])
    target = arm_attributes.Target(info["cpu"],
                                   arm_attributes.float_abi(info["firmware_flags"], None))
    exports = symtab.KernelSymbols(memory, sym["__rtmsymtab_start"], sym["__rtmsymtab_end"])
    files = bridge_fileio.BridgeFiles(link)
    kernel = kernel_mod.Kernel(memory, cpu, bridge.BridgeConsole(link), heap, exports,
                               {"rt_module_main_return": sym["rt_module_main_return"],
                                "rt_thread_exit": sym["rt_thread_exit"],
                                "__rtdl_resume": sym["__rtdl_resume"],
                                "__rtdl_timer_thread": sym["__rtdl_timer_thread"],
                                "__rtdl_idle_thread": sym["__rtdl_idle_thread"],
                                "__rtdl_signal_return": sym["__rtdl_signal_return"],
                                "rtdl_system_threads": sym["rtdl_system_threads"],
                                "_impure_ptr": sym["_impure_ptr"],
                                "rtdl_reent_layout": sym.get("rtdl_reent_layout", 0),
                                "__rtdl_caller_heap_start": sym.get("__rtdl_caller_heap_start", 0),
                                "__rtdl_caller_heap_end": sym.get("__rtdl_caller_heap_end", 0)},
                               files, target)
    cpu.kernel = kernel
    if "kernel_stack_guard" in info:
        kernel.kernel_stack_guard = tuple(info["kernel_stack_guard"])
    if "kernel_stack" in info:
        kernel.kernel_stack = tuple(info["kernel_stack"])
    cpu.call(sym["rtdl_firmware_init"])
    kernel.keep_firmware_data(memory.ram_start, heap.begin)
    fwguard.keep(kernel, [tuple(obj) for obj in info.get("firmware_objects", ())])
    fwguard.protect_variables(kernel, *info.get("firmware_variables", (0, 0)))
    fwguard.protect_libc_state(kernel, *info.get("libc_state", (0, 0)))
    # then as rtdl.api.Board: the host's devices, the strict heap check, dlmodule
    bridge_devices.attach(kernel, link, info.get("devices", []))
    if info.get("heap_check") == "strict":
        kernel.heap_strict = heapstrict.StrictHeap(kernel)
    dlmodule.attach(kernel)
    return kernel


def run_module(kernel, info):
    """rtdl run: dlmodule_exec the module and run it to the end (api.Board.exec)."""
    path = info["module"]
    cmd = kernel_mod.quote_args([path] + info["args"])
    try:
        try:
            module = dlmodule.exec(path, cmd)
        except ModuleFault as fault:
            # a constructor faulted or ran out of time: the module is gone, a fault of it
            # (exit 139/124), as api.Board.exec reports it, not a failed load
            return {"name": loader.module_name(path),
                    "exit_code": faults.EXIT_CODES.get(fault.kind, faults.EXIT_FAULT),
                    "fault": str(fault), "heap": list(kernel.heap.info())}
        kernel.run(info["timeout_us"])
    except RtdlError as error:
        return {"error": str(error)}
    return {"name": module.name, "exit_code": module.ret_code,
            "fault": str(module.fault) if module.fault is not None else None,
            "heap": list(kernel.heap.info())}


class _CtrlCCpu:
    """The kernel's CPU in the shell: before each slice of a module msh runs, the host is
    asked whether Ctrl-C was pressed (it keeps the key press: this process never sees the
    terminal's SIGINT), and msh stops the module as on CPython."""

    def __init__(self, cpu, link, shell):
        self._cpu = cpu
        self._link = link
        self._shell = shell

    def __getattr__(self, name):
        return getattr(self._cpu, name)

    def run(self, context, timeout_us=0):
        if self._shell.running and self._link.call("interrupted"):
            self._shell.interrupt()
        return self._cpu.run(context, timeout_us)


def _msh_state(sh, kernel):
    return {"commands": [entry[0] for entry in sh.commands],
            "modules": [m.name for m in kernel.modules if m.state != kernel_mod.STAT_CLOSED]}


def shell(kernel, link, info):
    """rtdl shell: msh reading its lines from the host's terminal; `python` is a REPL on this
    interpreter (repl.py), its threads this kernel's."""
    console = kernel.console

    def write(text):
        console.write(text.encode())

    def read_line(prompt):
        return link.call("readline", prompt)

    def poll():
        return link.call("repl_poll")

    def python_command(argv):
        wait = repl.PROMPT_WAIT_MS if info.get("terminal") else None
        def await_key(prompt, ms, words=None):
            return link.call("await_key", prompt, ms, words)
        threads = repl.LocalThreads(kernel, info["timeout_us"], poll, wait, await_key)
        return repl.repl(threads, read_line, write, guard_modules=True,
                         complete=bool(info.get("terminal")))

    sh = msh.Msh(kernel, write, kernel.files, info["timeout_us"])
    sh.add_command("python", python_command, info["python_help"])
    cpu = kernel.cpu
    kernel.cpu = _CtrlCCpu(cpu, link, sh)
    if info.get("commands") is not None:
        # `rtdl shell -c "cmd; cmd"`: those, no prompt, the last one's status
        try:
            value = 0
            for line in info["commands"]:
                if sh.exited:
                    break
                value = sh.execute(line)
            return {"status": (value if value is not None else 0) & 0xFF}
        finally:
            kernel.cpu = cpu
    try:
        while not sh.exited:
            try:
                if info.get("terminal"):
                    # what Tab completes at the host's terminal (rtdl.terminal.MshView)
                    line = link.call("readline", sh.prompt(), None, _msh_state(sh, kernel))
                else:
                    line = read_line(sh.prompt())
            except KeyboardInterrupt:
                write("\n")         # Ctrl-C at the prompt drops the line
                continue
            if line is None:
                write("\n")
                break
            sh.execute(line)
    finally:
        kernel.cpu = cpu
    return {}


def main(path):
    with open(path, "r+b") as stream:
        link = bridge.Link(stream)
        info = link.call("info")
        try:
            kernel = boot(link, info)
        except RtdlError as error:
            link.call("exit", {"error": str(error)})
            return
        if info["mode"] == "run":
            result = run_module(kernel, info)
        else:
            result = shell(kernel, link, info)
        link.call("exit", result)
