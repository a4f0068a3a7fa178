"""pytest plugin (entry point `pytest11`, active wherever rtdl is installed): fixtures for
unit-testing a project's own modules, in the manner of pytest-embedded's `app` and `dut`.

    def test_add(rtdl_build, rtdl_board):
        lib = rtdl_board.load(rtdl_build("add.c", lib=True))    # add.c next to this test file
        assert rtdl_board.call(lib, "add", 2, 3) == 5

Fixtures:
    rtdl_build(*sources, lib=False, **flags) -> path of the module built into tmp_path
    rtdl_board   a freshly booted rtdl.Board per test; a failing test's report gets the
                 board's console output, module list and heap summary as extra sections
    rtdl_cpu, rtdl_firmware   the core and firmware path both use (options below, or
                 `@pytest.mark.parametrize("rtdl_cpu", [...], indirect=True)`)
Options: --rtdl-firmware PATH, --rtdl-cpu CPU.

rtdl itself (unicorn and all) is imported only when a fixture is used, so installing rtdl costs
other test suites nothing. May import: rtdl, rtdl_board, rtdl_firmware, pytest, the standard
library.
"""
import inspect
import os

import pytest

DEFAULT_CPU = "cortex-m4"

_boards = pytest.StashKey()     # item -> (board, bytearray of everything it printed)


def pytest_addoption(parser):
    group = parser.getgroup("rtdl", "rtdl: RT-Thread dynamic modules on an emulated Cortex-M")
    group.addoption("--rtdl-firmware", metavar="PATH", default=None,
                    help="firmware ELF of rtdl_board (default: the firmware for --rtdl-cpu, "
                         "built once into the per-user cache; $RTDL_FIRMWARE for cortex-m4)")
    group.addoption("--rtdl-cpu", metavar="CPU", default=None,
                    help="core of rtdl_board and of what rtdl_build compiles (default %s)"
                         % DEFAULT_CPU)


def pytest_configure(config):
    # Bad options are usage errors before any test runs, not one error per test.
    cpu = config.getoption("rtdl_cpu")
    if cpu is not None:
        _check_cpu(cpu, "--rtdl-cpu")
    firmware = config.getoption("rtdl_firmware")
    if firmware is not None:
        path = os.path.join(str(config.invocation_params.dir), os.path.expanduser(firmware))
        problem = _firmware_problem(path)
        if problem:
            raise pytest.UsageError("--rtdl-firmware: %s: %s (expected a firmware ELF such as "
                                    "firmware_stub builds)" % (firmware, problem))
        config.option.rtdl_firmware = os.path.abspath(path)


def _check_cpu(cpu, where):
    from rtdl_board.board import CPU_MODELS
    if cpu not in CPU_MODELS:
        raise pytest.UsageError("%s: unknown CPU '%s' (expected one of %s)"
                                % (where, cpu, ", ".join(sorted(CPU_MODELS))))


def _firmware_problem(path):
    try:
        with open(path, "rb") as f:
            magic = f.read(4)
    except FileNotFoundError:
        return "no such file"
    except OSError as error:
        return "cannot read it (%s)" % error.strerror
    if magic != b"\x7fELF":
        return "not an ELF file"
    return None


@pytest.fixture
def rtdl_cpu(request):
    """The core name: the test's indirect parameter, else --rtdl-cpu, else cortex-m4."""
    cpu = getattr(request, "param", None) or request.config.getoption("rtdl_cpu") or DEFAULT_CPU
    if hasattr(request, "param"):
        _check_cpu(cpu, "rtdl_cpu parameter")
    return cpu


@pytest.fixture
def rtdl_firmware(request, rtdl_cpu):
    """Path of the firmware ELF the board boots: --rtdl-firmware; else, for cortex-m4,
    $RTDL_FIRMWARE; else firmware_stub built for rtdl_cpu (soft-float) into the per-user
    cache on first use."""
    chosen = request.config.getoption("rtdl_firmware")
    if chosen:
        return chosen
    import rtdl_firmware
    try:
        # $RTDL_FIRMWARE stands for the default core's firmware only: another core's board
        # cannot boot it (Cortex-M4 code is invalid on an M3).
        if rtdl_cpu == DEFAULT_CPU:
            return rtdl_firmware.default_firmware()
        return rtdl_firmware.cached_firmware("-mcpu=%s -mthumb -mfloat-abi=soft" % rtdl_cpu)
    except rtdl_firmware.FirmwareBuildError as error:
        failure = "rtdl_firmware: %s" % error
    pytest.fail(failure, pytrace=False)


def _build_keywords():
    from rtdl.build import build_module
    names = inspect.signature(build_module).parameters
    return sorted(n for n in names if n not in ("sources", "output", "lib"))


@pytest.fixture
def rtdl_build(request, tmp_path, rtdl_cpu):
    """rtdl_build(*sources, lib=False, **flags) -> pathlib.Path of the built module.

    Relative sources are found next to the requesting test file. `flags` are build_module's
    (the options of `rtdl build`): cpu (default rtdl_cpu), opt, long_calls, visibility,
    relocatable, include_dirs, defines, extra_cflags, float_abi, keep_hash. The module goes
    into the test's tmp_path as <first source's stem>.mo, .so (lib) or .o (relocatable)."""
    from rtdl.build import BuildError, build_module
    here = os.path.dirname(str(request.node.path))
    allowed = _build_keywords()
    taken = set()

    def build(*sources, lib=False, **flags):
        unknown = sorted(set(flags) - set(allowed))
        if unknown:
            raise TypeError("rtdl_build: unknown flag '%s' (expected one of %s)"
                            % (unknown[0], ", ".join(allowed)))
        if not sources:
            raise TypeError("rtdl_build: no source files given (expected one or more paths)")
        paths = [os.path.join(here, os.fspath(s)) for s in sources]
        flags.setdefault("cpu", rtdl_cpu)
        stem = os.path.splitext(os.path.basename(paths[0]))[0]
        suffix = ".so" if lib else (".o" if flags.get("relocatable") else ".mo")
        # Two builds of one source in a test (other flags, say) must not overwrite each other.
        name, n = stem + suffix, 1
        while name in taken:
            n += 1
            name = "%s-%d%s" % (stem, n, suffix)
        taken.add(name)
        try:
            return build_module(paths, tmp_path / name, lib=lib, **flags)
        except BuildError as error:
            failure = "rtdl_build: %s\n%s" % (error, error.details)
        # Failed outside the handler: the report shows the compiler's words, not a chain.
        pytest.fail(failure.rstrip(), pytrace=False)
    return build


@pytest.fixture
def rtdl_board(request, rtdl_firmware, rtdl_cpu):
    """A freshly booted emulated board (rtdl.Board) running rtdl_firmware on rtdl_cpu."""
    from rtdl import Board
    from rtdl_board.console import Console
    printed = bytearray()
    board = Board(rtdl_firmware, cpu=rtdl_cpu, console=Console(printed.extend))
    request.node.stash[_boards] = (board, printed)
    yield board
    # Items live for the whole session: holding every board would keep every emulator alive.
    del request.node.stash[_boards]


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    entry = item.stash.get(_boards, None)
    if report.failed and entry is not None:
        for title, text in board_sections(*entry):
            report.sections.append((title, text))


def board_sections(board, printed):
    """[(title, text)] describing a board's state, for a failed test's report."""
    from rtdl_device import kernel
    console = printed.decode("utf-8", "replace") or "(the board printed nothing)\n"
    rows = ["%-12s %-8s %4s  %-10s %s" % ("module", "state", "ref", "base", "size")]
    for module in board.kernel.modules:
        rows.append("%-12s %-8s %4d  0x%08x %d" % (module.name, kernel.STATE_NAMES[module.state],
                                                  module.nref, module.mem_space,
                                                  module.mem_size))
    if len(rows) == 1:
        rows.append("(no modules loaded)")
    total, used, max_used = board.heap_info()
    heap = "total memory: %d\nused memory : %d\nmaximum allocated memory: %d\n" % (
        total, used, max_used)
    return [("rtdl console", console), ("rtdl modules", "\n".join(rows) + "\n"),
            ("rtdl heap", heap)]
