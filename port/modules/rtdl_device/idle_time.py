"""When no thread is ready (the scheduler's idle time, scheduler.py): the tick jumps to the
next wake-up, or passes in host time while a host line is open (the bytes may come at any
moment), with the idle thread on the CPU running the modules' idle hooks meanwhile; a run
whose threads all wait for ever ends its modules as deadlocked, but the run's residents
(Kernel.run), whose waiting threads are idle. Imports: time, faults, records.
"""
from . import faults
from .records import THREAD_BLOCKED, THREAD_CLOSED

try:
    from time import ticks_us, ticks_diff
except ImportError:
    from time import perf_counter

    def ticks_us():
        return int(perf_counter() * 1000000)

    def ticks_diff(a, b):
        return a - b


# longest single wait for a host line while every thread waits
HOST_WAIT_US = 100000


def idle(scheduler, until_tick=None):
    """Nothing is ready: jump the tick to the next wake-up (True), or end every module
    whose threads all wait for ever (True), or report that nothing is left (False).
    With `until_tick`, a wake-up after it only moves the tick there (False): the
    caller's own wait ends first."""
    kernel = scheduler.kernel
    wake = None
    stuck = []
    waiting = False              # a thread other than the timer thread waits
    for thread in kernel.threads:
        if thread.state == THREAD_BLOCKED:
            if not kernel.timer_services.is_timer_thread(thread):
                waiting = True
            if thread.wake_tick is None:
                stuck.append(thread)
            elif wake is None or thread.wake_tick < wake:
                wake = thread.wake_tick
    if not waiting and until_tick is None:
        return False             # timers alone do not keep the run going
    timer = kernel.timer_services.next_due()
    if timer is not None and (wake is None or timer < wake):
        wake = timer
    if kernel.devices.host_lines():
        return wait_host(scheduler, wake if until_tick is None or
                         (wake is not None and wake <= until_tick) else until_tick,
                         until_tick)
    if until_tick is not None and (wake is None or wake > until_tick):
        if until_tick > kernel.tick:
            to_idle(scheduler)
            kernel.tick = until_tick
        return False
    if wake is not None:
        if wake > kernel.tick:
            to_idle(scheduler)
            if kernel.hooks.has_idle_hooks():
                # the idle thread calls the hooks while the time passes
                kernel.tick += kernel.hooks.run_idle(wake - kernel.tick)
            else:
                kernel.tick = wake
        return True
    residents = scheduler.residents
    if residents is not None:
        # a resident's thread waiting for ever is idle, not deadlocked: it stays so
        stuck = [thread for thread in stuck if thread.module not in residents]
    if not stuck:
        return False
    faults.deadlock(kernel, stuck)
    return True

def others_alive(scheduler):
    """A thread of a module that is not one of the run's residents is left."""
    residents = scheduler.residents
    for thread in scheduler.kernel.threads:
        if thread.state != THREAD_CLOSED and thread.module not in residents:
            return True
    return False

def wait_host(scheduler, wake, until_tick):
    """Idle while a host line is open: the bytes may come at any moment of host time, so
    time is not jumped but waited for, in host time, up to the next wake-up (at most
    HOST_WAIT_US at once, so the run's budget and Ctrl-C are still looked at). The tick
    advances by the host time that passed, never past the wake-up. Returns what idle
    returns: False once `until_tick` is reached."""
    kernel = scheduler.kernel
    limit = HOST_WAIT_US
    if wake is not None:
        limit = min(limit, max(wake - kernel.tick, 0) * kernel.tick_us)
    if kernel.hooks.has_idle_hooks():
        # the idle thread calls the hooks while that host time passes (a slice at most);
        # the lines are looked at between slices (svc_device.interrupts)
        span = limit // kernel.tick_us
        if until_tick is not None:
            span = min(span, until_tick - kernel.tick)
        if span > 0:
            to_idle(scheduler)
            kernel.tick += kernel.hooks.run_idle(span)
        return until_tick is None or kernel.tick < until_tick
    started = ticks_us()
    if limit > 0:
        kernel.devices.wait(limit)
    scheduler.host_us += ticks_diff(ticks_us(), started)
    ticks = scheduler.host_us // kernel.tick_us
    scheduler.host_us -= ticks * kernel.tick_us
    if wake is not None and kernel.tick + ticks >= wake:
        ticks = max(wake - kernel.tick, 0)
        scheduler.host_us = 0
    kernel.tick += ticks
    return until_tick is None or kernel.tick < until_tick

def to_idle(scheduler):
    """Nothing is ready: the idle thread has the CPU (for the scheduler hook)."""
    idle = scheduler.kernel.system.idle
    if scheduler.last is not idle:
        last, scheduler.last = scheduler.last, idle
        scheduler.kernel.errno.switch(idle)
        if scheduler.kernel.hooks.sched_hook is not None:
            scheduler.kernel.hooks.switch_to(last, idle)
