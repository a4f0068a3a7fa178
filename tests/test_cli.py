"""The rtdl command line as a user runs it: a subprocess, stdout, stderr and exit codes."""
import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def rtdl(*args):
    return subprocess.run([sys.executable, "-m", "rtdl.cli"] + [str(a) for a in args],
                          capture_output=True, text=True, timeout=120)


def run(module, *args):
    """`rtdl run` with the module's folder as the device's / (the default root is the
    current directory, and modules are built elsewhere)."""
    return rtdl("run", "--root", os.path.dirname(str(module)), module, *args)


def test_run_hello_prints_only_what_the_module_printed(build_module, firmware):
    result = run(build_module("hello.c"))
    assert result.returncode == 0
    assert result.stdout == "Hello, world\n"
    assert result.stderr == ""


def test_run_passes_arguments_unchanged(build_module, firmware):
    result = run(build_module("argv.c"), "one", "two words")
    lines = result.stdout.splitlines()
    assert lines[0] == "argc=3"
    assert lines[2:] == ["argv[1]=<one>", "argv[2]=<two words>"]


def test_run_exits_with_mains_return_value(build_module, firmware):
    assert run(build_module("retcode.c")).returncode == 42


def test_run_reports_a_fault_in_one_line(build_module, firmware):
    result = run(build_module("fault_null.c"))
    assert result.returncode == 139
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith("rtdl run: error: fault_nu")


def test_run_of_a_missing_file_is_one_clear_line(tmp_path):
    result = run(tmp_path / "module.mo")
    assert result.returncode != 0
    assert result.stderr == "rtdl run: error: /module.mo: no such file or directory\n"


def test_run_of_a_non_elf_file_fails_cleanly(tmp_path, firmware):
    bogus = tmp_path / "notes.mo"
    bogus.write_text("this is not an ELF file at all, just some text\n")
    result = run(bogus)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "/notes.mo: " in result.stderr and "magic" in result.stderr


def test_run_times_out(build_module, firmware):
    spin = build_module("spin.c")
    result = rtdl("run", "--timeout", "0.3", "--root", os.path.dirname(spin), spin)
    assert result.returncode == 124
    assert "timed out" in result.stderr


def test_symtab_lists_exports_in_list_symbols_form(firmware):
    result = rtdl("symtab")
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    names = [line.split(" => ")[0] for line in lines if " => " in line]
    for name in ("printf", "rt_kprintf", "malloc", "dlopen", "__aeabi_uldivmod"):
        assert name in names
    addr = [line for line in lines if line.startswith("printf => ")][0].split(" => ")[1]
    assert addr.startswith("0x") and len(addr) == 10 and int(addr, 16) & 1


@pytest.mark.parametrize("args", [["run"], ["nonsense"]])
def test_usage_errors_exit_2(args):
    assert rtdl(*args).returncode == 2


# `rtdl run`'s common command lines skip argparse (run_cmd.quick_args); every one it takes
# must come out exactly as the full parser reads it, and everything else is left to argparse.
QUICK = [["h.mo"], ["h.mo", "a", "two words"], ["--root", "d", "h.mo"], ["h.mo", "-h"],
         ["--root", "d", "h.mo", "--root", "x", "-v"], ["h.mo", "--timeout=3", "-1", ""],
         ["h.mo", "--disk", "a=b"]]
LEFT_TO_ARGPARSE = [[], ["-", "x"], ["--root"], ["--root", "d"], ["h.mo", "--"],
                    ["h.mo", "a", "--", "-v"], ["--root", "d", "h.mo", "--", "x"], ["", "x"],
                    ["--root", "", "h.mo"],
                    ["--root", "-x", "h.mo"], ["--root=d", "h.mo"], ["-v", "h.mo"],
                    ["--root", "d", "--root", "e", "h.mo"], ["--timeout", "3", "h.mo"],
                    ["--help"], ["--ro", "d", "h.mo"]]


@pytest.mark.parametrize("argv", QUICK + LEFT_TO_ARGPARSE)
def test_quick_run_arguments_are_argparses(argv):
    from rtdl import cli, run_cmd
    quick = run_cmd.quick_args(list(argv))
    if argv in LEFT_TO_ARGPARSE:
        assert quick is None
        return
    assert quick is not None
    full = cli.parser("run").parse_args(["run"] + argv)
    expected = dict(vars(full))
    del expected["command"], expected["handler"]
    assert vars(quick) == expected


def test_quick_run_arguments_run_the_command(build_module, firmware):
    # the quick path ends the process itself (cli._exit_now): output and exit code intact
    result = run(build_module("exit_code.c"))
    assert result.returncode == 7
    assert result.stdout == "exit_code: work done, calling exit(7)\n"
    assert result.stderr == ""


def test_quick_run_imports_neither_argparse_nor_pyelftools(build_module, firmware):
    # what start-up leaves out (docs/benchmarks.md): -X importtime lists every module imported
    module = build_module("hello.c")
    result = subprocess.run([sys.executable, "-X", "importtime", "-m", "rtdl.cli", "run",
                             "--root", os.path.dirname(str(module)), str(module)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and result.stdout == "Hello, world\n"
    imported = [line.rsplit("|", 1)[1].strip() for line in result.stderr.splitlines()
                if line.startswith("import time:") and "|" in line]
    assert "rtdl_device.kernel" in imported           # the listing is the run's own
    assert [name for name in imported if name == "argparse" or "elftools" in name] == []
