"""Time with the outside world: time(), gettimeofday() and clock_gettime(CLOCK_REALTIME) read
the host's clock; CLOCK_MONOTONIC is the kernel's tick, deterministic across runs."""
import re
import time

from rtdl import Board


def test_wall_clock_is_the_hosts_and_the_monotonic_clock_the_tick(firmware, build_module):
    before = int(time.time())
    result = Board(firmware).exec(build_module("host_time.c"))
    after = int(time.time()) + 1
    assert result.exit_code == 0, result
    m = re.match(r"time (\d+) tv (\d+)\.(\d{6}) mono (\S+) -> (\S+) date (\S+)\n$",
                 result.output)
    assert m, result.output
    assert before <= int(m.group(1)) <= int(m.group(2)) <= after
    assert (m.group(4), m.group(5)) == ("0.000000000", "1.500000000")
    assert m.group(6) in (time.strftime("%Y-%m-%d", time.gmtime(before)),
                          time.strftime("%Y-%m-%d", time.gmtime(after)))


def test_localtime_asctime_ctime_as_rt_thread_exports_them(firmware, build_module):
    result = Board(firmware).exec(build_module("local_time.c"))
    assert (result.exit_code, result.fault) == (0, None), result
    day = time.gmtime(1000000000)
    after = time.gmtime(1000000000 + 86400)
    expected = [
        "localtime %s wday %d yday %d" % (time.strftime("%Y-%m-%d %H:%M:%S", day),
                                          (day.tm_wday + 1) % 7, day.tm_yday - 1),
        "localtime_r mday %d, localtime's result kept mday %d" % (after.tm_mday, day.tm_mday),
        "asctime " + time.asctime(after),
        "asctime_r " + time.asctime(day),
        "ctime " + time.asctime(after),
        "ctime_r " + time.asctime(time.gmtime(1000000000 + 86400 + 3600)),
    ]
    assert result.output.splitlines() == expected
