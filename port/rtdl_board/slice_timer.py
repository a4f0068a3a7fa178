"""SliceTimer: the one process-wide thread that ends time slices with `emu_stop`.

CPython only. May import: the standard library.
"""
import _thread
import threading
import time


def _clock_of_calling_thread():
    """A function reading the calling thread's CPU time in seconds (monotonic as fallback)."""
    try:
        clock_id = time.pthread_getcpuclockid(threading.get_ident())
        time.clock_gettime(clock_id)
    except (AttributeError, OSError):
        return time.monotonic
    return lambda: time.clock_gettime(clock_id)


class SliceTimer:
    """Ends time slices: one daemon thread per process calls `emu_stop` on an engine whose
    deadline has passed. It replaces emu_start's own `timeout=`, which starts, polls and joins
    a new host thread on every call (about 190 us per emu_start here, against 13 us without;
    `count=` costs 4x in speed): arming this one is a lock and a dictionary entry, and the
    translated code still runs with no hook at all. Resolution: POLL_S. A stop that lands
    before emu_start has begun is repeated at every poll until the run is disarmed, and a
    stop after emu_start returned is a no-op (unicorn ignores it once emulation is done);
    disarming takes the lock, so no stop can reach a later run.

    A deadline is measured on the CPU-time clock of the thread that armed it (the one running
    the emulator), not on the wall clock: on a loaded host the emulating thread waits for a
    core without its slice running out, so where a slice ends - and with it the order of
    equal-priority threads' output and the virtual tick - depends on the work done, not on
    what else the machine runs. Where the platform has no per-thread CPU clock, wall time. The
    board moves a slice's deadline past the time its services take (`extend`): a slice is the
    thread's own code, as on a device where the kernel's work is not charged to the tick."""

    POLL_S = 0.001
    LINGER_POLLS = 50        # keep polling this long after the last run before sleeping

    def __init__(self):
        self.lock = threading.Lock()
        self.wakeup = threading.Condition(self.lock)
        self.armed = {}          # token -> [uc, deadline, fired, clock]
        self.thread = None
        self.next_token = 0

    def arm(self, uc, timeout_us, hard_us=0):
        """`hard_us` (0: none) is a wall-clock limit that extend() never moves: the run's
        budget, which the kernel's work in services counts against (a module calling
        services over huge ranges back to back still ends on time)."""
        clock = _clock_of_calling_thread()
        hard = time.perf_counter() + hard_us / 1e6 if hard_us else None
        with self.lock:
            self.next_token += 1
            token = self.next_token
            self.armed[token] = [uc, clock() + timeout_us / 1e6, False, clock, hard]
            if self.thread is None:
                # _thread, not threading.Thread: start() would wait until the new thread has
                # run, which cost a short `rtdl run` 2-5 ms on a busy host. Like a daemon
                # thread, it never holds up the interpreter's exit.
                self.thread = _thread.start_new_thread(self._loop, ())
            else:
                self.wakeup.notify()
            return token

    def clock_of(self, token):
        """The clock `token`'s deadline is measured on (None once disarmed)."""
        entry = self.armed.get(token)
        return entry[3] if entry is not None else None

    def extend(self, token, seconds):
        """Move `token`'s deadline by `seconds`: the kernel's own work inside a service is not
        the thread's time slice. No lock: one float store, read by the loop under the GIL."""
        entry = self.armed.get(token)
        if entry is not None:
            entry[1] += seconds

    def disarm(self, token):
        """True when the deadline stopped the run."""
        with self.lock:
            entry = self.armed.pop(token, None)
        return entry is not None and entry[2]

    def _loop(self):
        idle = 0
        with self.lock:
            while True:
                if not self.armed:
                    idle += 1
                    if idle > self.LINGER_POLLS:
                        self.wakeup.wait()       # until the next arm(); no polling
                        idle = 0
                        continue
                else:
                    idle = 0
                    for entry in self.armed.values():
                        if entry[3]() >= entry[1] or (
                                entry[4] is not None and time.perf_counter() >= entry[4]):
                            entry[2] = True
                            entry[0].emu_stop()
                self.wakeup.wait(self.POLL_S)


SLICE_TIMER = SliceTimer()
