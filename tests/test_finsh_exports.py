"""finsh exports of modules (issue 9): MSH_CMD_EXPORT / MSH_CMD_EXPORT_ALIAS /
FINSH_FUNCTION_EXPORT records in a module's FSymTab become msh commands while the module is
loaded (help lists them, msh runs them by name with argc/argv on a thread of the module), and
go at unload; INIT_*_EXPORT functions run at load in level order, a failing one reported.
tests/modules/finsh_cmds.c is the module; RT-Thread's kernel samples are loaded unchanged and
run by their MSH_CMD_EXPORT name."""
import os

import pytest

from rtdl import Board
from rtdl.build import build_module as build_sources
from rtdl_board.console import Console
from rtdl_device import msh

SAMPLES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "rt_samples",
                       "kernel-sample", "en")
COMMANDS = {"greet": "say hello with the arguments",
            "count": "start a thread that counts to three",
            "crash": "write through a null pointer",
            "finsh_answer": "a finsh function"}


class Shell:
    """A board with msh whose output and the modules' land in one list, in order."""

    def __init__(self, firmware):
        self.printed = []
        self.board = Board(firmware, console=Console(lambda d: self.printed.append(d.decode())))
        self.msh = msh.Msh(self.board.kernel, self.printed.append)

    def run(self, line):
        value = self.msh.execute(line)
        text = "".join(self.printed)
        del self.printed[:]
        return value, text


def help_commands(text):
    lines = text.splitlines()
    assert lines[0] == "RT-Thread shell commands:"
    return dict(line.split(" - ", 1) for line in lines[1:] if " - " in line)


@pytest.fixture(params=["dyn", "rel"])
def module_path(request, build_module):
    if request.param == "rel":
        return build_module("finsh_cmds.c", relocatable=True)
    return build_module("finsh_cmds.c", lib=True)


def test_init_functions_run_at_load_in_level_order_and_a_failure_is_reported(firmware,
                                                                             module_path):
    shell = Shell(firmware)
    before = shell.board.heap_info()[1]
    module = shell.board.load(module_path)
    loaded = "".join(shell.printed)
    # declared 6, 3, 5, 1 in the source: run 1, 3, 5, 6 (RT-Thread's sorted .rti_fn.N)
    order = shell.board.read(shell.board.symbol(module, "init_order"), 4)
    assert order == b"1356"
    assert [i.macro for i in module.image.init_functions] == [
        "INIT_BOARD_EXPORT", "INIT_DEVICE_EXPORT", "INIT_ENV_EXPORT", "INIT_APP_EXPORT"]
    assert ("finsh_cm: INIT_ENV_EXPORT(env_init_fails+0x") in loaded
    assert "failed: returned -5\n" in loaded                 # -RT_ENOMEM
    assert loaded.endswith("app init\n")                     # the load went on after it
    shell.board.dlclose(module)
    assert shell.board.heap_info()[1] == before


def test_help_lists_the_module_commands_while_it_is_loaded(firmware, module_path):
    shell = Shell(firmware)
    builtins = help_commands(shell.run("help")[1])
    assert not set(COMMANDS) & set(builtins)
    module = shell.board.load(module_path)
    shell.printed[:] = []
    listed = help_commands(shell.run("help")[1])
    for name, desc in COMMANDS.items():
        assert listed[name.ljust(16)] == desc
    shell.board.dlclose(module)
    assert help_commands(shell.run("help")[1]) == builtins
    assert shell.run("greet") == (-1, "greet: command not found.\n")


def test_commands_run_by_name_with_argc_argv_and_threads_they_start(firmware, module_path):
    shell = Shell(firmware)
    shell.board.load(module_path)
    shell.printed[:] = []
    assert shell.run('greet one "two words"') == (
        3, "greet argc=3 init=1356 [greet] [one] [two words]\n")
    value, text = shell.run("count")            # the alias; its thread runs to its end
    assert value == 0
    assert text == "".join("count %d of count_thread\n" % i for i in range(3))
    assert shell.run("finsh_answer") == (42, "the answer is 42\n")


def test_a_faulting_command_ends_its_module_and_the_shell_goes_on(firmware, module_path):
    shell = Shell(firmware)
    before = shell.board.heap_info()[1]
    module = shell.board.load(module_path)
    shell.printed[:] = []
    value, text = shell.run("crash")
    assert value == 139
    first = text.splitlines()[0]
    assert "tshell" in first and "finsh_cm" in first and "crash+0x" in first, text
    assert module.fault is not None and module.fault.kind == "fault"
    assert shell.board.kernel.modules == []
    assert shell.board.heap_info()[1] == before
    assert shell.run("crash") == (-1, "crash: command not found.\n")
    assert shell.run("pwd")[0] == 0


def test_a_kernel_sample_is_loaded_unchanged_and_run_by_its_msh_name(firmware, tmp_path):
    sample = build_sources([os.path.join(SAMPLES, "dynmem_sample.c")],
                           tmp_path / "dynmem_sample.so", lib=True)
    shell = Shell(firmware)
    module = shell.board.load(sample)
    shell.printed[:] = []
    assert [c.name for c in module.image.commands] == ["dynmem_sample"]
    assert help_commands(shell.run("help")[1])["dynmem_sample".ljust(16)] == "dynmem sample"
    value, text = shell.run("dynmem_sample")
    assert value == 0
    lines = text.splitlines()
    assert lines[:2] == ["get memory :1 byte", "free memory :1 byte"]
    assert lines[-1].startswith("try to get ") and lines[-1].endswith(" byte memory failed!")
    assert shell.board.kernel.modules == [module]     # loaded until it is unloaded


def test_rtdl_shell_lists_runs_and_drops_the_commands_of_a_module_the_repl_opened(
        build_module, tmp_path):
    import shutil
    import subprocess
    import sys
    shutil.copy(build_module("finsh_cmds.c", lib=True), str(tmp_path / "finsh_cmds.so"))
    script = ('python\nh = dlfcn.dlopen("/finsh_cmds.so")\nexit()\n'
              'help\ngreet "a b"\ncount\n'
              # the REPL keeps no names between sessions: open again, close both references
              'python\nh = dlfcn.dlopen("/finsh_cmds.so")\ndlfcn.dlclose(h)\n'
              'dlfcn.dlclose(h)\nexit()\ngreet\n'
              'python\nh = dlfcn.dlopen("/finsh_cmds.so")\nexit()\ncrash\nfree\n')
    result = subprocess.run([sys.executable, "-m", "rtdl.cli", "shell", "--root", str(tmp_path)],
                            input=script, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    helped = out.split("msh />help\n")[1].split("msh />")[0]
    for name, desc in COMMANDS.items():
        assert "%-16s - %s\n" % (name, desc) in helped
    assert "msh />greet \"a b\"\ngreet argc=2 init=1356 [greet] [a b]\nmsh />" in out
    assert ("msh />count\ncount 0 of count_thread\ncount 1 of count_thread\n"
            "count 2 of count_thread\nmsh />") in out
    assert "msh />greet\ngreet: command not found.\nmsh />" in out
    crashed = out.split("msh />crash\n")[1].split("\n")[0]
    assert crashed.startswith("finsh_cm: mem manage fault (DACCVIOL, data access violation) "
                              "in crash+0x") and "on thread 'tshell'" in crashed, crashed
    assert "msh />free\ntotal memory: " in out             # the shell went on


def test_the_api_lists_and_runs_module_commands(firmware, build_module):
    board = Board(firmware)
    assert board.commands() == {}
    module = board.load(build_module("finsh_cmds.c", lib=True))
    assert board.commands() == COMMANDS
    assert board.msh("greet x") == (2, "greet argc=2 init=1356 [greet] [x]\n")
    value, text = board.msh("crash")
    assert value == 139 and text.startswith("finsh_cm: mem manage fault (DACCVIOL")
    assert module.fault.report.thread == "tshell" and module.fault.report.module == "finsh_cm"
    assert board.commands() == {}


def test_a_program_s_commands_go_when_its_main_returns_as_rt_thread_unloads_it(firmware,
                                                                              tmp_path):
    main = tmp_path / "main.c"
    main.write_text("#include <rtthread.h>\nextern int dynmem_sample(void);\n"
                    "int main(void)\n{\n    return dynmem_sample();\n}\n")
    program = build_sources([os.path.join(SAMPLES, "dynmem_sample.c"), str(main)],
                            tmp_path / "dynmem.mo")
    board = Board(firmware)
    result = board.exec(program)
    # dlmodule_exit's rule: the sample's thread stops with main, before it prints
    assert (result.exit_code, result.fault, result.output) == (0, None, "")
    assert board.kernel.modules == [] and board.commands() == {}


def test_init_functions_are_kept_under_hidden_visibility_and_bounded_like_constructors(
        firmware, build_module, tmp_path):
    hidden = Board(firmware).load(build_module("finsh_cmds.c", lib=True, visibility="hidden"))
    assert sorted(c.name for c in hidden.image.commands) == sorted(COMMANDS)
    assert len(hidden.image.init_functions) == 4
    source = tmp_path / "init_spin.c"
    source.write_text("#include <rtthread.h>\nstatic int spin(void)\n{\n    for (;;)\n"
                      "        ;\n    return 0;\n}\nINIT_DEVICE_EXPORT(spin);\n"
                      "int main(void)\n{\n    rt_kprintf(\"main ran\\n\");\n    return 0;\n}\n")
    program = build_sources([str(source)], tmp_path / "init_spin.mo")
    board = Board(firmware)
    before = board.heap_info()[1]
    result = board.exec(program, timeout=0.3)
    assert result.exit_code == 124 and result.fault.kind == "timeout", result
    assert "init_spi" in str(result.fault) and "main ran" not in result.output
    assert board.heap_info()[1] == before and board.kernel.modules == []


def test_a_running_program_s_command_runs_while_its_main_sleeps(firmware, tmp_path):
    # as the kernel-sample tests run them: main sleeps while threads work; here the sample's
    # own command, by name from msh, starts that work, and main's return ends it all
    from rtdl_device import dlmodule
    main = tmp_path / "main.c"
    main.write_text("#include <rtthread.h>\nint main(void)\n{\n    rt_thread_mdelay(1000);\n"
                    "    rt_kprintf(\"main returns\\n\");\n    return 0;\n}\n")
    program = build_sources([os.path.join(SAMPLES, "dynmem_sample.c"), str(main)],
                            tmp_path / "dynmem.mo")
    board = Board(firmware)
    before = board.heap_info()[1]
    board.activate()
    module = dlmodule.exec(str(program), "dynmem")
    assert board.commands() == {"dynmem_sample": "dynmem sample"}
    value, text = board.msh("dynmem_sample")
    assert value == 0
    lines = text.splitlines()
    assert lines[:2] == ["get memory :1 byte", "free memory :1 byte"]
    # the sample's thread ended before main woke up; then main returned and unloaded it
    assert lines[-2].endswith(" byte memory failed!") and lines[-1] == "main returns"
    assert module.ret_code == 0 and module.fault is None
    assert board.commands() == {} and board.heap_info()[1] == before


def test_ps_shows_one_tshell_while_a_module_command_runs_on_it(firmware, module_path):
    shell = Shell(firmware)
    module = shell.board.load(module_path)
    command = [c for c in module.image.commands if c.name == "greet"][0]
    kernel = shell.board.kernel

    def tshell_rows():
        rows = [line.split() for line in shell.run("ps")[1].splitlines()]
        return [row for row in rows if row and row[0] == "tshell"]

    assert len(tshell_rows()) == 1
    thread = kernel.lifecycle.create_command_thread(module, command, "greet a")
    rows = tshell_rows()
    # the command's thread is the shell's: listed once, as the ready thread of the module
    assert len(rows) == 1 and rows[0][2] == "ready"
    kernel.scheduler.release_thread(thread)
    assert len(tshell_rows()) == 1
