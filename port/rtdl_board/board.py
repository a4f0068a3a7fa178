"""The board: a unicorn Cortex-M running the real firmware ELF, hosting the device side.

CPython only (unicorn). It maps flash and SRAM, writes the firmware's PT_LOAD
segments, finds RTMSymTab and the heap range from the firmware's own symbols, boots the
kernel (rtdl_device.kernel) and dispatches `SVC #n` into it. It gives the device side the
three interfaces of docs/ARCHITECTURE.md: memory (UnicornMemory), cpu (UnicornCpu) and console.
No per-instruction hook is ever installed: module code runs at full emulator speed.
"""
import rtdl_firmware
from unicorn import (Uc, UC_ARCH_ARM, UC_MODE_THUMB, UC_HOOK_INTR, UC_PROT_ALL,
                     UC_HOOK_MEM_INVALID, UC_PROT_READ, UC_PROT_EXEC)
from unicorn import arm_const as A

from rtdl_device import arm_attributes
from rtdl_device import elf32
from rtdl_device import kernel as kernel_mod
from rtdl_device import rtheap
from rtdl_device import symtab
from rtdl_device.rterror import ModuleFault, RtdlError

from . import boot_image
from . import firmware_cache
from .console import Console
from .cpu import SVC_PC, UnicornCpu
from .memory import FLASH_BASE, FLASH_SIZE, RAM_BASE, RAM_SIZE, UnicornMemory
from .slice_timer import SLICE_TIMER

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

    def __init__(self, firmware=None, cpu="cortex-m4", console=None, files=None, boot=True):
        """`boot=False` leaves out the kernel: a bridge (rtdl.mpy_runtime) serves the machine
        to a device side running elsewhere, which boots its own kernel over it."""
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
        self.uc.mem_map(RAM_BASE, RAM_SIZE, UC_PROT_ALL)
        self.memory = UnicornMemory(self.uc)
        self.console = console if console is not None else Console()
        self.cpu = UnicornCpu(self)
        self._svc_numbers = {}           # pc after an SVC in flash -> its number
        self._load_firmware()
        self.uc.hook_add(UC_HOOK_INTR, self._on_interrupt)
        # Fires only on a bad access (never on the hot path): remembers the data address.
        self.uc.hook_add(UC_HOOK_MEM_INVALID, self._on_bad_access)
        # The kernel stack (constructors, board.call) sits right above the heap: a write-
        # protected page at its bottom makes an overflow fault instead of overwriting the
        # heap's last blocks.
        self.kernel_stack_guard = (self._sym("__heap_end"),
                                   self._sym("__heap_end") + self.memory.page_size)
        self.memory.protect(self.kernel_stack_guard[0], self.memory.page_size, False)
        if boot:
            self._boot(files)

    def _boot(self, files):
        self.heap = rtheap.SmallMemHeap(self.memory, self._sym("__heap_start"),
                                        self._sym("__heap_end"))
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
                                         "__rtdl_timer_thread": self._sym("__rtdl_timer_thread")},
                                        files, self.target)
        self.kernel.kernel_stack_guard = self.kernel_stack_guard
        # run once per firmware, replayed afterwards (boot_image.py)
        self.recorded_boot = None
        boot_image.boot(self, self._sym("rtdl_firmware_init"), self._loadable)
        self.kernel.keep_firmware_data(self.memory.ram_start, self.heap.begin)

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
        loadable = []
        for seg in elf.load_segments():
            if seg.memsz == 0:
                continue
            loadable.append(b"%d %d %d\n" % (seg.vaddr, seg.filesz, seg.memsz))
            loadable.append(data[seg.offset:seg.offset + seg.filesz])
            self.uc.mem_write(seg.vaddr, loadable[-1])
            if seg.memsz > seg.filesz:
                self.uc.mem_write(seg.vaddr + seg.filesz, b"\0" * (seg.memsz - seg.filesz))
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
        self._loadable = b"".join(loadable)
        self.firmware_symbols, self._functions = firmware_cache.cached(
            "board", source, lambda: self._describe(elf, symtab_sec))
        self.kernel_stack_top = self._sym("__kernel_stack_top")
        self.return_address = self._sym("__rtdl_return")

    def _describe(self, elf, symtab_sec):
        """(name -> address of every defined symbol, [(start, size, name)] of the functions
        sorted by address) from the firmware's .symtab: the board's description of it,
        worked out once per firmware (firmware_cache)."""
        symbols = {}
        functions = []
        for sym in elf.symbols(symtab_sec):
            if sym.name and sym.defined:
                symbols.setdefault(sym.name, sym.value)
                if sym.type == elf32.STT_FUNC and sym.size:
                    functions.append((sym.value & ~1, sym.size, sym.name))
        functions.sort()
        return symbols, functions

    def _sym(self, name):
        if name not in self.firmware_symbols:
            raise FirmwareError("%s: firmware lacks the symbol '%s'" % (self.firmware_path, name))
        return self.firmware_symbols[name]

    def describe_address(self, addr):
        """'function+0xNN in firmware', 'hello+0xNN' (module) or 'heap' for a fault report."""
        addr &= ~1
        for module in self.kernel.modules if hasattr(self, "kernel") else ():
            if module.contains(addr):
                return "%s+0x%x" % (module.name, addr - module.mem_space)
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
                return "firmware %s+0x%x" % (name, addr - start)
        return "outside any module or firmware function"

    def describe_context(self):
        kernel = getattr(self, "kernel", None)
        if kernel is not None and kernel.current is not None:
            return kernel.current.name
        if kernel is not None and kernel.initializing is not None:
            return "%s (in its constructors, on the kernel stack)" % kernel.initializing.name
        return "kernel"

    # -------------------------------------------------------------- interrupts -------
    def _on_bad_access(self, uc, access, address, size, value, user_data):
        self.cpu.bad_access = (address, size)
        return False

    def _on_interrupt(self, uc, intno, user_data):
        cpu = self.cpu
        try:
            if intno != 2:
                raise ModuleFault("%s: CPU exception %d at pc=0x%08x (%s)"
                                  % (self.describe_context(), intno, cpu.pc(),
                                     self.describe_address(cpu.pc())))
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
