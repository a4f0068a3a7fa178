"""The checks of `rtdl verify`: the device's own parse, place, link (on a bytearray), target
and heap checks run on one module, each problem turned into a finding."""
import os

from rtdl_board import memory_map as board_memory
from rtdl_device import arm_attributes
from rtdl_device import elf32
from rtdl_device import kernel
from rtdl_device import loader
from rtdl_device.rterror import ElfError, HeapError, RelocationError, UnresolvedSymbolError

from rtdl.verifying.plan import plan_of
from rtdl.verifying.report import ERROR, LIBRARY, NOTE, PROGRAM, WARNING, Report, UsageError

# Stands in for an import the firmware lacks, so the rest of the file can still be linked and
# checked (odd: a Thumb function address, as a real export would be).
_MISSING_IMPORT = 0x00000001
# Where a module is planned when the firmware's heap is unknown: the start of RAM.
_DEFAULT_BASE = board_memory.RAM_BASE



def module_kind(path, elf):
    """Program or library, by extension: .mo program, .so library, anything else (.o) a
    program when it defines `main`."""
    ext = os.path.splitext(path)[1].lower()
    if ext == ".mo":
        return PROGRAM
    if ext == ".so":
        return LIBRARY
    if elf is None:
        return LIBRARY
    for sec in elf.sections:
        if sec.type not in (elf32.SHT_SYMTAB, elf32.SHT_DYNSYM):
            continue
        for sym in elf.symbols(sec):
            if sym.name == loader.ENTRY_SYMBOL and sym.defined:
                return PROGRAM
    return LIBRARY


class _Sizing:
    """The parts of an Image `kernel.exec_blocks` reads, before the image is linked."""

    def __init__(self, placement):
        self.placement = placement
        self.size = placement.size
        self.stack_size = None


def _take(heap, blocks):
    """Allocate `blocks` like the kernel does. ([addresses], the block that did not fit)."""
    addresses = []
    for what, size, align in blocks:
        addr = heap.malloc_align(size, align) if align else heap.malloc(size)
        if not addr:
            return addresses, (what, size)
        addresses.append(addr)
    return addresses, None


def _location_of(error):
    """The where-fields of a collected RelocationError (the linker collects no other kind)."""
    if error.index is None:
        return {}
    return {"section": error.section, "relocation": error.index,
            "type": error.relocation_type, "offset": error.offset,
            "symbol": error.symbol or ""}


def _relocation_code(error):
    if error.kind == RelocationError.UNSUPPORTED:
        return "relocation-type"
    if error.kind == RelocationError.OUT_OF_RANGE:
        return "branch-range"
    return "relocation"


def _heap_free_text(heap):
    total, used, _ = heap.info()
    largest = max([size for addr, size, used_flag, owner in heap.check() if not used_flag] or [0])
    return "the firmware's heap has %d of %d bytes free at boot, %d in its largest block" % (
        total - used, total, largest)


def verify_data(data, path, firmware, target, plan_base=None):
    """Report on the module `data` (named `path`) for `firmware` and `target`."""
    report = Report(path, None)
    try:
        elf = loader.parse(data, path)
    except ElfError as error:
        report.kind = module_kind(path, None)
        report.add(ERROR, "elf", error.message)
        return report
    try:
        report.kind = module_kind(path, elf)
    except ElfError as error:
        report.kind = LIBRARY
        report.add(ERROR, "elf", error.message)
        return report
    try:
        for code, message in target.problems(elf):
            report.add(ERROR, code, message)
        if arm_attributes.read(elf) is None:
            report.add(WARNING, "no-attributes", "no .ARM.attributes: the instruction set was "
                       "not checked against %s" % target.cpu)
    except ElfError as error:
        report.add(ERROR, "elf", error.message)

    heap = firmware.heap()
    free = None
    if heap is not None:
        total, used, _ = heap.info()
        free = total - used
    else:
        report.add(WARNING, "no-heap", "the firmware's heap at boot is unknown (%s did not boot "
                   "on the board): memory needs were not checked" % firmware.name)
    try:
        placement = loader.place(elf, free) if free is not None else loader.place(elf)
    except HeapError as error:
        report.add(ERROR, "size", error.message if heap is None
                   else "%s; %s" % (error.message, _heap_free_text(heap)))
        return report
    except ElfError as error:
        report.add(ERROR, "elf", error.message)
        return report

    base = _DEFAULT_BASE
    if heap is not None:
        taken, failed = _take(heap, kernel.exec_blocks(_Sizing(placement), False, 0, ()))
        if failed is None:
            base = taken[1]
    if plan_base is not None:
        base = plan_base
    report.base = base

    image, missing = _link(report, elf, placement, base, firmware)
    if image is None:
        return report
    for name in missing:
        hint = firmware.close_matches(name)
        location = {}
        for entry in image.plan or ():
            if entry[4] == name:
                location = {"section": entry[0], "relocation": entry[1], "type": entry[2],
                            "symbol": name}
                break
        report.add(ERROR, "undefined-symbol", "undefined symbol '%s'%s" % (
            name, " (did you mean %s?)" % " or ".join(["'%s'" % h for h in hint]) if hint
            else " (the firmware does not export it)"), location)
    for name in image.weak_zero:
        report.add(NOTE, "weak-undefined", "weak symbol '%s' is not exported by the firmware; "
                   "it resolves to 0" % name, {"symbol": name})
    if report.kind == PROGRAM and not image.entry:
        report.add(ERROR, "no-entry", "program has no entry point (e_entry is 0: link it with "
                   "-e main, or build a library as .so)")
    error = kernel.config_error(image, path)
    if error is not None:
        report.add(ERROR, "thread-config", error.message)
    if heap is not None:
        _check_heap(report, image, firmware)
    report.plan = plan_of(image, missing)
    report.show_plan = plan_base is not None
    return report


def _link(report, elf, placement, base, firmware):
    """Link on a bytearray: every relocation problem and every missing import is reported.
    Returns (image or None, [missing import names])."""
    errors = []
    missing = []
    try:
        try:
            image = loader.prepare(elf, placement, base, firmware.resolve, errors, True)
        except UnresolvedSymbolError as error:
            missing = list(error.names)

            def resolve(name):
                return firmware.resolve(name) or (_MISSING_IMPORT if name in missing else 0)

            # Again with stand-ins for the missing imports: the entry point, the module's
            # own symbols and its thread settings can then be checked too.
            image = loader.prepare(elf, placement, base, resolve, [], True)
    except (ElfError, RelocationError) as error:
        for collected in errors:
            report.add(ERROR, _relocation_code(collected), collected.message,
                       _location_of(collected))
        report.add(ERROR, "elf", error.message)
        return None, missing
    for collected in errors:
        report.add(ERROR, _relocation_code(collected), collected.message,
                   _location_of(collected))
    return image, missing


def _check_heap(report, image, firmware):
    program = report.kind == PROGRAM and bool(image.entry)
    heap = firmware.heap()
    page = firmware.heap_description["page_size"]
    # dlmodule_exec(path, cmd) with no arguments: argv[0] is the path, as `rtdl run` passes it
    blocks = kernel.exec_blocks(image, program, page, [report.path])
    taken, failed = _take(heap, blocks)
    if failed is not None:
        report.add(ERROR, "size", "no room for the %s (%d bytes): %s takes %d bytes of heap "
                   "in %d blocks (%s) before any of its code runs; %s" % (
                       failed[0], failed[1],
                       "dlmodule_exec of this program" if program else "dlmodule_load",
                       sum([size for what, size, align in blocks]), len(blocks),
                       ", ".join(["%s %d" % (what, size) for what, size, align in blocks]),
                       _heap_free_text(firmware.heap())))


def verify_file(path, firmware, target, plan_base=None):
    """Report on the module file `path`; UsageError if it cannot be read at all."""
    try:
        with open(path, "rb") as stream:
            data = stream.read()
    except OSError as error:
        raise UsageError("%s: cannot open (%s)" % (path, error.strerror))
    try:
        return verify_data(data, path, firmware, target, plan_base)
    except Exception as error:     # the loader failing on a file is the device failing on it
        report = Report(path, module_kind(path, None))
        report.add(ERROR, "loader", "the loader fails on this file: %s: %s"
                   % (type(error).__name__, error))
        return report
