"""ARM build attributes (the 'aeabi' part of .ARM.attributes) and the check that a module's
instruction set and floating-point ABI suit the CPU and the firmware it is loaded on.

RT-Thread loads whatever it is given: Cortex-M4 code on a Cortex-M0 runs until the first
Thumb-2 instruction faults, and a hard-float module on a soft-float firmware passes doubles in
registers the firmware never reads. The loader (`Target.check`) and `rtdl verify`
(`Target.problems`) share this one check. Imports: elf32, rterror.
"""
from . import elf32
from .rterror import ElfError

try:
    from micropython import const
except ImportError:
    def const(x):
        return x

SHT_ARM_ATTRIBUTES = const(0x70000003)

TAG_FILE = const(1)
TAG_CPU_NAME = const(5)
TAG_CPU_ARCH = const(6)
TAG_CPU_ARCH_PROFILE = const(7)
TAG_THUMB_ISA_USE = const(9)
TAG_FP_ARCH = const(10)
TAG_ABI_VFP_ARGS = const(28)
TAG_COMPATIBILITY = const(32)

PROFILE_M = const(0x4D)       # 'M'
VFP_ARGS_BASE = const(0)      # AAPCS: floating-point arguments in core registers
VFP_ARGS_VFP = const(1)       # VFP registers (hard-float)
VFP_ARGS_NONE = const(3)      # the code passes no floating-point arguments: fits both

# Tag_CPU_arch values
ARCH_NAMES = {
    0: "pre-ARMv4", 1: "ARMv4", 2: "ARMv4T", 3: "ARMv5T", 4: "ARMv5TE", 5: "ARMv5TEJ",
    6: "ARMv6", 7: "ARMv6KZ", 8: "ARMv6T2", 9: "ARMv6K", 10: "ARMv7", 11: "ARMv6-M",
    12: "ARMv6S-M", 13: "ARMv7E-M", 14: "ARMv8-A", 15: "ARMv8-R", 16: "ARMv8-M.baseline",
    17: "ARMv8-M.mainline", 18: "ARMv8.1-A", 19: "ARMv8.2-A", 20: "ARMv8.3-A",
    21: "ARMv8.1-M.mainline", 22: "ARMv9-A",
}
_V7 = const(10)
_V6M = const(11)
_V6SM = const(12)
_V7EM = const(13)
_V8M_BASE = const(16)
_V8M_MAIN = const(17)
_V81M_MAIN = const(21)

# CPU -> (architectures whose code it runs, highest Tag_FP_arch its FPU executes; 0: no FPU).
# ARMv7 counts only with the M profile (ARMv7-M); every other entry is M-profile by definition.
CPUS = {
    "cortex-m0": ((_V6M, _V6SM), 0),
    "cortex-m0plus": ((_V6M, _V6SM), 0),
    "cortex-m1": ((_V6M, _V6SM), 0),
    "cortex-m3": ((_V6M, _V6SM, _V7), 0),
    "cortex-m4": ((_V6M, _V6SM, _V7, _V7EM), 6),          # FPv4-SP: VFPv4-D16
    "cortex-m7": ((_V6M, _V6SM, _V7, _V7EM), 8),          # FPv5: ARMv8 FP-D16
    "cortex-m23": ((_V6M, _V6SM, _V8M_BASE), 0),
    "cortex-m33": ((_V6M, _V6SM, _V7, _V7EM, _V8M_BASE, _V8M_MAIN), 8),
    "cortex-m55": ((_V6M, _V6SM, _V7, _V7EM, _V8M_BASE, _V8M_MAIN, _V81M_MAIN), 8),
}
# The CPU a firmware was most likely built for, from its own Tag_CPU_arch.
CPU_FOR_ARCH = {_V6M: "cortex-m0", _V6SM: "cortex-m0", _V7: "cortex-m3", _V7EM: "cortex-m4",
                _V8M_BASE: "cortex-m23", _V8M_MAIN: "cortex-m33", _V81M_MAIN: "cortex-m55"}


def arch_name(arch):
    return ARCH_NAMES.get(arch, "architecture %d" % arch)


def _one_of(arches):
    names = [arch_name(a) + ("-M" if a == _V7 else "") for a in arches]
    if len(names) == 1:
        return names[0]
    return "%s or %s" % (", ".join(names[:-1]), names[-1])


def _uleb(data, pos, end, error):
    value = 0
    shift = 0
    while True:
        if pos >= end:
            raise error("ULEB128 number runs past the end of its subsection")
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return value, pos
        shift += 7
        if shift > 35:
            raise error("ULEB128 number at offset 0x%x is longer than 5 bytes" % pos)


def _ntbs(data, pos, end, error):
    nul = data.find(b"\0", pos, end)
    if nul < 0:
        raise error("string at offset 0x%x is not NUL-terminated inside its subsection" % pos)
    try:
        return str(bytes(data[pos:nul]), "utf-8"), nul + 1
    except ValueError:      # UnicodeError on CPython and MicroPython alike
        raise error("string at offset 0x%x is not valid UTF-8" % pos)


def _is_string_tag(tag):
    # AAELF32 "public aeabi attribute tags": 4 and 5 are strings; from 32 on, odd tags are
    # strings and even ones numbers, so unknown tags can be skipped.
    return tag == 4 or tag == 5 or (tag > TAG_COMPATIBILITY and tag & 1)


def _file_attributes(data, pos, end, error):
    attrs = {}
    while pos < end:
        tag, pos = _uleb(data, pos, end, error)
        if tag == TAG_COMPATIBILITY:
            flag, pos = _uleb(data, pos, end, error)
            name, pos = _ntbs(data, pos, end, error)
            attrs[tag] = (flag, name)
        elif _is_string_tag(tag):
            attrs[tag], pos = _ntbs(data, pos, end, error)
        else:
            attrs[tag], pos = _uleb(data, pos, end, error)
    return attrs


def read(elf):
    """{tag: value} of the file-scope 'aeabi' attributes; None when the file has none."""
    sec = None
    for candidate in elf.sections:
        if candidate.type == SHT_ARM_ATTRIBUTES:
            sec = candidate
            break
    if sec is None or sec.size == 0:
        return None
    data = elf.data
    start = sec.offset
    end = sec.offset + sec.size

    def error(what):
        return elf.error("section [%d] %s: %s" % (sec.index, sec.name, what))

    if data[start] != 0x41:
        raise error("format version 0x%02x (expected 0x41, 'A')" % data[start])
    pos = start + 1
    attrs = {}
    while pos < end:
        if pos + 4 > end:
            raise error("subsection length at offset 0x%x runs past the section" % pos)
        length = data[pos] | (data[pos + 1] << 8) | (data[pos + 2] << 16) | (data[pos + 3] << 24)
        sub_end = pos + length
        if length < 5 or sub_end > end:
            raise error("subsection at offset 0x%x has length %d (expected 5..%d)"
                        % (pos, length, end - pos))
        vendor, body = _ntbs(data, pos + 4, sub_end, error)
        pos = sub_end
        if vendor != "aeabi":
            continue        # toolchain-private attributes say nothing about the CPU
        while body < sub_end:
            tag, after = _uleb(data, body, sub_end, error)
            if after + 4 > sub_end:
                raise error("attribute block at offset 0x%x runs past its subsection" % body)
            size = (data[after] | (data[after + 1] << 8) | (data[after + 2] << 16)
                    | (data[after + 3] << 24))
            block_end = body + size
            if size < 5 or block_end > sub_end:
                raise error("attribute block at offset 0x%x has size %d (expected 5..%d)"
                            % (body, size, sub_end - body))
            if tag == TAG_FILE:
                attrs.update(_file_attributes(data, after + 4, block_end, error))
            body = block_end
    return attrs


def float_abi(flags, attrs):
    """'hard', 'soft', 'any' (passes no floating-point arguments) or None (not stated)."""
    if attrs is not None and attrs.get(TAG_ABI_VFP_ARGS) == VFP_ARGS_NONE:
        return "any"
    if flags & elf32.EF_ARM_ABI_FLOAT_HARD or (attrs is not None
                                               and attrs.get(TAG_ABI_VFP_ARGS) == VFP_ARGS_VFP):
        return "hard"
    if flags & elf32.EF_ARM_ABI_FLOAT_SOFT:
        return "soft"
    return None


class Target:
    """What a module is loaded onto: the CPU (a key of CPUS) and the firmware's float ABI
    ('soft', 'hard' or None when unknown: then float ABIs are not compared)."""

    def __init__(self, cpu, firmware_float_abi):
        if cpu not in CPUS:
            raise ElfError("unknown CPU '%s' (expected one of %s)"
                           % (cpu, ", ".join(sorted(CPUS))))
        self.cpu = cpu
        self.arches, self.fp_arch = CPUS[cpu]
        self.float_abi = firmware_float_abi

    def problems(self, elf):
        """[(code, message)] for everything in `elf` this target cannot run; [] if none.
        A file without build attributes has only its float ABI flags checked."""
        attrs = read(elf)
        found = []
        if attrs is not None:
            arch = attrs.get(TAG_CPU_ARCH)
            profile = attrs.get(TAG_CPU_ARCH_PROFILE, 0)
            if arch is not None and (arch not in self.arches
                                     or (arch == _V7 and profile != PROFILE_M)):
                name = arch_name(arch)
                if arch == _V7 and profile:
                    name = "%s-%s" % (name, chr(profile))
                found.append(("cpu-arch", "code built for %s (Tag_CPU_arch %d) cannot run on "
                              "%s (expected %s)" % (name, arch, self.cpu,
                                                         _one_of(self.arches))))
            fp = attrs.get(TAG_FP_ARCH, 0)
            if fp > self.fp_arch:
                found.append(("fpu", "floating-point instructions (Tag_FP_arch %d) need an FPU "
                              "%s lacks (%s)" % (fp, self.cpu, "it has none" if not self.fp_arch
                                                 else "it executes up to Tag_FP_arch %d"
                                                 % self.fp_arch)))
        module_abi = float_abi(elf.header.flags, attrs)
        if (self.float_abi is not None and module_abi is not None and module_abi != "any"
                and module_abi != self.float_abi):
            found.append(("float-abi", "%s-float module on a %s-float firmware (e_flags 0x%08x: "
                          "floating-point arguments would be passed in the wrong registers; "
                          "build with -mfloat-abi=%s)"
                          % (module_abi, self.float_abi, elf.header.flags,
                             "soft or softfp" if self.float_abi == "soft" else "hard")))
        return found

    def check(self, elf):
        """Raise ElfError naming the file for the first problem (the loader's check)."""
        found = self.problems(elf)
        if found:
            raise elf.error(found[0][1])
