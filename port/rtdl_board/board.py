"""The board: a unicorn Cortex-M running the real firmware ELF, hosting the device side.

CPython only (unicorn). It maps flash and SRAM, writes the firmware's PT_LOAD
segments, finds RTMSymTab and the heap range from the firmware's own symbols, boots the
kernel (rtdl_device.kernel) and dispatches `SVC #n` into it. It gives the device side the
three interfaces of docs/ARCHITECTURE.md: memory (UnicornMemory), cpu (UnicornCpu) and console.
No per-instruction hook is ever installed: module code runs at full emulator speed.
"""
import rtdl_firmware
from unicorn import (Uc, UC_ARCH_ARM, UC_MODE_THUMB, UC_HOOK_INTR, UC_PROT_ALL,
                     UC_HOOK_MEM_INVALID, UC_PROT_READ, UC_PROT_EXEC, UC_MEM_WRITE_PROT)
from unicorn import arm_const as A

from rtdl_device import arm_attributes
from rtdl_device import elf32
from rtdl_device import fwguard
from rtdl_device import kernel as kernel_mod
from rtdl_device import rtheap
from rtdl_device import symbolize
from rtdl_device import symtab
from rtdl_device.rterror import ModuleFault, RtdlError

from . import boot_image
from . import fault_report
from . import firmware_cache
from .console import Console
from .cpu import REGS, SVC_PC, UnicornCpu
from .fault_report import FaultReport
from .heldmodes import HeldModes
from .host_ends import BoardDeviceError, open_host_ends  # noqa: F401  (also re-exported)
from .libcguard import LibcGuard
from .memory import FLASH_BASE, FLASH_SIZE, UnicornMemory
from .slice_timer import SLICE_TIMER

# The firmware's .data/.bss objects that module calls legitimately change: the reentrancy
# structure of code outside module threads (errno, rand, strtok, dtoa; impure.c - each module
# thread has its own in the heap, and newlib's global one is read-only), the stdio streams and
# their buffers, time zone, locale and environment, and the kernel service's assert hook and
# abort reason (link.ld puts them on pages of their own: libcguard.py). Every other object of
# .data/.bss keeps its boot contents for ever; fwguard.py reports a module that changes one.
LIBC_STATE = ("rtdl_system_reent", "rtdl_stdio_files", "rtdl_stdio_glue", "rtdl_stdio_bufs",
              "tzinfo", "_tzname", "__tzname_std", "__tzname_dst",
              "_timezone", "_daylight", "prev_tzenv", "environ", "initial_env", "__global_locale",
              "assert_hook", "reason")
# The firmware's objects the kernel itself keeps: the system threads' control blocks and stacks
# (systhreads.py), which change with every switch to tidle0 or tshell.
KERNEL_STATE = ("rtdl_system_threads",)

CPU_MODELS = {
    "cortex-m0": "UC_CPU_ARM_CORTEX_M0",
    "cortex-m0plus": "UC_CPU_ARM_CORTEX_M0",
    "cortex-m3": "UC_CPU_ARM_CORTEX_M3",
    "cortex-m4": "UC_CPU_ARM_CORTEX_M4",
    "cortex-m7": "UC_CPU_ARM_CORTEX_M7",
    "cortex-m33": "UC_CPU_ARM_CORTEX_M33",
}


class FirmwareError(RtdlError):
    """The firmware ELF is missing or lacks what the board needs."""


class Board:
    """An emulated Cortex-M board running `firmware` (default: rtdl_firmware.default_firmware())."""

    def __init__(self, firmware=None, cpu="cortex-m4", console=None, files=None, boot=True,
                 disks=None, serials=None):
        """`boot=False` leaves out the kernel: a bridge (rtdl.mpy_runtime) serves the machine
        to a device side running elsewhere, which boots its own kernel over it.
        `disks` ({name: host image path}) and `serials` ({name: SPEC}, host_serial.py) are
        the devices the board registers after boot, in that order (list_device's)."""
        self.firmware_path = firmware or rtdl_firmware.default_firmware()
        if cpu not in CPU_MODELS:
            raise RtdlError("unknown CPU '%s' (expected one of %s)"
                            % (cpu, ", ".join(sorted(CPU_MODELS))))
        self.cpu_name = cpu
        self.uc = Uc(UC_ARCH_ARM, UC_MODE_THUMB)
        # The model must be chosen before anything else touches the engine.
        import unicorn
        self.uc.ctl_set_cpu_model(getattr(unicorn.arm_const, CPU_MODELS[cpu]))
        self.uc.mem_map(FLASH_BASE, FLASH_SIZE, UC_PROT_READ | UC_PROT_EXEC)
        self.memory = UnicornMemory(self.uc)     # its RAM is mapped in _load_firmware
        self.console = console if console is not None else Console()
        self.cpu = UnicornCpu(self)
        self.memory.cpu = self.cpu
        self.memory.held = HeldModes(self)
        self.libc_guard = LibcGuard(self)
        self._svc_numbers = {}           # pc after an SVC in flash -> its number
        self._load_firmware()
        self.uc.hook_add(UC_HOOK_INTR, self._on_interrupt)
        # Fires only on a bad access (never on the hot path): remembers the data address.
        self.uc.hook_add(UC_HOOK_MEM_INVALID, self._on_bad_access)
        # The kernel stack (constructors, board.call) moves from its place above the heap
        # into the stack region (memory.py), its size kept: below it lie stack_gap unmapped
        # bytes, so a constructor's big frame faults there instead of overwriting the heap's
        # last blocks. The firmware's own kernel stack area stays write-protected at its
        # bottom page, as before, for code that still finds it by the linker's symbols.
        size = self._sym("__kernel_stack_top") - self._sym("__heap_end")
        bottom = self.memory.stack_alloc(size)
        self.kernel_stack_top = bottom + size
        self.kernel_stack = (bottom, self.kernel_stack_top)
        self.kernel_stack_guard = (bottom - self.memory.stack_gap, bottom)
        self.memory.protect(self._sym("__heap_end"), self.memory.page_size, False)
        if boot:
            self._boot(files)
            self._attach_devices(disks or {}, serials or {})

    def _attach_devices(self, disks, serials):
        """Register the host-backed devices (open_host_ends) in the kernel."""
        if not disks and not serials:
            return          # the host ends' modules (sockets, subprocess) cost a start-up 7 ms
        from rtdl_device import devices
        from . import host_serial
        registry = self.kernel.devices
        registry.host_wait = host_serial.wait_readable
        ends = open_host_ends(disks, serials)
        try:
            for kind, name, endpoint in ends:
                cls = devices.BlockDevice if kind == "disk" else devices.SerialDevice
                registry.register(cls(name, endpoint))
        except BaseException:
            for _, _, endpoint in ends:
                endpoint.close()
            raise

    def close(self):
        """Let go of the host ends of the devices (ptys, sockets, commands, image files)."""
        kernel = getattr(self, "kernel", None)
        if kernel is not None:
            kernel.devices.stop()

    def _boot(self, files):
        self.heap = rtheap.SmallMemHeap(self.memory, self._sym("__heap_start"),
                                        self._sym("__heap_end"))
        self.heap.cpu = self.cpu         # its run count: when headers can be read from the record
        # Refuse modules built for a bigger CPU or the other float ABI (RT-Thread does not).
        self.target = arm_attributes.Target(
            self.cpu_name, arm_attributes.float_abi(self.firmware_flags, None))
        self.exports = symtab.KernelSymbols(self.memory, self._sym("__rtmsymtab_start"),
                                            self._sym("__rtmsymtab_end"))
        self.kernel = kernel_mod.Kernel(self.memory, self.cpu, self.console, self.heap,
                                        self.exports,
                                        {"rt_module_main_return": self._sym("rt_module_main_return"),
                                         "rt_thread_exit": self._sym("rt_thread_exit"),
                                         "__rtdl_resume": self._sym("__rtdl_resume"),
                                         "__rtdl_timer_thread": self._sym("__rtdl_timer_thread"),
                                         "__rtdl_idle_thread": self._sym("__rtdl_idle_thread"),
                                         "__rtdl_signal_return": self._sym("__rtdl_signal_return"),
                                         "rtdl_system_threads": self._sym("rtdl_system_threads"),
                                         "_impure_ptr": self._sym("_impure_ptr"),
                                         "rtdl_reent_layout":
                                             self.firmware_symbols.get("rtdl_reent_layout", 0),
                                         "__rtdl_caller_heap_start":
                                             self.firmware_symbols.get("__rtdl_caller_heap_start", 0),
                                         "__rtdl_caller_heap_end":
                                             self.firmware_symbols.get("__rtdl_caller_heap_end", 0)},
                                        files, self.target)
        self.kernel.kernel_stack_guard = self.kernel_stack_guard
        self.kernel.kernel_stack = self.kernel_stack
        # run once per firmware, replayed afterwards (boot_image.py)
        self.recorded_boot = None
        boot_image.boot(self, self._sym("rtdl_firmware_init"), self._loadable)
        self.kernel.keep_firmware_data(self.memory.ram_start, self.heap.begin)
        fwguard.keep(self.kernel, self.firmware_protected)
        fwguard.protect_variables(self.kernel, *self.firmware_variables)
        fwguard.protect_libc_state(self.kernel, *self.libc_guard.region)

    # ---------------------------------------------------------------- firmware --------
    def _load_firmware(self):
        # The device side's own struct-based reader: pyelftools spent most of a boot walking
        # the firmware's symbols one construct parse at a time.
        try:
            with open(self.firmware_path, "rb") as stream:
                data = stream.read()
        except OSError as error:
            raise FirmwareError("%s: cannot open firmware (%s); run `make firmware`"
                                % (self.firmware_path, error.strerror))
        try:
            elf = elf32.ElfFile(data, self.firmware_path)
        except RtdlError as error:
            raise FirmwareError("%s: not a firmware ELF this board can run (%s)"
                                % (self.firmware_path, error))
        self.firmware_flags = elf.header.flags
        # keyed by what the description is read from: the section headers, .symtab and its
        # strings (a tenth of the ELF, whose bulk is debugging information)
        symtab_sec = elf.section_by_name(".symtab")
        if symtab_sec is None:
            raise FirmwareError("%s: has no .symtab (built stripped?)" % self.firmware_path)
        strtab_sec = elf.section(symtab_sec.link, ".symtab sh_link")
        header = elf.header
        source = b"".join([data[header.shoff:header.shoff + header.shnum * header.shentsize],
                           data[symtab_sec.offset:symtab_sec.offset + symtab_sec.size],
                           data[strtab_sec.offset:strtab_sec.offset + strtab_sec.size]])
        (self.firmware_symbols, self._functions, self.firmware_protected,
         libc_objects) = firmware_cache.cached("board", source,
                                               lambda: self._describe(elf, symtab_sec))
        self.libc_guard.describe(self.firmware_symbols, libc_objects, elf)
        self.kernel_stack_top = self._sym("__kernel_stack_top")
        self.return_address = self._sym("__rtdl_return")
        # link.ld's read-only firmware-variable pages (fwguard.protect_variables)
        self.firmware_variables = (self.firmware_symbols.get("__fwvars_start", 0),
                                   self.firmware_symbols.get("__fwvars_end", 0))
        # RAM is mapped already cut where __init__ write-protects the page at __heap_end and
        # where _boot write-protects the firmware-variable pages
        guard = self._sym("__heap_end")
        self.memory.map_ram((guard, guard + self.memory.page_size) + self.firmware_variables
                            + self.libc_guard.region,
                            self.firmware_variables + self.libc_guard.region)
        loadable = []
        for seg in elf.load_segments():
            if seg.memsz == 0:
                continue
            loadable.append(b"%d %d %d\n" % (seg.vaddr, seg.filesz, seg.memsz))
            loadable.append(data[seg.offset:seg.offset + seg.filesz])
            self.uc.mem_write(seg.vaddr, loadable[-1])
            if seg.memsz > seg.filesz:
                self.uc.mem_write(seg.vaddr + seg.filesz, b"\0" * (seg.memsz - seg.filesz))
        self._loadable = b"".join(loadable)

    def _describe(self, elf, symtab_sec):
        """(name -> address of every defined symbol, [(start, size, name)] of the functions
        sorted by address, [(address, size, name)] of the .data/.bss objects fwguard keeps)
        from the firmware's .symtab: the board's description of it, worked out once per
        firmware (firmware_cache)."""
        symbols = {}
        functions = []
        objects = []
        for sym in elf.symbols(symtab_sec):
            if sym.name and sym.defined:
                symbols.setdefault(sym.name, sym.value)
                if sym.type == elf32.STT_FUNC and sym.size:
                    functions.append((sym.value & ~1, sym.size, sym.name))
                elif sym.type == elf32.STT_OBJECT and sym.size:
                    objects.append((sym.value, sym.size, sym.name))
        data = (symbols.get("__data_start", 0), symbols.get("__bss_end", 0))
        protected = sorted(
            (addr, size, name) for addr, size, name in objects
            if data[0] <= addr < data[1]
            and name.split(".")[0] not in LIBC_STATE + KERNEL_STATE)
        functions.sort()
        libc = (symbols.get("__libcstate_start", 0), symbols.get("__libcstate_end", 0))
        return symbols, functions, protected, sorted(
            obj for obj in objects if libc[0] <= obj[0] < libc[1])

    def _sym(self, name):
        if name not in self.firmware_symbols:
            raise FirmwareError("%s: firmware lacks the symbol '%s'" % (self.firmware_path, name))
        return self.firmware_symbols[name]

    def firmware_variable_at(self, addr):
        """What the fault line says of a write at `addr` into the read-only firmware-variable
        pages: 'firmware data: _impure_ptr' (the object there, else just 'firmware data'),
        or None outside them."""
        start, end = self.firmware_variables
        if not start <= addr < end:
            return self.libc_guard.name_at(addr)
        for obj_addr, size, name in self.firmware_protected:
            if obj_addr <= addr < obj_addr + size:
                return "firmware data: %s" % name
        return "firmware data"

    def _modules(self):
        kernel = getattr(self, "kernel", None)
        return kernel.modules if kernel is not None else ()

    def module_at(self, addr):
        """The loaded module whose image holds `addr`, or None."""
        for module in self._modules():
            if module.contains(addr & ~1):
                return module
        return None

    def firmware_function(self, addr):
        """(name, offset) of the firmware function holding `addr`, or None."""
        lo, hi = 0, len(self._functions)
        while lo < hi:
            mid = (lo + hi) // 2
            if self._functions[mid][0] <= addr:
                lo = mid + 1
            else:
                hi = mid
        if lo:
            start, size, name = self._functions[lo - 1]
            if addr < start + size:
                return name, addr - start
        return None

    def function_at(self, addr):
        """'function+0xNN' from the module's symbol table ('module+0xNN' where it names
        none), 'firmware function+0xNN', or None outside both."""
        addr &= ~1
        module = self.module_at(addr)
        if module is not None:
            return symbolize.describe(module, addr)
        found = self.firmware_function(addr)
        if found is not None:
            return "firmware %s+0x%x" % found
        return None

    def in_code(self, addr):
        """Whether `addr` is an instruction of a module or of the firmware."""
        module = self.module_at(addr)
        if module is not None:
            image = getattr(module, "image", None)
            return image.in_code(addr) if image is not None else True
        return self.firmware_function(addr & ~1) is not None

    def describe_address(self, addr):
        """'function+0xNN' (module), 'firmware function+0xNN' or 'outside any module or
        firmware function' for a fault report."""
        return self.function_at(addr) or "outside any module or firmware function"

    def describe_context(self):
        kernel = getattr(self, "kernel", None)
        if kernel is not None and kernel.current is not None:
            return kernel.current.name
        if kernel is not None and getattr(kernel, "initializing", None) is not None:
            return "%s (in its constructors, on the kernel stack)" % kernel.initializing.name
        return "kernel"

    def fault(self, kind, detail, address=None, region=None, note=None):
        """The ModuleFault for a fault of the code on the CPU now: `kind` is (exception,
        cause) from fault_report.classify_*, `detail` what happened, `region` what memory
        the access hit and `note` more of it (both in parentheses after `detail`, None:
        none); its `report` (a FaultReport) has the registers, the thread, the module, the
        function and a backtrace."""
        uc = self.uc
        report = FaultReport(kind[0], kind[1], detail, [uc.reg_read(r) for r in REGS],
                             uc.reg_read(A.UC_ARM_REG_XPSR), address)
        kernel = getattr(self, "kernel", None)
        thread = kernel.current if kernel is not None else None
        module = getattr(thread, "module", None)
        top = self.kernel_stack_top
        if thread is not None:
            report.thread = thread.name
            top = getattr(thread, "stack_top", 0) or top
        elif kernel is not None and getattr(kernel, "initializing", None) is not None:
            module = kernel.initializing
            report.context = "in its constructors (on the kernel stack)"
        if module is None:
            module = self.module_at(report.pc) or self.module_at(report.lr)
        report.module = module.name if module is not None else None
        report.function = self.function_at(report.pc)
        if self.in_code(report.lr):
            report.caller = self.function_at(report.lr)
        report.backtrace = fault_report.backtrace(self, report, top)
        who, what, rest = report.parts()
        if note:
            rest = " (%s)%s" % (note, rest)
        fault = ModuleFault(what, address, region=region, rest=rest, who=who)
        fault.report = report
        return fault

    # -------------------------------------------------------------- interrupts -------
    def _on_bad_access(self, uc, access, address, size, value, user_data):
        if access == UC_MEM_WRITE_PROT and self.libc_guard.on_write(address, size, value):
            return True                  # libc's own store into its state (libcguard.py)
        if access == UC_MEM_WRITE_PROT and self.memory.held.members is not None:
            # a library's own store into its data switches modes (heldmodes.py)
            try:
                if self.memory.held.on_write(address, size, value):
                    return True
            except Exception as error:       # re-raised by UnicornCpu after emu_start
                self.cpu.fail(error)
        self.cpu.bad_access = (address, size)
        return False

    def _on_interrupt(self, uc, intno, user_data):
        cpu = self.cpu
        try:
            if intno != 2:
                raise self.fault(fault_report.classify_exception(intno),
                                 fault_report.exception_detail(
                                     intno, uc.reg_read(A.UC_ARM_REG_PC)))
            self.libc_guard.close()      # a kernel entry: libc's pages read-only again
            regs = cpu.svc_batch.read()
            pc = regs[SVC_PC]
            number = self._svc_numbers.get(pc)
            if number is None:
                number = uc.mem_read(pc - 2, 1)[0]
                if FLASH_BASE <= pc < FLASH_BASE + FLASH_SIZE:
                    self._svc_numbers[pc] = number      # the firmware's veneers never change
            cpu.at_svc = regs
            clock = cpu.slice_clock
            if clock is None:
                result = self.kernel.service(number, regs[:4])
            else:
                began = clock()
                result = self.kernel.service(number, regs[:4])
                SLICE_TIMER.extend(cpu.slice_token, clock() - began)
            cpu.at_svc = None
            if result is not None:
                cpu.svc_batch.write_r0(result & 0xFFFFFFFF)
        except Exception as error:       # re-raised by UnicornCpu after emu_start returns
            cpu.at_svc = None
            cpu._hook_error = error
            uc.emu_stop()
