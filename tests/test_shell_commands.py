"""`rtdl shell` behaviours RT-Thread's console has: `-c`, `cd ..` at `/`, the system threads
in `ps`, and dlopen's /modules/ rule for relative library names - each through a real
`rtdl shell` process over a sandbox of built modules."""
import re
import shutil
import subprocess
import sys

import pytest


def shell(root, *args, script=""):
    return subprocess.run([sys.executable, "-m", "rtdl.cli", "shell", "--root", str(root)]
                          + list(args), input=script, capture_output=True, text=True,
                          timeout=60)


@pytest.fixture
def root(tmp_path, build_module, firmware):
    """/bin: hello, retcode (returns 42), dl_user; /modules/lib.so the library; /lib.so a
    file that is no ELF, so taking "lib.so" against the working directory would fail."""
    for folder in ("bin", "modules", "apps/deep"):
        (tmp_path / folder).mkdir(parents=True)
    for name in ("hello", "retcode", "dl_user"):
        shutil.copy(build_module(name + ".c"), str(tmp_path / "bin" / (name + ".mo")))
    shutil.copy(build_module("lib.c", lib=True), str(tmp_path / "modules" / "lib.so"))
    (tmp_path / "lib.so").write_bytes(b"not a library\n")
    return tmp_path


def test_c_runs_the_commands_without_prompts_and_exits_with_the_last_status(root):
    result = shell(root, "-c", "hello; cd /apps; pwd; retcode")
    assert result.stderr == ""
    assert result.stdout == "Hello, world\n/apps\nretcode: returning 42\n"
    assert result.returncode == 42
    result = shell(root, "-c", "retcode; hello")
    assert result.returncode == 0 and result.stdout.endswith("Hello, world\n")
    # msh's -1 for a command not found is exit status 255
    result = shell(root, "-c", "hello; nosuch")
    assert result.returncode == 255
    assert result.stdout == "Hello, world\nnosuch: command not found.\n"


def test_c_keeps_a_semicolon_inside_quotes_and_stops_at_exit(build_module, root):
    shutil.copy(build_module("argv.c"), str(root / "bin" / "argv.mo"))
    result = shell(root, "-c", 'argv "a;b" c; exit; hello')
    assert result.returncode == 0, result.stderr
    assert result.stdout == "argc=3\nargv[0]=<argv>\nargv[1]=<a;b>\nargv[2]=<c>\n"


def test_cd_dot_dot_stops_at_the_root(root):
    result = shell(root, script="cd ..\npwd\ncd /apps/deep\ncd ../../../..\npwd\n"
                                "cd apps/deep/../..\npwd\n")
    assert result.returncode == 0, result.stderr
    assert result.stdout == ("msh />cd ..\nmsh />pwd\n/\nmsh />cd /apps/deep\n"
                             "msh /apps/deep>cd ../../../..\nmsh />pwd\n/\n"
                             "msh />cd apps/deep/../..\nmsh />pwd\n/\nmsh />\n")


def test_ps_lists_the_shell_and_idle_threads_as_rt_thread_does(root):
    result = shell(root, "-c", "ps; list_thread")
    assert result.returncode == 0, result.stderr
    table = ("thread   pri  status      sp     stack size\n"
             "-------- ---  ------- ---------- ----------\n"
             # FINSH_THREAD_PRIORITY 20, FINSH_THREAD_STACK_SIZE 4096; the idle thread at
             # RT_THREAD_PRIORITY_MAX - 1 with IDLE_THREAD_STACK_SIZE 256
             "tshell    20  running 0x00000000 0x00001000\n"
             "tidle0    31  ready   0x00000000 0x00000400\n")
    assert result.stdout == table + table


def test_a_modules_relative_dlopen_looks_under_slash_modules(root):
    result = shell(root, "-c", "dl_user lib.so lib")
    assert result.returncode == 0, result.stdout
    assert "add_func(2, 3) = 5\n" in result.stdout
    # dlopen.c joins "/modules/" and the name as it is: "modules/lib.so" is
    # /modules/modules/lib.so, not the library beside the working directory
    result = shell(root, "-c", "dl_user modules/lib.so lib")
    assert result.returncode == 1
    assert re.search(r"dlopen failed: .*/modules/modules/lib\.so", result.stdout), result.stdout
    # an absolute name is taken as given: /lib.so is the file that is no library
    result = shell(root, "-c", "dl_user /lib.so lib")
    assert result.returncode == 1 and "dlopen failed: " in result.stdout


def test_the_repls_dlopen_follows_the_same_rule(root):
    result = shell(root, script='python\nh = dlfcn.dlopen("lib.so")\n'
                                'print(h.name, h.nref, dlfcn.dlsym(h, "add_func") != 0)\n'
                                'exit()\n')
    assert result.returncode == 0, result.stderr
    assert ">>> print(h.name, h.nref, dlfcn.dlsym(h, \"add_func\") != 0)\nlib 1 True\n" \
        in result.stdout
