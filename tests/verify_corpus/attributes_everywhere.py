"""Prints what arm_attributes makes of every module in the data directory (/data on
MicroPython, argv[1] on CPython): the attributes, the float ABI and each CPU's verdict.
tests/test_verify.py runs it on both interpreters and compares the output."""
import os
import sys

from rtdl_device import arm_attributes
from rtdl_device import elf32

DATA = "/data" if sys.implementation.name == "micropython" else sys.argv[1]

for name in sorted(os.listdir(DATA)):
    with open(DATA + "/" + name, "rb") as stream:
        elf = elf32.ElfFile(stream.read(), name)
    attrs = arm_attributes.read(elf)
    print(name, sorted(attrs.items()), arm_attributes.float_abi(elf.header.flags, attrs))
    for cpu in sorted(arm_attributes.CPUS):
        print("  ", cpu, arm_attributes.Target(cpu, "soft").problems(elf))
