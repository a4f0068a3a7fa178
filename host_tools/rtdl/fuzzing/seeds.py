"""The seed modules: real modules built by `rtdl build` from tests/modules, ET_DYN and ET_REL."""
import os

from rtdl import devtree
from rtdl.build import build_module
from rtdl.fuzzing.mutate import Seed

# (source, build options, file name inside the board)
SEEDS = (
    ("hello.c", {}, "hello.mo"),
    ("lib.c", {"lib": True}, "lib.so"),
    ("cxx_hello.cpp", {}, "cxx_hello.mo"),
    ("qsort_cb.c", {}, "qsort_cb.mo"),
)
RELOCATABLE_SEEDS = (
    ("hello.c", {"relocatable": True}, "hello.o"),
    ("lib.c", {"relocatable": True}, "lib.o"),
)


def build_seeds(directory):
    """Build the seed modules with `rtdl build` into `directory`: [Seed]."""
    seeds = []
    for source, options, name in SEEDS + RELOCATABLE_SEEDS:
        out = os.path.join(directory, name)
        build_module([os.path.join(devtree.TEST_MODULES, source)], out, **options)
        with open(out, "rb") as f:
            seeds.append(Seed(name, f.read()))
    return seeds
