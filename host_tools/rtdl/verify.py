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
import json
import sys

from rtdl_device import arm_attributes
from rtdl_device.rterror import RtdlError

from rtdl.verifying.checks import verify_data, verify_file
from rtdl.verifying.firmware import Firmware, boot_heap
from rtdl.verifying.plan import plan_of, plan_text
from rtdl.verifying.report import Report, UsageError, report_text

__all__ = ("Firmware", "Report", "UsageError", "add_arguments", "boot_heap", "plan_of",
           "plan_text", "report_text", "run", "verify_data", "verify_file")


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
