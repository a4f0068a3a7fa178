"""`rtdl symtab [FIRMWARE]`: the firmware's RTM_EXPORT table in msh `list_symbols` form."""
import sys

from rtdl import firmware_info
from rterror import RtdlError


def add_arguments(p):
    p.add_argument("firmware", nargs="?", help="firmware ELF (default build/firmware/firmware.elf)")


def run(args):
    try:
        exports = firmware_info.read_exports(args.firmware)
    except RtdlError as error:
        sys.stderr.write("rtdl symtab: error: %s\n" % error)
        return 2
    for name, addr in exports:
        sys.stdout.write("%s => 0x%08x\n" % (name, addr))
    return 0
