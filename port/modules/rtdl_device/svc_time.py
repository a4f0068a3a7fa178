"""Time services: the wall clock a module's time()/gettimeofday()/clock_gettime(CLOCK_REALTIME)
read (firmware_stub/src/time.c), taken from the host's clock as RT-Thread reads its RTC.
Monotonic clocks come from the kernel's tick in C, so runs that only compute and sleep stay
deterministic. Imports: struct, time.
"""
import struct
import time


def _now_us():
    if hasattr(time, "time_ns"):
        return time.time_ns() // 1000
    return int(time.time() * 1000000)


class TimeServices:
    def __init__(self, kernel):
        self.kernel = kernel

    def handlers(self):
        return (("__rtdl_time_now", self.now),)

    def now(self, args):
        """(out[3]): seconds since 1970 (low, high word) and microseconds."""
        us = _now_us()
        seconds = us // 1000000
        self.kernel.args.write(args[0], struct.pack("<III", seconds & 0xFFFFFFFF,
                                                    (seconds >> 32) & 0xFFFFFFFF,
                                                    us % 1000000), "now")
        return 0
