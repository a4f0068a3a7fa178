"""`rtdl verify MODULE... [--firmware F | --symtab F.json] [--cpu CPU] [--json] [--plan ADDR]`

Checks ahead of time that each module loads on one exact firmware, the way Linux's modpost
checks kernel modules on the build host. Every check is the device's own code run on the
host: `loader.parse` (ELF header), `loader.place` (segments/sections, size limit),
`loader.prepare` (symbol binding and every relocation through the one table in arm_reloc, into
a bytearray), `arm_attributes.Target` (instruction set and float ABI), `kernel.config_error`
and `kernel.exec_blocks` (thread settings, the heap blocks a load and an exec take), taken
from a replica of the firmware's heap at boot. So a module verify accepts is one the board
loads (and, for a program, starts), and one it rejects is one the board refuses.

Exit status: 0 all files loadable; 1 problems found (a malformed, truncated or foreign file
is a problem found); 2 usage error, or a file or firmware that cannot be opened at all.
"""
import difflib
import json
import os
import sys

from rtdl_device import arm_attributes
from rtdl_board import memory as board_memory
from rtdl_device import elf32
from rtdl_device import kernel
from rtdl_device import loader
from rtdl_device import membus
from rtdl_device import rtheap
from rtdl_device.rterror import ElfError, HeapError, RelocationError, RtdlError, UnresolvedSymbolError

from rtdl import firmware_info

ERROR = "error"
WARNING = "warning"
NOTE = "note"

PROGRAM = "program"
LIBRARY = "library"

# Stands in for an import the firmware lacks, so the rest of the file can still be linked and
# checked (odd: a Thumb function address, as a real export would be).
_MISSING_IMPORT = 0x00000001
# Where a module is planned when the firmware's heap is unknown: the start of RAM.
_DEFAULT_BASE = board_memory.RAM_BASE


class UsageError(Exception):
    """A problem with the command line or an input that cannot be opened: exit status 2."""


class Finding:
    """One problem (or remark) about one file, as a compiler reports it."""

    def __init__(self, severity, code, message, location=None):
        self.severity = severity
        self.code = code
        self.message = message
        self.location = location or {}

    def as_dict(self):
        return {"severity": self.severity, "code": self.code, "message": self.message,
                "location": self.location}

    def __repr__(self):
        return "Finding(%s, %s, %r)" % (self.severity, self.code, self.message)


class Report:
    """What verify found about one file; `plan` is the dry-run load plan (a dictionary)."""

    def __init__(self, path, kind):
        self.path = path
        self.kind = kind
        self.findings = []
        self.plan = None
        self.show_plan = False
        self.base = None

    @property
    def ok(self):
        return not [f for f in self.findings if f.severity == ERROR]

    def add(self, severity, code, message, location=None):
        prefix = self.path + ": "
        if message.startswith(prefix):
            message = message[len(prefix):]
        self.findings.append(Finding(severity, code, message, location))

    def codes(self):
        return [f.code for f in self.findings if f.severity == ERROR]

    def as_dict(self):
        result = {"file": self.path, "kind": self.kind, "ok": self.ok,
                  "findings": [f.as_dict() for f in self.findings]}
        if self.plan is not None and self.show_plan:
            result["plan"] = self.plan
        return result


# ------------------------------------------------------------------------------ firmware ---

class Firmware:
    """The firmware modules are verified against, from `firmware_info.describe` (an ELF) or a
    description written by `rtdl symtab --format json`."""

    def __init__(self, facts):
        self.facts = facts
        self.exports = {}
        for entry in facts["exports"]:
            self.exports.setdefault(entry["name"], entry["address"])   # first one wins
        self.names = sorted(self.exports)
        self.cpu = facts["cpu"]
        self.float_abi = facts["float_abi"]
        self.heap_description = facts["heap"]
        if self.heap_description is not None:
            boot_heap(self.heap_description)     # a description that cannot be replayed fails now

    @classmethod
    def from_elf(cls, path=None):
        return cls(firmware_info.describe(path))

    @classmethod
    def from_description(cls, path):
        return cls(firmware_info.load_description(path))

    @property
    def name(self):
        return self.facts["firmware"]

    def resolve(self, name):
        """dlmodule_symbol_find on this firmware: the address, or 0."""
        return self.exports.get(name, 0)

    def close_matches(self, name):
        return difflib.get_close_matches(name, self.names, n=3, cutoff=0.75)

    def heap(self):
        """A fresh replica of the heap at boot (None when unknown)."""
        if self.heap_description is None:
            return None
        return boot_heap(self.heap_description)


def boot_heap(description):
    """The heap at boot rebuilt in a bytearray: the recorded blocks allocated again in address
    order (holes freed afterwards) on RT-Thread's allocator, then compared block by block."""
    start, end = description["start"], description["end"]
    memory = membus.RamMemory(start, end - start)
    heap = rtheap.SmallMemHeap(memory, start, end, description["align"])
    recorded = [tuple(block) for block in description["blocks"]]
    holes = []
    for index, (addr, size, used, owner) in enumerate(recorded):
        if not used and index == len(recorded) - 1:
            break           # the free rest of the heap
        got = heap.malloc(size, owner)
        if got != addr:
            raise RtdlError("heap at boot: block %d (%d bytes at 0x%08x) comes out at 0x%08x "
                            "when replayed (expected the heap as recorded)"
                            % (index, size, addr, got))
        if not used:
            holes.append(got)
    for addr in holes:
        heap.free(addr)
    if [tuple(block) for block in heap.check()] != recorded:
        raise RtdlError("heap at boot: the replayed heap differs from the recorded one")
    return heap


# ------------------------------------------------------------------------------ checks -----

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


def verify_data(data, path, firmware, target, plan_base=None, argv=None):
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
        _check_heap(report, image, firmware, argv)
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


def _check_heap(report, image, firmware, argv):
    program = report.kind == PROGRAM and bool(image.entry)
    heap = firmware.heap()
    page = firmware.heap_description["page_size"]
    # dlmodule_exec(path, cmd) with no arguments: argv[0] is the path, as `rtdl run` passes it
    blocks = kernel.exec_blocks(image, program, page, argv or [report.path])
    taken, failed = _take(heap, blocks)
    if failed is not None:
        report.add(ERROR, "size", "no room for the %s (%d bytes): %s takes %d bytes of heap "
                   "in %d blocks (%s) before any of its code runs; %s" % (
                       failed[0], failed[1],
                       "dlmodule_exec of this program" if program else "dlmodule_load",
                       sum([size for what, size, align in blocks]), len(blocks),
                       ", ".join(["%s %d" % (what, size) for what, size, align in blocks]),
                       _heap_free_text(firmware.heap())))


# ------------------------------------------------------------------------------ plan -------

def _flags_text(flags, bits):
    return "".join([letter if flags & bit else "-" for letter, bit in bits])


_SEGMENT_FLAGS = (("R", elf32.PF_R), ("W", elf32.PF_W), ("X", elf32.PF_X))
_SECTION_FLAGS = (("A", elf32.SHF_ALLOC), ("W", elf32.SHF_WRITE), ("X", elf32.SHF_EXECINSTR))


def _got(image, missing):
    """The final GOT: the .got section of an ET_DYN after relocation, or the one the loader
    builds for an ET_REL. {address, slots: [{address, value, symbol}]} or None."""
    elf = image.elf
    placement = image.placement
    slots = []
    if elf.header.type == elf32.ET_REL:
        order = getattr(placement, "got_order", None)
        if not order:
            return None
        for index in order:
            offset = placement.got_slots[index]
            slots.append({"address": image.address(offset), "value": image.read32(offset),
                          "symbol": placement.symbols[index].name})
        return {"address": image.address(placement.got), "slots": slots}
    got = elf.section_by_name(".got")
    # Section headers of an ET_DYN are not used for loading: one that lies about .got must
    # not make the plan read outside the image.
    if (got is None or got.size == 0 or got.addr < placement.vstart
            or got.addr + got.size > placement.vstart + image.size):
        return None
    targets = {}
    for entry in image.plan or ():
        targets.setdefault(entry[3], entry[4])
    for vaddr in range(got.addr, got.addr + got.size - 3, 4):
        address = image.address(vaddr)
        slots.append({"address": address, "value": image.read32(vaddr),
                      "symbol": targets.get(address, "")})
    return {"address": image.address(got.addr), "slots": slots}


def plan_of(image, missing=()):
    """Where everything lands and what every relocation writes, as a dictionary."""
    elf = image.elf
    placement = image.placement
    parts = []
    if elf.header.type == elf32.ET_REL:
        for sec, offset in placement.sections:
            parts.append({"kind": "section", "index": sec.index, "name": sec.name,
                          "offset": offset, "address": image.address(offset), "size": sec.size,
                          "flags": _flags_text(sec.flags, _SECTION_FLAGS),
                          "nobits": sec.type == elf32.SHT_NOBITS})
    else:
        for seg in placement.segments:
            parts.append({"kind": "segment", "index": seg.index, "vaddr": seg.vaddr,
                          "address": image.address(seg.vaddr), "filesz": seg.filesz,
                          "memsz": seg.memsz, "flags": _flags_text(seg.flags, _SEGMENT_FLAGS)})
    relocations = []
    for section, index, type_name, place, symbol, S, value, old, new in image.plan or ():
        relocations.append({"section": section, "index": index, "type": type_name,
                            "place": place, "symbol": symbol, "S": S,
                            "missing": symbol in missing, "value": value, "old": old,
                            "new": new})
    return {"base": image.base, "size": image.size, "align": placement.align,
            "elf_type": "ET_REL" if elf.header.type == elf32.ET_REL else "ET_DYN",
            "entry": image.entry, "parts": parts, "relocations": relocations,
            "got": _got(image, missing), "veneers": _veneers(image),
            "weak_zero": list(image.weak_zero)}


def _veneers(image):
    """The call veneers the loader wrote for an ET_REL's BL/B.W to far imports."""
    placement = image.placement
    veneers = []
    for index in getattr(placement, "veneer_order", ()):
        offset = placement.veneers[index]
        address = image.address(offset)
        target = image.read32(offset + loader.VENEER_SIZE - 4)
        if target:          # written only when a branch could not reach the import directly
            veneers.append({"symbol": placement.symbols[index].name, "address": address,
                            "target": target})
    return veneers


def _hex(value):
    return "-" if value is None else "0x%08x" % value


def plan_text(report):
    plan = report.plan
    lines = ["%s: load plan at 0x%08x: %s, %d bytes, block alignment %d, entry %s"
             % (report.path, plan["base"], plan["elf_type"], plan["size"], plan["align"],
                _hex(plan["entry"]) if plan["entry"] else "none")]
    for part in plan["parts"]:
        if part["kind"] == "segment":
            lines.append("  segment %d  %s  vaddr 0x%08x..0x%08x -> 0x%08x..0x%08x  "
                         "(file 0x%x, memory 0x%x bytes)"
                         % (part["index"], part["flags"], part["vaddr"],
                            part["vaddr"] + part["memsz"], part["address"],
                            part["address"] + part["memsz"], part["filesz"], part["memsz"]))
        else:
            lines.append("  section [%d]  %s  +0x%05x -> 0x%08x..0x%08x  %s%s"
                         % (part["index"], part["flags"], part["offset"], part["address"],
                            part["address"] + part["size"], part["name"],
                            " (zeroed)" if part["nobits"] else ""))
    lines.append("  relocations (%d):" % len(plan["relocations"]))
    for rel in plan["relocations"]:
        symbol = rel["symbol"] or "-"
        if rel["missing"]:
            symbol += " (MISSING)"
        lines.append("    %-10s #%-3d %-22s at 0x%08x  %-24s S=0x%08x  value 0x%08x  %s -> %s"
                     % (rel["section"], rel["index"], rel["type"], rel["place"], symbol,
                        rel["S"], rel["value"], _hex(rel["old"]), _hex(rel["new"])))
    for veneer in plan["veneers"]:
        lines.append("  call veneer at 0x%08x -> 0x%08x  %s"
                     % (veneer["address"], veneer["target"], veneer["symbol"]))
    got = plan["got"]
    if got is None:
        lines.append("  GOT: none")
    else:
        lines.append("  GOT at 0x%08x (%d slots):" % (got["address"], len(got["slots"])))
        for slot in got["slots"]:
            lines.append(("    0x%08x: 0x%08x  %s" % (slot["address"], slot["value"],
                                                      slot["symbol"])).rstrip())
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------------------ command ----

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


def report_text(report):
    return "".join(["%s: %s: %s\n" % (report.path, f.severity, f.message)
                    for f in report.findings])


def add_arguments(p):
    p.add_argument("modules", nargs="+", metavar="MODULE",
                   help=".mo programs, .so libraries, .o relocatable objects")
    source = p.add_mutually_exclusive_group()
    source.add_argument("--firmware", metavar="F",
                        help="firmware ELF (default build/firmware/firmware.elf)")
    source.add_argument("--symtab", metavar="F.json",
                        help="firmware description from `rtdl symtab --format json`")
    p.add_argument("--cpu", metavar="CPU",
                   help="CPU the firmware runs on (default: the one it was built for; one of %s)"
                        % ", ".join(sorted(arm_attributes.CPUS)))
    p.add_argument("--json", action="store_true",
                   help="print a JSON array: one object per file with its findings")
    p.add_argument("--plan", metavar="ADDR",
                   help="also print the dry-run load plan with the module placed at ADDR")


def _parse_address(text):
    try:
        value = int(text, 0)
    except ValueError:
        raise UsageError("--plan %s: not an address (expected e.g. 0x20001000)" % text)
    if not 0 <= value <= 0xFFFFFFFF:
        raise UsageError("--plan %s: not a 32-bit address" % text)
    return value


def run(args):
    out = sys.stdout
    try:
        plan_base = _parse_address(args.plan) if args.plan is not None else None
        if args.cpu is not None and args.cpu not in arm_attributes.CPUS:
            raise UsageError("unknown CPU '%s' (expected one of %s)"
                             % (args.cpu, ", ".join(sorted(arm_attributes.CPUS))))
        try:
            if args.symtab:
                firmware = Firmware.from_description(args.symtab)
            else:
                firmware = Firmware.from_elf(args.firmware)
            target = arm_attributes.Target(args.cpu or firmware.cpu, firmware.float_abi)
        except RtdlError as error:
            raise UsageError(str(error))
    except UsageError as error:
        sys.stderr.write("rtdl verify: error: %s\n" % error)
        return 2
    reports = []
    status = 0
    for path in args.modules:
        try:
            report = verify_file(path, firmware, target, plan_base)
        except UsageError as error:
            sys.stderr.write("rtdl verify: error: %s\n" % error)
            status = 2
            continue
        reports.append(report)
        if not report.ok and status == 0:
            status = 1
        if not args.json:
            if args.plan is not None and report.plan is not None:
                out.write(plan_text(report))
            out.write(report_text(report))
    if args.json:
        out.write(json.dumps([r.as_dict() for r in reports], indent=1) + "\n")
    return status
