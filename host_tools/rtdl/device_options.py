"""`--disk NAME=FILE` and `--serial NAME=SPEC`, the same options for `rtdl run` and
`rtdl shell`: parsed here into the `disks` and `serials` the board takes (Board(disks=...,
serials=...), port/rtdl_board/board.py, which opens the host ends). FILE is a host path
given by the user, not a device path: --root does not apply to it."""

SERIAL_SPECS = "stdio, pty, tcp:PORT or cmd:COMMAND"


class OptionError(ValueError):
    """A --disk or --serial value that is not NAME=VALUE."""


def add_arguments(p):
    p.add_argument("--disk", action="append", default=[], metavar="NAME=FILE",
                   help="a block device NAME (512-byte sectors) over the host image FILE; "
                        "may repeat")
    p.add_argument("--serial", action="append", default=[], metavar="NAME=SPEC",
                   help="a serial device NAME whose other end is SPEC: %s; may repeat"
                        % SERIAL_SPECS)


def set_defaults(args):
    """What add_arguments' options hold when none is given (run_cmd.quick_args)."""
    args.disk = []
    args.serial = []


def _pairs(values, option, what):
    pairs = {}
    for value in values:
        name, sep, rest = value.partition("=")
        if not sep or not name or not rest:
            raise OptionError("%s %s: expected NAME=%s" % (option, value, what))
        if name in pairs:
            raise OptionError("%s %s: device '%s' is given twice" % (option, value, name))
        pairs[name] = rest
    return pairs


def parse(args):
    """(disks, serials) from the parsed arguments; OptionError names the bad value."""
    disks = _pairs(args.disk, "--disk", "FILE")
    serials = _pairs(args.serial, "--serial", "SPEC (%s)" % SERIAL_SPECS)
    for name in disks:
        if name in serials:
            raise OptionError("--serial %s=...: device '%s' is a --disk already" % (name, name))
    return disks, serials
