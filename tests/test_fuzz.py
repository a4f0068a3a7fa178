"""Mutated real modules never break the loader: a bounded run of the `rtdl.fuzz` engine.

Every case loads a mutated hello.mo / lib.so / cxx_hello.mo / qsort_cb.mo (and ET_REL builds
when the loader takes them) on one reused board and must end in a load (closed again) or an
rterror.RtdlError, with the heap walked clean and exactly as before, nothing left in the
kernel and no write outside the memory the case was given. A failure prints each finding
with its mutations; `python -m rtdl.fuzz --replay` reruns a saved input.
"""
import time

import pytest

from rtdl import fuzz
from rtdl_device.rterror import ModuleFault

CASES = 2000
RELOCATABLE_CASES = 600
RANDOM_SEED = 20240601


@pytest.fixture(scope="module")
def harness(firmware):
    return fuzz.Harness(firmware)


def _seeds(build_module, table):
    seeds = []
    for source, options, name in table:
        with open(build_module(source, **options), "rb") as f:
            seeds.append(fuzz.Seed(name, f.read()))
    return seeds


def _report(stats):
    return "\n\n".join(f.describe() for f in stats.findings[:5])


def test_mutated_shared_modules_load_or_fail_cleanly(harness, build_module):
    seeds = _seeds(build_module, fuzz.SEEDS)
    started = time.time()
    stats = fuzz.fuzz(harness, seeds, RANDOM_SEED, cases=CASES)
    elapsed = time.time() - started
    assert not stats.findings, "%s\n\n%s" % (stats.summary(), _report(stats))
    assert stats.cases == CASES
    # the mutations reach past the header checks: some still load, the rest fail in every
    # layer (ELF reader, relocation, symbol binding, placement, constructors)
    assert stats.loaded > CASES // 10, stats.summary()
    assert stats.rejected > CASES // 2, stats.summary()
    for kind in ("ElfError", "RelocationError", "UnresolvedSymbolError", "HeapError"):
        assert stats.errors.get(kind), "no case failed with %s: %s" % (kind, stats.summary())
    assert set(stats.per_seed) == set(s.name for s in seeds)
    assert elapsed < 45, "%d cases took %.1f s" % (CASES, elapsed)


def test_mutated_relocatable_objects_load_or_fail_cleanly(harness, build_module):
    seeds = _seeds(build_module, fuzz.RELOCATABLE_SEEDS)
    stats = fuzz.fuzz(harness, seeds, RANDOM_SEED, cases=RELOCATABLE_CASES)
    assert not stats.findings, "%s\n\n%s" % (stats.summary(), _report(stats))
    assert stats.loaded > RELOCATABLE_CASES // 10, stats.summary()
    assert stats.errors.get("ElfError") and stats.errors.get("RelocationError"), stats.summary()


def test_cases_are_reproducible_from_the_seed(build_module):
    seeds = _seeds(build_module, fuzz.SEEDS)
    for case in (0, 1, 77, 1999):
        assert fuzz.make_case(seeds, 5, case)[1:] == fuzz.make_case(seeds, 5, case)[1:]
    assert fuzz.make_case(seeds, 5, 3)[1] != fuzz.make_case(seeds, 6, 3)[1]


def test_a_constructor_writing_outside_its_module_is_stopped(harness, tmp_path):
    # The image starts on a page of an aligned heap block, whose real start RT-Thread's
    # rt_malloc_align keeps in the word below the ELF header (__ehdr_start); that block's
    # heap header sits just below its start: the guard must stop the write, undo it and
    # turn it into a fault, so the heap is still whole afterwards.
    src = tmp_path / "scribble.c"
    src.write_text("extern char __ehdr_start;\n"
                   "__attribute__((constructor)) static void scribble(void)\n"
                   "{ volatile int *block = ((int **)&__ehdr_start)[-1];\n"
                   "  block[-2] = 0x5a5a5a5a; }\n"
                   "int main(void) { return 0; }\n")
    from rtdl.build import build_module as build
    path = build([str(src)], str(tmp_path / "scribble.mo"))
    with open(path, "rb") as f:
        outcome = harness.run("scribble.mo", f.read())
    assert outcome.status == "rejected", outcome
    assert isinstance(outcome.error, ModuleFault), outcome
    assert "outside the module's memory" in str(outcome.error)
    assert outcome.guarded and "scribble" in outcome.guarded[0]
    harness.board.heap.check()


def test_a_module_left_behind_is_a_finding(harness, build_module, monkeypatch):
    # The checks themselves can fail: a dlclose that does nothing leaves the module loaded.
    with open(build_module("lib.c", lib=True), "rb") as f:
        data = f.read()

    def keep(module):
        return None                  # "released", with nothing done
    monkeypatch.setattr(harness.board.kernel, "release_now", keep)
    boots = harness.boots
    outcome = harness.run("lib.so", data)
    monkeypatch.undo()
    assert outcome.status == "finding"
    assert "modules left in the kernel" in outcome.finding
    assert "heap not as before" in outcome.finding
    assert harness.boots == boots + 1          # a damaged board is replaced


def test_a_destructor_registering_another_one_cannot_hang_dlclose(board, tmp_path):
    # Found by the fuzzer: a handler that registers a handler kept destroy_steps busy forever.
    src = tmp_path / "again.c"
    src.write_text("#include <stdio.h>\n"
                   "extern int __cxa_atexit(void (*)(void *), void *, void *);\n"
                   "extern void *__dso_handle;\n"
                   "static void again(void *arg)\n"
                   "{ puts(\"again\"); __cxa_atexit(again, arg, &__dso_handle); }\n"
                   "__attribute__((constructor)) static void init(void)\n"
                   "{ __cxa_atexit(again, 0, &__dso_handle); }\n"
                   "int main(void) { return 0; }\n")
    from rtdl.build import build_module as build
    path = build([str(src)], str(tmp_path / "again.mo"))
    board.exec(path)                  # libc's buffers exist before the snapshot
    before = board.heap.snapshot()
    board.console.take()
    module = board.load(path)
    board.dlclose(module)
    assert board.console.take() == "again\n"
    assert board.heap.snapshot() == before and board.kernel.modules == []


def test_a_case_past_its_deadline_is_a_hang_finding(firmware, tmp_path):
    # Without a CPU timeout, a constructor spinning through kernel services is still ended
    # by the case's wall-clock deadline, reported, and the board replaced.
    src = tmp_path / "spin_svc.c"
    src.write_text("extern unsigned rt_tick_get(void);\n"
                   "__attribute__((constructor)) static void spin(void)\n"
                   "{ for (;;) rt_tick_get(); }\n"
                   "int main(void) { return 0; }\n")
    from rtdl.build import build_module as build
    with open(build([str(src)], str(tmp_path / "spin_svc.mo")), "rb") as f:
        data = f.read()
    harness = fuzz.Harness(firmware, call_timeout_us=0)
    started = time.time()
    outcome = fuzz.run_bounded(harness, "spin_svc.mo", data, 1)
    assert time.time() - started < 10
    assert outcome.status == "finding" and "hang" in outcome.finding, outcome
    assert harness.boots == 2
    assert harness.run("spin_svc.mo", b"\x7fELF").status == "rejected"


def test_a_spinning_constructor_times_out_and_leaves_nothing(board, tmp_path):
    # Kernel.drive gives every constructor call Kernel.call_timeout_us on the CPU.
    src = tmp_path / "spin_ctor.c"
    src.write_text("__attribute__((constructor)) static void spin(void) { for (;;) ; }\n"
                   "int main(void) { return 0; }\n")
    from rtdl.build import build_module as build
    path = build([str(src)], str(tmp_path / "spin_ctor.mo"))
    board.kernel.call_timeout_us = 50000
    before = board.heap.snapshot()
    started = time.time()
    with pytest.raises(ModuleFault) as info:
        board.load(path)
    assert time.time() - started < 5
    assert "timed out" in str(info.value)
    assert board.heap.snapshot() == before and board.kernel.modules == []


def test_a_loader_write_outside_the_block_is_a_finding(harness, build_module, monkeypatch):
    # The loader writes through the kernel's memory: one word of the module's block's heap
    # header must be reported as a stray loader write, not pass unnoticed.
    from rtdl_device import loader
    with open(build_module("hello.c"), "rb") as f:
        data = f.read()
    load_image = loader.load_image

    def overreaching(data, name, heap, memory, *args, **kwargs):
        image = load_image(data, name, heap, memory, *args, **kwargs)
        block = heap.aligned_blocks.get(image.base, image.base)   # the image starts on a page
        memory.write(block - 4, memory.read(block - 4, 4))
        return image
    monkeypatch.setattr(loader, "load_image", overreaching)
    outcome = harness.run("hello.mo", data)
    monkeypatch.undo()
    assert outcome.status == "finding"
    assert "the loader/kernel wrote outside the blocks allocated" in outcome.finding
    assert harness.run("hello.mo", data).status == "loaded"
