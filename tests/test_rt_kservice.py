"""RT-Thread's kservice in the firmware (firmware_stub/src/kservice.c) on the real board:
rt_snprintf/rt_kprintf against the host C library's snprintf as the oracle, truncation and
return values, a 512-byte-stack thread printing, the string helpers against Python, and a
failing RT_ASSERT as a module fault naming the expression, file and line."""
import ctypes
import os
import random
import subprocess
import sys

import pytest

from rtdl.build import build_module as rtdl_build

LIBC = ctypes.CDLL(None)


def rtdl(*args):
    script = os.path.join(os.path.dirname(sys.executable), "rtdl")
    cmd = [script] if os.path.exists(script) else [sys.executable, "-m", "rtdl.cli"]
    return subprocess.run(cmd + [str(a) for a in args], capture_output=True, text=True,
                          timeout=120)


def build(tmp_path, name, source):
    src = tmp_path / (name + ".c")
    src.write_text(source)
    return str(rtdl_build([src], tmp_path / (name + ".mo")))


# --------------------------------------------------------------------------- formatter

# (C type on the target, its length modifier, ctypes type on the host for the same bits);
# the target's long is 32-bit, so 'l' is formatted on the host without it.
INT_KINDS = [("int", "", ctypes.c_int, "", 32, True),
             ("long", "l", ctypes.c_int, "", 32, True),
             ("long long", "ll", ctypes.c_longlong, "ll", 64, True),
             ("short", "h", ctypes.c_int, "h", 16, True),
             ("signed char", "hh", ctypes.c_int, "hh", 8, True)]


def c_literal(value, bits, signed):
    if bits == 64:
        return "%dLL" % value if signed and value >= 0 else (
            "(-%dLL - 1)" % (-(value + 1)) if signed else "%dULL" % value)
    if signed and value < 0:
        return "(-%d - 1)" % (-(value + 1))
    return "%dU" % value if not signed else "%d" % value


def int_cases(rng, count):
    cases = []
    for _ in range(count):
        conv = rng.choice("diuxXo")
        ctype, tmod, htype, hmod, bits, _ = rng.choice(INT_KINDS)
        signed = conv in "di"
        flags = "".join(rng.sample("-0+ #" if signed else "-0#", rng.randint(0, 2)))
        if signed:
            flags = flags.replace("#", "")         # '#' is undefined for d/i
        width = rng.choice(["", "1", "6", "12", "*"])
        prec = rng.choice(["", "", ".0", ".3", ".10", ".*"])
        lo, hi = (-(1 << (bits - 1)), (1 << (bits - 1)) - 1) if signed else (0, (1 << bits) - 1)
        value = rng.choice([0, 1, lo, hi, rng.randint(lo, hi), rng.randint(-300, 300)
                            if signed else rng.randint(0, 300)])
        args, hargs = [], []
        for star in (width, prec):
            if star.endswith("*"):
                n = rng.randint(-8, 14)
                args.append("%d" % n)
                hargs.append(ctypes.c_int(n))
        if bits < 32:                               # promoted to int, converted back
            literal, host = c_literal(value, 32, True), ctypes.c_int(value)
        else:
            literal = "(%s%s)%s" % ("" if signed else "unsigned ", ctype,
                                     c_literal(value, bits, signed))
            host = htype(value if signed or bits == 64 else value & 0xFFFFFFFF)
            if not signed and bits == 32:
                host = ctypes.c_uint(value)
            elif not signed and bits == 64:
                host = ctypes.c_ulonglong(value)
        args.append(literal)
        hargs.append(host)
        cases.append(("%" + flags + width + prec + tmod + conv,
                      "%" + flags + width + prec + hmod + conv, args, hargs))
    return cases


def text_cases():
    words = ["", "a", "rt-thread", "exactly-16-chars"]
    cases = []
    for word in words:
        for spec in ["%s", "%10s", "%-10s", "%.3s", "%-8.2s", "%*s", "%.*s", "[%s|%s]"]:
            args = ['"%s"' % word]
            hargs = [word.encode()]
            if "*" in spec:
                args.insert(0, "7")
                hargs.insert(0, ctypes.c_int(7))
            if spec.count("%s") == 2:
                args.append('"x"')
                hargs.append(b"x")
            cases.append((spec, spec, args, hargs))
    for spec, n in [("%c", 1), ("%4c", 1), ("%-4c|", 1), ("100%%", 0), ("%c%c%c", 3)]:
        cases.append((spec, spec, ["'%s'" % ch for ch in "RTT"[:n]],
                      [ctypes.c_int(ord(ch)) for ch in "RTT"[:n]]))
    return cases


def host_snprintf(fmt, args, size=512):
    buf = ctypes.create_string_buffer(size)
    n = LIBC.snprintf(buf, ctypes.c_size_t(size), fmt.encode(), *args)
    return n, buf.value.decode()


CASES = int_cases(random.Random(9), 360) + text_cases()


def c_string(text):
    return '"%s"' % text.replace("\\", "\\\\").replace('"', '\\"')


@pytest.fixture(scope="module")
def format_run(tmp_path_factory, firmware):
    """Each case formatted on the board twice: rt_snprintf (with its return value) and
    rt_kprintf straight to the console, one line each."""
    lines = []
    for fmt, _hfmt, args, _h in CASES:
        call = ", ".join([c_string(fmt)] + args)
        lines.append('    n = rt_snprintf(buf, sizeof buf, %s);\n'
                     '    rt_kprintf("%%d:", n); rt_kputs(buf); rt_kputs("\\n");\n'
                     '    rt_kprintf(%s); rt_kputs("\\n");\n' % (call, call))
    source = ("#include <rtthread.h>\n#pragma GCC diagnostic ignored \"-Wformat\"\n"
              "int main(void)\n{\n    static char buf[512];\n    int n;\n%s    return 0;\n}\n"
              % "".join(lines))
    from rtdl import Board
    path = build(tmp_path_factory.mktemp("fmt"), "fmt", source)
    result = Board(firmware).exec(path, timeout=60)
    assert result.exit_code == 0 and result.fault is None, result
    return result.output.split("\n")


@pytest.mark.parametrize("index", range(len(CASES)), ids=[c[0] for c in CASES])
def test_rt_snprintf_and_rt_kprintf_format_like_c(format_run, index):
    fmt, hfmt, args, hargs = CASES[index]
    n, text = host_snprintf(hfmt, hargs)
    assert format_run[2 * index] == "%d:%s" % (n, text), (fmt, args)
    assert format_run[2 * index + 1] == text, (fmt, args)


def test_truncation_pointers_null_strings_and_rt_sprintf(board, tmp_path):
    path = build(tmp_path, "trunc", r'''
#include <rtthread.h>
#include <string.h>
static char big[300];
int main(void)
{
    char small[8];
    int n = rt_snprintf(small, sizeof small, "%d-%s", 123456, "abcdef");
    rt_kprintf("<%s> %d\n", small, n);
    n = rt_snprintf(small, 0, "%s", "untouched");
    rt_kprintf("%d %c\n", n, small[0]);
    n = rt_snprintf(small, 1, "%s", "abc");
    rt_kprintf("%d <%s>\n", n, small);
    rt_kprintf("[%p] [%#p] [%s]\n", (void *)0x2000abcU, (void *)0x2000abcU, (char *)0);
    n = rt_sprintf(big, "%05d|%-6s|%x", -42, "rt", 0xBEEFu);
    rt_kprintf("%s %d\n", big, n);
    memset(big, 'k', sizeof big - 1);
    n = rt_kprintf("%s", big);
    rt_kprintf("\n%d\n", n);
    return 0;
}
''')
    small = "%d-%s" % (123456, "abcdef")
    sprinted = "%05d|%-6s|%x" % (-42, "rt", 0xBEEF)
    out = board.exec(path).output.split("\n")
    assert out[0] == "<%s> %d" % (small[:7], len(small))
    assert out[1] == "9 %s" % small[0]          # size 0: nothing stored, length counted
    assert out[2] == "3 <>"
    assert out[3] == "[%08x] [0x%08x] [(NULL)]" % (0x2000abc, 0x2000abc)
    assert out[4] == "%s %d" % (sprinted, len(sprinted))
    # rt_kprintf prints at most RT_CONSOLEBUF_SIZE - 1 characters, and says how many
    assert out[5] == "k" * 127 and out[6] == "127"


def test_a_thread_with_a_512_byte_stack_prints_with_rt_kprintf(board, tmp_path):
    path = build(tmp_path, "small_stack", r'''
#include <rtthread.h>
static void entry(void *parameter)
{
    int i;
    for (i = 0; i < 3; i++)
        rt_kprintf("small %d: %s %08lx %-5u|%lld %p\n", i, (const char *)parameter,
                   0xC0FFEEUL + i, 7u * i, -1234567890123LL, parameter);
}
int main(void)
{
    rt_thread_t t = rt_thread_create("small", entry, (void *)"stack", 512, 15, 10);
    if (t == RT_NULL)
        return 1;
    rt_thread_startup(t);
    rt_thread_mdelay(20);
    return 0;
}
''')
    result = board.exec(path)
    assert result.exit_code == 0 and result.fault is None, result
    lines = result.output.splitlines()
    assert len(lines) == 3
    for i, line in enumerate(lines):
        head = "small %d: stack %08x %-5u|%d " % (i, 0xC0FFEE + i, 7 * i, -1234567890123)
        assert line.startswith(head) and len(line) == len(head) + 8, line


def test_string_and_memory_helpers_agree_with_c(board, tmp_path):
    path = build(tmp_path, "strings", r'''
#include <rtthread.h>
int main(void)
{
    char a[16], b[16];
    char *dup = rt_strdup("duplicate");
    rt_memset(a, 'x', sizeof a);
    rt_strncpy(a, "ab", 5);
    rt_kprintf("%d %d %d %d\n", a[2], a[4], a[5], (int)rt_strlen("rt-thread"));
    rt_strcpy(b, "hello world");
    rt_memmove(b + 2, b, 5);
    rt_kprintf("%s|%s|%s\n", b, rt_strstr(b, "loo"), dup);
    rt_kprintf("%d %d %d %d\n", rt_strcmp("abc", "abd") < 0, (int)rt_strncmp("abcx", "abcy", 3),
               rt_memcmp("\x01\xff", "\x01\x02", 2) > 0, (int)rt_strnlen("abcdef", 4));
    rt_memcpy(a, "0123456789", 11);
    rt_kprintf("%s %d %d %d\n", a, (int)rt_tick_from_millisecond(1500),
               (int)rt_tick_from_millisecond(1), (int)rt_tick_from_millisecond(-1));
    rt_free(dup);
    return 0;
}
''')
    b = bytearray(b"hello world")
    b[2:7] = b[0:5]
    out = board.exec(path).output.splitlines()
    a = (b"ab" + b"\0" * 3).ljust(16, b"x")              # strncpy pads with NULs to n
    assert out[0] == "%d %d %d %d" % (a[2], a[4], a[5], len("rt-thread"))
    assert out[1] == "%s|%s|duplicate" % (b.decode(), b.decode()[b.decode().index("loo"):])
    assert out[2] == "1 0 1 4"
    # RT_TICK_PER_SECOND is 1000: ms are ticks; a negative time is RT_WAITING_FOREVER
    assert out[3] == "0123456789 1500 1 -1"


def test_a_failing_rt_assert_is_a_fault_naming_expression_file_and_line(tmp_path, firmware):
    source = ("#include <rtthread.h>\n"
              "static int check(int v)\n{\n"
              "    RT_ASSERT(v * 2 == 7);\n"
              "    return v;\n}\n"
              "int main(void)\n{\n    rt_kprintf(\"before\\n\");\n    return check(3);\n}\n")
    line = source.splitlines().index("    RT_ASSERT(v * 2 == 7);") + 1
    path = build(tmp_path, "assert_fail", source)
    result = rtdl("run", "--root", os.path.dirname(str(path)), path)
    assert result.returncode == 134
    assert result.stdout.startswith("before\n")
    src = str(tmp_path / "assert_fail.c")
    assert "RT_ASSERT(v * 2 == 7) failed at %s:%d in check()" % (src, line) in result.stderr
    # RT-Thread's own console message comes first, as on a board
    assert "(v * 2 == 7) assertion failed at function:check, line number:%d" % line \
        in result.stdout


def test_a_passing_rt_assert_costs_nothing_visible(board, tmp_path):
    path = build(tmp_path, "assert_ok", "#include <rtthread.h>\n"
                 "int main(void) { RT_ASSERT(1 + 1 == 2); rt_kputs(\"ok\\n\"); return 0; }\n")
    result = board.exec(path)
    assert (result.exit_code, result.output, result.fault) == (0, "ok\n", None)
