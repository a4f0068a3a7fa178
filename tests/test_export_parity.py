"""The calls RT-Thread exports to modules that rtdl added after auditing its RTM_EXPORT lists
(docs/exports.md): the sleeps and rt_thread_delay_until on the kernel's tick, clock(),
timegm, rt_timespec_to_tick, rt_strerror and rt_interrupt_get_nest. Every expected value is
computed here, on the host."""
import calendar
import re
import time

from rtdl import Board


def test_sleeps_take_at_least_the_ticks_asked_for(firmware, build_module):
    result = Board(firmware).exec(build_module("sleep_calls.c"))
    assert (result.exit_code, result.fault) == (0, None), result
    lines = result.output.splitlines()
    took = [int(re.match(r"\S+ (\d+)", line).group(1)) for line in lines[:6]]
    # 1000 ticks a second: each request rounds up to whole ticks, a bad one sleeps not at all
    assert took[0] >= 5 and took[1] >= 3 and took[2] >= 2 and took[3] == 0
    assert took[4] >= 1000 and took[5] >= 1000
    assert lines[2].endswith("result 0 rem 0.0")
    assert lines[3].endswith("result -1 errno -22")          # errno -EINVAL, as RT-Thread sets it
    clock_ticks = re.match(r"clock over msleep\(20\) (\d+) per second (\d+)$", lines[6])
    per_second = int(clock_ticks.group(2))          # newlib's CLOCKS_PER_SEC for ARM
    assert int(clock_ticks.group(1)) >= 20 * per_second // 1000 > 0
    until = re.match(r"delay_until 3 x 10: period advanced (\d+), now (\d+) after it$", lines[7])
    assert int(until.group(1)) == 30 and int(until.group(2)) >= 3
    assert lines[8:] == ["delay_until late: result 0 restarted at now 1", "interrupt nest 0"]


def test_timegm_timespec_to_tick_and_strerror(firmware, build_module):
    result = Board(firmware).exec(build_module("time_calc.c"))
    assert (result.exit_code, result.fault) == (0, None), result
    lines = result.output.splitlines()
    cases = [(1970, 1, 1, 0, 0, 0), (2001, 9, 9, 1, 46, 40), (2024, 2, 29, 12, 0, 0),
             (2023, 14, 1, 0, 0, 0), (2000, 1, 0, 24, 0, -1), (1969, 12, 31, 23, 59, 59),
             (2100, 3, 1, 0, 0, 0)]
    expected = []
    for year, mon, mday, hour, minute, sec in cases:
        year, mon = year + (mon - 1) // 12, (mon - 1) % 12 + 1
        t = calendar.timegm((year, mon, 1, 0, 0, 0)) + (mday - 1) * 86400 \
            + hour * 3600 + minute * 60 + sec
        tm = time.gmtime(t)
        expected.append("timegm %d -> %s wday %d yday %d" % (
            t, time.strftime("%Y-%m-%d %H:%M:%S", tm), (tm.tm_wday + 1) % 7, tm.tm_yday - 1))
    assert lines[:7] == expected
    ticks = re.match(r"to_tick past 0 null -1 later (\d+)$", lines[7])
    assert ticks and 90000 < int(ticks.group(1)) <= 100000, lines[7]
    assert lines[8:] == ["strerror 0 OK", "strerror -2 ETIMOUT", "strerror 10 EINVAL",
                         "strerror -11 ENOENT", "strerror -99 EUNKNOW"]


def test_object_and_thread_names_and_tick_deltas(firmware, build_module):
    result = Board(firmware).exec(build_module("kobj_names.c"))
    assert (result.exit_code, result.fault) == (0, None), result
    assert result.output.splitlines() == [
        "self 0 <kobj_na>",     # the main thread: the module's name in RT_NAME_MAX 8, terminated
        "sem 0 <sem_abc>", "sem in 3 0 <se>", "bad -10 -10 -10",
        "delta after mdelay(7) 1", "delta across wrap 1", "millisecond is the tick 1"]


def test_a_spin_lock_holds_off_other_threads_on_one_core(firmware, build_module):
    result = Board(firmware).exec(build_module("spin_lock.c"))
    assert (result.exit_code, result.fault) == (0, None), result
    assert result.output.splitlines() == [
        "spin_lock: critical level 1, eager ran 0 inside, 1 after; level 0",
        "spin_lock_irqsave: eager ran 1 inside, 2 after"]
