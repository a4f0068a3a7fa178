"""Software timer services for C code (rt_timer_*) and their expiry, as RT-Thread 5.x runs
them: a HARD_TIMER's callback runs in the tick 'interrupt' (here: between thread slices, on
the kernel stack, in no thread, so it cannot block); a SOFT_TIMER's runs in the timer thread
('timer', priority RT_TIMER_THREAD_PRIO), a system thread made on demand whose firmware loop
(__rtdl_timer_thread) asks `__rtdl_timer_next` for the next callback. Timers due at the same
tick fire in the order they were started. A callback belongs to the timer's module: a fault
in it is that module's fault. Imports: ipc, kobjects, records, stacks, faults, svc_thread,
rterror.
"""
import struct

from . import faults
from . import ipc
from . import kobjects
from . import stacks
from .records import Thread, THREAD_BLOCKED, THREAD_CLOSED, THREAD_INIT
from .rterror import HeapError, ModuleFault
from .svc_thread import caller

RT_TIMER_THREAD_PRIO = 4
RT_TIMER_THREAD_STACK_SIZE = 512
_TICK_LIMIT = 0x7FFFFFFF       # RT_TICK_MAX / 2: RT-Thread asserts a timer's time is below

RT_TIMER_CTRL_SET_TIME = 0x0
RT_TIMER_CTRL_GET_TIME = 0x1
RT_TIMER_CTRL_SET_ONESHOT = 0x2
RT_TIMER_CTRL_SET_PERIODIC = 0x3
RT_TIMER_CTRL_GET_STATE = 0x4
RT_TIMER_CTRL_GET_REMAIN_TIME = 0x5
RT_TIMER_CTRL_GET_FUNC = 0x6
RT_TIMER_CTRL_SET_FUNC = 0x7
RT_TIMER_CTRL_GET_PARM = 0x8
RT_TIMER_CTRL_SET_PARM = 0x9


class TimerServices:
    def __init__(self, kernel):
        self.kernel = kernel
        self.ipc = kernel.ipc_services
        self.order = 0               # start count: equal timeouts fire in start order
        self.thread = None           # the timer thread, while it lives
        self.running = None          # the soft timer whose callback the thread runs

    def handlers(self):
        synced = self.ipc._synced
        return tuple((name, synced(fn)) for name, fn in (
            ("rt_timer_create", self.create),
            ("rt_timer_init", self.init),
            ("rt_timer_delete", self.delete),
            ("rt_timer_detach", self.detach),
            ("rt_timer_start", self.start),
            ("rt_timer_stop", self.stop),
            ("rt_timer_control", self.control),
            ("__rtdl_timer_next", self.next_job)))

    def _check_time(self, time, service):
        if time >= _TICK_LIMIT:
            raise ModuleFault("%s: %s: time %d ticks (expected below RT_TICK_MAX / 2)"
                              % (caller(self.kernel), service, time))

    # ---------------------------------------------------------------- objects --------
    def create(self, args):
        """(name, timeout, parameter, time; flag on the stack)."""
        kernel = self.kernel
        flag = kernel.memory.read32(kernel.cpu.sp()) & 0xFF
        self._check_time(args[3], "rt_timer_create")
        return self.ipc._new_object(kobjects.Timer, args[0], flag, args[1], args[2], args[3])

    def init(self, args):
        """(timer, name, timeout, parameter; time and flag on the stack)."""
        kernel = self.kernel
        sp = kernel.cpu.sp()
        time, flag = kernel.memory.read32(sp), kernel.memory.read32(sp + 4) & 0xFF
        self._check_time(time, "rt_timer_init")
        self.ipc.init_object(args[0], kobjects.Timer, "rt_timer_init", args[1], flag,
                             args[2], args[3], time)
        return 0

    def delete(self, args):
        return self.ipc._delete(args, kobjects.Timer, "rt_timer_delete")

    def detach(self, args):
        return self.ipc._detach(args, kobjects.Timer, "rt_timer_detach")

    def _timer(self, handle, service):
        return self.ipc._object(handle, kobjects.Timer, service)

    # ---------------------------------------------------------- start and stop -------
    def start(self, args):
        return self.start_timer(self._timer(args[0], "rt_timer_start"))

    def start_timer(self, timer):
        kernel = self.kernel
        if timer in kernel.timers:
            kernel.timers.remove(timer)
        self.order += 1
        timer.start(kernel.tick, self.order)
        kernel.timers.append(timer)
        if timer.soft:
            self._wake_thread_for(timer)
        self.ipc.touched.append(timer)
        return ipc.RT_EOK

    def stop(self, args):
        timer = self._timer(args[0], "rt_timer_stop")
        if timer in self.kernel.timers:
            self.kernel.timers.remove(timer)
        return timer.stop()

    def control(self, args):
        """(timer, cmd, arg): RT-Thread's RT_TIMER_CTRL_* commands; arg points to the value
        to set or to where the value read goes."""
        kernel = self.kernel
        timer = self._timer(args[0], "rt_timer_control")
        cmd, arg = args[1], args[2]
        if cmd in (RT_TIMER_CTRL_SET_TIME, RT_TIMER_CTRL_GET_TIME, RT_TIMER_CTRL_GET_STATE,
                   RT_TIMER_CTRL_GET_REMAIN_TIME, RT_TIMER_CTRL_GET_FUNC,
                   RT_TIMER_CTRL_SET_FUNC, RT_TIMER_CTRL_GET_PARM) and \
                (arg == 0 or not kernel.args.readable(arg, 4)):
            raise ModuleFault("%s: rt_timer_control: command %d needs a pointer to memory, "
                              "not 0x%08x" % (caller(kernel), cmd, arg))
        if cmd == RT_TIMER_CTRL_SET_TIME:
            time = kernel.args.read32(arg, "arg")
            self._check_time(time, "rt_timer_control")
            if timer in kernel.timers:        # 5.x: a new time stops a running timer
                kernel.timers.remove(timer)
                timer.stop()
            timer.init_tick = time
        elif cmd == RT_TIMER_CTRL_GET_TIME:
            kernel.args.write32(arg, timer.init_tick, "arg")
        elif cmd == RT_TIMER_CTRL_SET_ONESHOT:
            timer.flag &= ~kobjects.RT_TIMER_FLAG_PERIODIC
        elif cmd == RT_TIMER_CTRL_SET_PERIODIC:
            timer.flag |= kobjects.RT_TIMER_FLAG_PERIODIC
        elif cmd == RT_TIMER_CTRL_GET_STATE:
            kernel.args.write32(arg, 1 if timer.active else 0, "arg")
        elif cmd == RT_TIMER_CTRL_GET_REMAIN_TIME:
            kernel.args.write32(arg, timer.timeout_tick & 0xFFFFFFFF, "arg")
        elif cmd == RT_TIMER_CTRL_GET_FUNC:
            kernel.args.write32(arg, timer.func, "arg")
        elif cmd == RT_TIMER_CTRL_SET_FUNC:
            timer.func = arg
        elif cmd == RT_TIMER_CTRL_GET_PARM:
            kernel.args.write32(arg, timer.parameter, "arg")
        elif cmd == RT_TIMER_CTRL_SET_PARM:
            timer.parameter = arg
        else:
            return -ipc.RT_ERROR
        return ipc.RT_EOK

    # ------------------------------------------------------------------ expiry -------
    def _due(self, soft):
        """The active timers of that kind due now, in firing order."""
        tick = self.kernel.tick
        due = [t for t in self.kernel.timers if t.soft == soft and t.due(tick)]
        due.sort(key=lambda t: (t.timeout_tick, t.order))
        return due

    def next_due(self):
        """The tick of the next HARD timer expiry, or None (the idle loop jumps to it)."""
        best = None
        for timer in self.kernel.timers:
            if not timer.soft and (best is None or timer.timeout_tick < best):
                best = timer.timeout_tick
        return best

    def _fire(self, timer):
        """Take a due timer off the list; a one-shot one is stopped before its callback."""
        self.kernel.timers.remove(timer)
        if not timer.flag & kobjects.RT_TIMER_FLAG_PERIODIC:
            timer.flag &= ~kobjects.RT_TIMER_FLAG_ACTIVATED
        self.ipc.sync(timer)

    def _after(self, timer):
        """After the callback: a periodic timer that neither stopped nor restarted itself
        starts again from now."""
        if timer.handle in self.kernel.objects and timer.active and \
                timer not in self.kernel.timers:
            self.start_timer(timer)
            self.ipc.sync(timer)

    def expire(self):
        """The tick interrupt: run the callbacks of every due HARD timer, and see that the
        timer thread lives while soft timers are active (its last one may have died with a
        module that faulted in a callback)."""
        kernel = self.kernel
        thread = self.thread
        soft = False
        for timer in kernel.timers:
            if timer.soft:
                soft = True
                break
        if thread is None or thread.state == THREAD_CLOSED:
            if soft:
                self._make_thread()
        elif not soft and thread.state == THREAD_BLOCKED and thread.wait is None and \
                self.running is None:
            # no soft timer is left: the thread asks again and ends
            kernel.scheduler.wake(thread, 0, None)
        if not kernel.timers:
            return
        for timer in self._due(False):
            if timer not in kernel.timers:      # stopped by an earlier callback
                continue
            self._fire(timer)
            if not timer.func:
                continue
            module = timer.module
            try:
                kernel.drive(_call(timer.func, timer.parameter))
            except ModuleFault as fault:
                if module is None:
                    raise
                faults.kill_module(kernel, module, faults.in_callback(
                    module, "hard timer '%s'" % timer.name, fault))
                continue
            self._after(timer)

    # ------------------------------------------------------------- timer thread ------
    def _wake_thread_for(self, timer):
        kernel = self.kernel
        thread = self.thread
        if thread is None or thread.state == THREAD_CLOSED:
            self._make_thread()
            return
        if thread.state == THREAD_BLOCKED and thread.wait is None and \
                (thread.wake_tick is None or thread.wake_tick > timer.timeout_tick):
            thread.wake_tick = timer.timeout_tick
            if thread.wake_tick < kernel.tick:
                thread.wake_tick = kernel.tick

    def _make_thread(self):
        kernel = self.kernel
        thread = Thread("timer", None, kernel.addresses["__rtdl_timer_thread"] | 1,
                        RT_TIMER_THREAD_STACK_SIZE, RT_TIMER_THREAD_PRIO)
        try:
            stacks.allocate(kernel, thread, (0,), kernel.addresses["rt_thread_exit"])
        except HeapError as error:
            kernel.scheduler.release_thread(thread)
            raise ModuleFault("kernel: no memory for the timer thread (%s)" % error)
        thread.state = THREAD_INIT
        kernel.scheduler.add(thread)
        kernel.scheduler.make_ready(thread)
        self.thread = thread
        self.running = None

    def is_timer_thread(self, thread):
        return thread is self.thread

    def next_job(self, args):
        """__rtdl_timer_next(job*) for the timer thread: 1 with {function, parameter} of a
        due soft timer written to job; 0 after a wait (ask again); -1 when no soft timer is
        active (the thread ends)."""
        kernel = self.kernel
        thread = kernel.current
        if thread is None or thread is not self.thread:
            raise ModuleFault("%s: __rtdl_timer_next is the timer thread's"
                              % caller(kernel))
        if self.running is not None:
            timer, self.running = self.running, None
            if thread.module is not None and thread in thread.module.threads:
                thread.module.threads.remove(thread)
            thread.module = None
            self._after(timer)
        for timer in self._due(True):
            self._fire(timer)
            if not timer.func:
                self._after(timer)
                continue
            self.running = timer
            # the callback runs as its module's code: its faults and objects are the module's
            thread.module = timer.module
            if timer.module is not None:
                timer.module.threads.append(thread)
                kernel.imageprot.enter(timer.module)
            kernel.memory.write(args[0], struct.pack("<II", timer.func, timer.parameter))
            return 1
        wake = None
        for timer in kernel.timers:
            if timer.soft and (wake is None or timer.timeout_tick < wake):
                wake = timer.timeout_tick
        if wake is None:
            self.thread = None
            return -1 & 0xFFFFFFFF
        return kernel.scheduler.block(None, max(wake - kernel.tick, 1))


def _call(fn, parameter):
    yield (fn, (parameter,))
