"""`python -m rtdl.fuzz`: load mutated real modules on one emulated board and prove that the
loader only ever accepts them or refuses them with a documented error.

Seeds are real modules built by `rtdl build` (hello.mo, lib.so, cxx_hello.mo, qsort_cb.mo,
hello.o and lib.o). Each case mutates one seed with a
seeded `random.Random` (bit flips, interesting byte/half/word values, truncation, and edits of
named fields of the ELF header, program headers, section headers, symbols, relocations and
dynamic tags, from the ELF field table rtdl_device.elf_fields that the tests use too) and loads it with `dlmodule.load` on a board that is booted once and reused.
A case passes when the load succeeds (then `dlclose` must succeed or fail with an RtdlError)
or fails with an rterror.RtdlError, and afterwards:

  - the heap walks clean and is exactly as before the case (`heap.snapshot()`);
  - no module, thread or pending service is left in the kernel;
  - the loader and kernel wrote only into heap blocks allocated during the case (checked by
    wrapping the kernel's `memory`), and code run during the case (constructors, destructors,
    the firmware's libc they call) wrote only into the kernel stack, the firmware's
    .data/.bss and heap blocks that were in use (a UC_HOOK_MEM_WRITE hook over RAM, installed
    by this fuzzer only: regular boards never pay for a per-access hook).

Anything else is a finding: the input is saved as FILE (.mo/.so/.o) with FILE.txt describing the
mutation and the failure, and the board is booted again. `--replay FILE` runs one saved input
on a fresh board. tests/test_fuzz.py runs the same engine for a fixed number of cases.

This module is the entry point and the names tests use; the parts live in rtdl.fuzzing:
mutate (Seed, Table, Mutator over rtdl_device.elf_fields), harness (Harness, CheckedMemory,
MemoryFiles, Outcome, CaseHung), engine (fuzz, run_bounded, Stats, Finding, replay), seeds
(SEEDS, build_seeds) and cli (main).
"""
import sys

from rtdl.fuzzing.cli import main
from rtdl.fuzzing.engine import fuzz, make_case, replay, run_bounded
from rtdl.fuzzing.harness import Harness
from rtdl.fuzzing.mutate import Seed
from rtdl.fuzzing.seeds import RELOCATABLE_SEEDS, SEEDS, build_seeds

__all__ = ("Harness", "RELOCATABLE_SEEDS", "SEEDS", "Seed", "build_seeds", "fuzz", "main",
           "make_case", "replay", "run_bounded")

if __name__ == "__main__":
    sys.exit(main())
