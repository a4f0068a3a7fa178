"""`rtdl verify` against the device: for every file of the corpus (tests/verify_corpus), the
verifier's verdict equals what the board does with it (load, and for a program run), and the
dry-run plan equals the image the board writes into its memory."""
import json
import os
import subprocess
import sys

import pytest
from elftools.elf.elffile import ELFFile

from rtdl_device import arm_attributes  # noqa: E402
from rtdl_device import dlmodule  # noqa: E402
from rtdl_device import elf32  # noqa: E402
import recipes  # noqa: E402
from rtdl import Board, firmware_info, verify  # noqa: E402
from rtdl.verifying import checks  # noqa: E402
from rtdl_device.rterror import ElfError, RtdlError  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class Entry:
    """One corpus file: `run` True for a program (dlmodule_exec), False for a library
    (dlmodule_load); `errors` the finding codes the verifier must report (empty: loads)."""

    def __init__(self, path, run, errors=(), cpu="cortex-m4", firmware="m4"):
        self.path = path
        self.run = run
        self.errors = sorted(errors)
        self.cpu = cpu
        self.firmware = firmware


@pytest.fixture(scope="module")
def firmwares(firmware, firmware_for_cpu):
    """The default Cortex-M4 firmware and the same sources built for a Cortex-M0."""
    return {"m4": firmware, "m0": firmware_for_cpu("cortex-m0")}


@pytest.fixture(scope="module")
def corpus(build_module, tmp_path_factory):
    out = tmp_path_factory.mktemp("verify-corpus")

    def made(name):
        return str(out / name)

    def own(name, **options):
        from rtdl.build import build_module as build
        stem = os.path.splitext(name)[0]
        return str(build([recipes.source(name)], made(stem + ".mo"), **options))

    hello = build_module("hello.c")
    return {
        "hello": Entry(hello, True),
        "lib": Entry(build_module("lib.c", lib=True), False),
        "optional_import": Entry(own("optional_import.c"), True),
        "relocatable": Entry(build_module("hello.c", relocatable=True), True),
        "relocatable_bl": Entry(build_module("hello.c", relocatable=True, long_calls=False),
                                True),
        "softfp": Entry(build_module("printf_float.c", float_abi="softfp"), True),
        "missing_symbol": Entry(own("missing_symbol.c"), True, ["undefined-symbol"]),
        "unknown_relocation": Entry(recipes.patched(hello, made("unknown_relocation.mo"),
                                                    recipes.set_relocation_type(1)),
                                    True, ["relocation-type"]),
        "wrong_machine": Entry(recipes.patched(hello, made("wrong_machine.mo"),
                                               recipes.set_machine(recipes.EM_386)),
                               True, ["elf"]),
        # linked with -e 0 (a library's link) but named and run as a program
        "no_entry": Entry(recipes.copy(build_module("hello.c", lib=True), made("no_entry.mo")),
                          True, ["no-entry"]),
        "truncated": Entry(recipes.patched(hello, made("truncated.mo"),
                                           recipes.truncate_to(0.6)), True, ["elf"]),
        "oversize": Entry(own("oversize.c"), True, ["size"]),
        "no_room_for_stack": Entry(own("no_room_for_stack.c"), True, ["size"]),
        "hard_float": Entry(own("float_args.c", float_abi="hard"), True, ["float-abi"]),
        "tiny_stack": Entry(own("tiny_stack.c"), True, ["thread-config"]),
        "m4_code_on_m0": Entry(hello, True, ["cpu-arch"], "cortex-m0", "m0"),
        "m0_code_on_m0": Entry(build_module("div64.c", cpu="cortex-m0"), True, [], "cortex-m0",
                               "m0"),
        "fpu_code_on_m0": Entry(build_module("printf_float.c", float_abi="softfp"), True,
                                ["cpu-arch", "fpu"], "cortex-m0", "m0"),
    }


_FIRMWARE_CACHE = {}


def verifier_firmware(path):
    if path not in _FIRMWARE_CACHE:
        _FIRMWARE_CACHE[path] = verify.Firmware.from_elf(path)
    return _FIRMWARE_CACHE[path]


def verify_entry(entry, firmwares):
    firmware = verifier_firmware(firmwares[entry.firmware])
    return verify.verify_file(entry.path, firmware,
                              arm_attributes.Target(entry.cpu, firmware.float_abi))


def device_accepts(entry, firmwares):
    """True when the board loads the file (and a program runs to its end without a fault).
    A refused file leaves the heap exactly as it was."""
    board = Board(firmwares[entry.firmware], cpu=entry.cpu)
    before = board.heap.snapshot()
    try:
        if entry.run:
            result = board.exec(entry.path)
            return result.fault is None and result.exit_code == 0
        board.load(entry.path)
        return True
    except RtdlError:
        assert board.heap.snapshot() == before
        return False


CORPUS_NAMES = ["hello", "lib", "optional_import", "relocatable", "relocatable_bl", "softfp",
                "missing_symbol", "unknown_relocation", "wrong_machine", "no_entry", "truncated",
                "oversize", "no_room_for_stack", "hard_float", "tiny_stack", "m4_code_on_m0", "m0_code_on_m0",
                "fpu_code_on_m0"]


@pytest.mark.parametrize("name", CORPUS_NAMES)
def test_verdict_agrees_with_the_device(corpus, firmwares, name):
    entry = corpus[name]
    report = verify_entry(entry, firmwares)
    assert sorted(set(report.codes())) == entry.errors, report.findings
    assert report.ok == device_accepts(entry, firmwares), report.findings


def test_corpus_covers_every_entry(corpus):
    assert sorted(CORPUS_NAMES) == sorted(corpus)


# ------------------------------------------------------------------------ command line -----

def rtdl(*args):
    return subprocess.run([sys.executable, "-m", "rtdl.cli"] + [str(a) for a in args],
                          capture_output=True, text=True, timeout=60)


def test_missing_symbol_reads_like_a_compiler(corpus, firmware):
    path = corpus["missing_symbol"].path
    result = rtdl("verify", path, corpus["hello"].path)
    assert result.returncode == 1
    # the nearest export comes first; kservice's rt_sprintf family may follow it
    assert result.stdout.startswith("%s: error: undefined symbol 'rt_kprntf' (did you mean "
                                    "'rt_kprintf'" % path)
    assert result.stdout.endswith("?)\n") and result.stdout.count("\n") == 1
    assert result.stderr == ""


def test_weak_import_is_a_note_and_the_module_verifies(corpus, firmware):
    path = corpus["optional_import"].path
    result = rtdl("verify", path)
    assert result.returncode == 0
    assert result.stdout == ("%s: note: weak symbol 'rtdl_optional_feature' is not exported by "
                             "the firmware; it resolves to 0\n" % path)


def test_json_gives_one_object_per_file_with_located_findings(corpus, firmware):
    good, bad = corpus["hello"].path, corpus["unknown_relocation"].path
    result = rtdl("verify", "--json", good, bad)
    assert result.returncode == 1
    reports = json.loads(result.stdout)
    assert [r["file"] for r in reports] == [good, bad]
    assert reports[0]["ok"] is True and reports[0]["findings"] == []
    assert reports[1]["ok"] is False and reports[1]["kind"] == "program"
    [finding] = reports[1]["findings"]
    assert finding["severity"] == "error" and finding["code"] == "relocation-type"
    assert "unsupported relocation type %d" % recipes.UNKNOWN_RELOCATION_TYPE in finding["message"]
    assert finding["location"]["section"] == ".rel.dyn"
    assert finding["location"]["relocation"] == 0
    assert finding["location"]["symbol"] == "puts"


def test_exit_2_for_files_that_cannot_be_opened_and_usage_errors(corpus, firmware, tmp_path):
    missing = tmp_path / "absent.mo"
    result = rtdl("verify", corpus["hello"].path, missing)
    assert result.returncode == 2
    assert result.stderr == "rtdl verify: error: %s: cannot open (No such file or directory)\n" \
        % missing
    assert rtdl("verify", "--cpu", "cortex-a53", corpus["hello"].path).returncode == 2
    assert rtdl("verify", "--plan", "somewhere", corpus["hello"].path).returncode == 2
    assert rtdl("verify", "--firmware", missing, corpus["hello"].path).returncode == 2
    assert rtdl("verify").returncode == 2


def test_cpu_option_checks_against_another_cpu(corpus, firmware):
    result = rtdl("verify", "--cpu", "cortex-m0", corpus["hello"].path)
    assert result.returncode == 1
    assert "error: code built for ARMv7E-M (Tag_CPU_arch 13) cannot run on cortex-m0" \
        in result.stdout


def test_every_problem_of_a_file_is_reported(build_module, firmware, tmp_path):
    path = recipes.patched(build_module("printf_float.c"), str(tmp_path / "broken.mo"),
                           recipes.set_relocation_type(3))
    report = verify.verify_file(path, verifier_firmware(firmware),
                                arm_attributes.Target("cortex-m4", "soft"))
    assert report.codes() == ["relocation-type"] * 3
    assert [f.location["relocation"] for f in report.findings] == [0, 1, 2]


def test_all_missing_imports_are_listed_with_close_matches(tmp_path, firmware):
    from rtdl.build import build_module
    src = tmp_path / "typos.c"
    src.write_text("extern int prntf(const char *, ...);\nextern void *mallok(unsigned);\n"
                   "extern int zzz_not_there(void);\n"
                   "int main(void) { prntf(\"%p\", mallok(4)); return zzz_not_there(); }\n")
    path = str(build_module([str(src)], str(tmp_path / "typos.mo")))
    report = verify.verify_file(path, verifier_firmware(firmware),
                                arm_attributes.Target("cortex-m4", "soft"))
    messages = dict((f.location["symbol"], f.message) for f in report.findings)
    assert sorted(messages) == ["mallok", "prntf", "zzz_not_there"]
    assert messages["prntf"].startswith("undefined symbol 'prntf' (did you mean 'printf'")
    assert "'malloc'" in messages["mallok"]
    assert messages["zzz_not_there"] == ("undefined symbol 'zzz_not_there' (the firmware does "
                                         "not export it)")
    assert report.codes() == ["undefined-symbol"] * 3


# ------------------------------------------------------------------------ the plan ---------

@pytest.mark.parametrize("name", ["hello", "relocatable_bl", "lib"])
def test_plan_is_the_image_the_board_writes(corpus, firmware, name):
    entry = corpus[name]
    board = Board(firmware)
    module = board.load(entry.path)
    report = verify.verify_file(entry.path, verifier_firmware(firmware),
                                arm_attributes.Target("cortex-m4", "soft"),
                                plan_base=module.mem_space)
    plan = report.plan
    assert report.ok and plan["base"] == module.mem_space and plan["size"] == module.mem_size
    assert plan["relocations"], "a module with no relocations proves nothing here"
    for rel in plan["relocations"]:
        assert board.memory.read32(rel["place"]) == rel["new"], rel
    if plan["got"] is not None:
        for slot in plan["got"]["slots"]:
            assert board.memory.read32(slot["address"]) == slot["value"], slot
    assert plan["entry"] == module.entry
    # and the whole image, byte for byte
    assert board.memory.read(module.mem_space, module.mem_size) == \
        bytes(verify_image(entry.path, firmware, module.mem_space))


def verify_image(path, firmware, base):
    from rtdl_device import loader
    with open(path, "rb") as stream:
        elf = loader.parse(stream.read(), path)
    return loader.prepare(elf, loader.place(elf), base,
                          verifier_firmware(firmware).resolve).data


def test_plan_text_lists_segments_relocations_and_got(corpus, firmware):
    result = rtdl("verify", "--plan", "0x20010000", corpus["hello"].path)
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith("%s: load plan at 0x20010000: ET_DYN" % corpus["hello"].path)
    assert any(line.startswith("  segment 0  R-X  vaddr 0x00000000..") and "-> 0x20010000.."
               in line for line in lines)
    assert any("R_ARM_GLOB_DAT" in line and " puts " in line for line in lines)
    got = lines.index([line for line in lines if line.startswith("  GOT at ")][0])
    assert any(line.endswith("puts") for line in lines[got + 1:])


# ------------------------------------------------------------------- firmware facts --------

def test_symtab_json_gives_the_same_verdicts_as_the_firmware_elf(corpus, firmware, tmp_path):
    described = tmp_path / "firmware.json"
    result = rtdl("symtab", "--format", "json")
    assert result.returncode == 0
    described.write_text(result.stdout)
    from_json = verify.Firmware.from_description(str(described))
    from_elf = verifier_firmware(firmware)
    target = arm_attributes.Target("cortex-m4", "soft")
    for name in ("hello", "missing_symbol", "oversize", "optional_import", "relocatable"):
        a = verify.verify_file(corpus[name].path, from_json, target)
        b = verify.verify_file(corpus[name].path, from_elf, target)
        assert [f.as_dict() for f in a.findings] == [f.as_dict() for f in b.findings], name
        assert a.base == b.base
    cli = rtdl("verify", "--symtab", described, corpus["missing_symbol"].path)
    assert cli.returncode == 1 and "did you mean 'rt_kprintf'" in cli.stdout


def test_heap_replica_is_the_booted_boards_heap(firmware):
    description = firmware_info.describe(firmware)["heap"]
    assert verify.boot_heap(description).check() == Board(firmware).heap.check()


def test_heap_replay_refuses_a_description_it_cannot_reproduce(firmware):
    description = firmware_info.describe(firmware)["heap"]
    description["blocks"][0][0] += 8
    with pytest.raises(RtdlError, match="replayed"):
        verify.boot_heap(description)


def test_blocks_taken_for_an_exec_are_what_the_kernel_takes(corpus, firmware):
    """kernel.exec_blocks, which the size check allocates, against a real dlmodule_exec."""
    board = Board(firmware)
    used_at_boot = board.heap.info()[1]
    path = corpus["hello"].path
    module = dlmodule.exec(path)         # loaded, its main thread created, not yet run
    used = board.heap.info()[1] - used_at_boot
    replica = verify.boot_heap(firmware_info.describe(firmware)["heap"])
    from rtdl_device import kernel
    blocks = kernel.exec_blocks(module.image, True, board.memory.page_size, [path])
    addresses, failed = checks._take(replica, blocks)
    assert failed is None
    assert replica.info()[1] - used_at_boot == used
    assert addresses[1] == module.mem_space


# ------------------------------------------------------------------- build attributes ------

@pytest.mark.parametrize("options", [{}, {"cpu": "cortex-m0"}, {"float_abi": "hard"},
                                     {"cpu": "cortex-m33", "float_abi": "softfp"}])
def test_attributes_parser_agrees_with_pyelftools(build_module, options):
    path = build_module("printf_float.c", **options)
    with open(path, "rb") as stream:
        ours = arm_attributes.read(elf32.ElfFile(stream.read(), path))
    with open(path, "rb") as stream:
        section = ELFFile(stream).get_section_by_name(".ARM.attributes")
        theirs = {}
        for sub in section.iter_subsections():
            for block in sub.iter_subsubsections():
                for attribute in block.iter_attributes():
                    theirs[attribute.tag] = attribute.value
    import elftools.elf.enums as enums
    tags = dict((value, key) for key, value in enums.ENUM_ATTR_TAG_ARM.items())
    assert dict((tags[tag], value) for tag, value in ours.items()) == theirs


def test_damaged_attributes_name_the_file_and_the_section(build_module):
    path = build_module("hello.c")
    with open(path, "rb") as stream:
        data = bytearray(stream.read())
    elf = elf32.ElfFile(bytes(data), path)
    section = [s for s in elf.sections if s.type == arm_attributes.SHT_ARM_ATTRIBUTES][0]
    data[section.offset + 1:section.offset + 5] = b"\xff\x00\x00\x00"   # subsection length
    with pytest.raises(ElfError, match=r"hello.*\.ARM\.attributes: subsection at offset"):
        arm_attributes.read(elf32.ElfFile(bytes(data), path))


def test_attribute_checks_agree_on_micropython(build_module, tmp_path):
    """arm_attributes is device code: frozen .mpy on real MicroPython gives the same verdicts."""
    import shutil
    from rtdl import frozen
    node = shutil.which("node")
    package = os.path.join(ROOT, "node_modules", "@micropython")
    if node is None or not os.path.isdir(package):
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail("node or node_modules missing (`make mpy-test` installs them)")
        pytest.skip("node or node_modules missing")
    data = tmp_path / "data"
    data.mkdir()
    for name, options in (("m4.mo", {}), ("m0.mo", {"cpu": "cortex-m0"}),
                          ("hard.mo", {"float_abi": "hard"}),
                          ("m33.o", {"cpu": "cortex-m33", "relocatable": True})):
        shutil.copyfile(build_module("printf_float.c", **options), str(data / name))
    script = os.path.join(ROOT, "tests", "verify_corpus", "attributes_everywhere.py")
    cpython = subprocess.run([sys.executable, script, str(data)], capture_output=True,
                             text=True, check=True).stdout
    out = str(tmp_path / "frozen")
    frozen.compile_frozen(out)
    micropython = subprocess.run([node, os.path.join(ROOT, "tests", "mpy", "run_portable.mjs"),
                                  "--frozen", out, "--script", script, str(data)],
                                 capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert micropython.returncode == 0, micropython.stderr
    assert "cannot run on cortex-m0" in cpython and "hard-float module" in cpython
    printed = [line for line in micropython.stdout.splitlines(True)
               if not line.startswith("run_portable: ")]
    assert "".join(printed) == cpython


@pytest.mark.parametrize("name,suffix", [("hello", ".so"), ("relocatable_bl", ".o")])
def test_verdict_agrees_on_randomly_damaged_files(corpus, firmware, tmp_path, name, suffix):
    """Seeded byte changes anywhere in a good module: whatever verify says about each damaged
    copy (loaded as a library: nothing of it runs), the board does the same."""
    import random
    with open(corpus[name].path, "rb") as stream:
        original = stream.read()
    rng = random.Random(4)
    target = arm_attributes.Target("cortex-m4", "soft")
    board = Board(firmware)
    board.kernel.call_timeout_us = 200000
    at_boot = board.heap.snapshot()
    verdicts = set()
    for case in range(40):
        data = bytearray(original)
        for _ in range(rng.choice((1, 2, 4))):
            data[rng.randrange(len(data))] = rng.randrange(256)
        path = str(tmp_path / ("damaged%d%s" % (case, suffix)))
        with open(path, "wb") as stream:
            stream.write(bytes(data))
        report = verify.verify_file(path, verifier_firmware(firmware), target)
        assert "loader" not in report.codes(), report.findings
        try:
            board.dlclose(board.load(path))
            loaded = True
        except RtdlError:
            loaded = False
        assert board.heap.snapshot() == at_boot
        assert report.ok == loaded, (case, report.findings)
        verdicts.add(loaded)
    assert verdicts == {True, False}
