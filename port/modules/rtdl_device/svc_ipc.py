"""IPC services for C code: semaphores, mutexes, events and mailboxes (state and wait queues
in ipc.py; blocking and waking in scheduler.py). Each object's C handle is a control block in
the heap; the object belongs to the module that created it and is destroyed with it.
Imports: ipc, objblocks, loader (RT_NAME_MAX), svc_thread (caller names), symtab, rterror.
"""
from . import ipc
from . import objblocks
from .loader import RT_NAME_MAX
from .rterror import HeapError, ModuleFault, RtdlError
from .svc_thread import caller, creator, signed



class IpcServices:
    def __init__(self, kernel):
        self.kernel = kernel
        self.touched = []            # objects the running service changed (sync)

    def handlers(self):
        return tuple((name, self._synced(fn)) for name, fn in self.own_handlers())

    def own_handlers(self):
        return (("rt_sem_create", self.sem_create),
                ("rt_sem_delete", self.sem_delete),
                ("rt_sem_take", self.sem_take),
                ("rt_sem_trytake", self.sem_trytake),
                ("rt_sem_release", self.sem_release),
                ("rt_mutex_create", self.mutex_create),
                ("rt_mutex_delete", self.mutex_delete),
                ("rt_mutex_take", self.mutex_take),
                ("rt_mutex_trytake", self.mutex_trytake),
                ("rt_mutex_release", self.mutex_release),
                ("rt_event_create", self.event_create),
                ("rt_event_delete", self.event_delete),
                ("rt_event_send", self.event_send),
                ("rt_event_recv", self.event_recv),
                ("rt_mb_create", self.mb_create),
                ("rt_mb_delete", self.mb_delete),
                ("rt_mb_send", self.mb_send),
                ("rt_mb_send_wait", self.mb_send_wait),
                ("rt_mb_recv", self.mb_recv),
                ("rt_sem_init", self.sem_init),
                ("rt_sem_detach", self.sem_detach),
                ("rt_mutex_init", self.mutex_init),
                ("rt_mutex_detach", self.mutex_detach),
                ("rt_event_init", self.event_init),
                ("rt_event_detach", self.event_detach),
                ("rt_mb_init", self.mb_init),
                ("rt_mb_detach", self.mb_detach),
                ("rt_mb_urgent", self.mb_urgent))

    # ------------------------------------------------------------------ objects ---------
    def _object(self, handle, cls, service):
        obj = self.kernel.objects.get(handle)
        if obj is None or not isinstance(obj, cls):
            raise ModuleFault("%s: %s: 0x%08x is not a %s (%s)"
                              % (caller(self.kernel), service, handle, cls.kind,
                                 "it is %s" % obj.describe() if obj is not None else
                                 "deleted, or never created"))
        self.touched.append(obj)
        return obj

    def _synced(self, handler):
        """The handler, then every object it touched has its C struct fields written."""
        def run(args):
            self.touched = []
            try:
                return handler(args)
            finally:
                for obj in self.touched:
                    self.sync(obj)
                self.touched = []
        return run

    def sync(self, obj):
        if obj.handle in self.kernel.objects:
            objblocks.sync(self.kernel.memory, obj)

    def _name(self, name_ptr):
        return self.kernel.args.string(name_ptr, "name", null="")[:RT_NAME_MAX]

    def _new_object(self, cls, name_ptr, flag, *extra):
        """The object's control block (RT-Thread's struct for its kind) in the heap is its
        C handle; 0 when the heap is full."""
        kernel = self.kernel
        name = self._name(name_ptr)
        handle = kernel.heap.malloc(objblocks.size_of(cls))
        if not handle:
            kernel.set_error(HeapError("%s: no memory for %s '%s'" % (caller(kernel),
                                                                       cls.kind, name)))
            return 0
        return self.register(cls(name, flag & 0xFF, handle, creator(kernel), *extra))

    def register(self, obj):
        """Enter a new object: its struct written, owned by its module."""
        kernel = self.kernel
        module = obj.module
        kernel.objects[obj.handle] = obj
        if module is not None:
            module.objects.append(obj)
        objblocks.write_header(kernel.memory, obj, module.handle if module else 0)
        self.touched.append(obj)
        return obj.handle

    def check_struct(self, handle, cls, service):
        """A module's own struct for a static object (_init): it must lie in memory the
        caller may write (svc_args.py) and not be an object already."""
        kernel = self.kernel
        size = objblocks.size_of(cls)
        problem = kernel.args.write_problem(handle, size)
        if problem is not None:
            raise ModuleFault("%s: %s: 0x%08x is not a writable struct %s (expected %d "
                              "bytes of the caller's memory: it %s)"
                              % (caller(kernel), service, handle, cls.struct, size, problem))
        if handle in kernel.objects:
            raise ModuleFault("%s: %s: 0x%08x is already %s (detach it first)"
                              % (caller(kernel), service, handle,
                                 kernel.objects[handle].describe()))

    def init_object(self, handle, cls, service, name_ptr, flag, *extra):
        """_init: the object lives in the module's struct at `handle` (RT-Thread's static
        object), owned by the calling module and detached when it ends."""
        self.check_struct(handle, cls, service)
        obj = cls(self._name(name_ptr), flag & 0xFF, handle, creator(self.kernel), *extra)
        obj.dynamic = False
        self.register(obj)
        return ipc.RT_EOK

    def destroy_object(self, obj):
        """Delete or detach an object: its waiters wake with -RT_ERROR, a created object's
        control block (and pool) is freed."""
        kernel = self.kernel
        scheduler = kernel.scheduler
        wakeups = obj.destroy()
        if isinstance(obj, ipc.Mutex) and obj.owner is not None:
            owner = obj.owner
            if obj in owner.held:
                owner.held.remove(obj)
            obj.owner = None
            scheduler.update_priority(owner)
        if obj in kernel.timers:
            obj.stop()
            kernel.timers.remove(obj)
        scheduler.apply(wakeups, obj)
        if obj.handle in kernel.objects:
            del kernel.objects[obj.handle]
            if obj.dynamic:
                pool = getattr(obj, "pool", 0) or getattr(obj, "heap_pool", 0)
                if pool:
                    kernel.heap.free(pool)
                kernel.heap.free(obj.handle)
            else:
                # a detached object reads as one no more (RT-Thread clears its type)
                kernel.memory.write8(obj.handle + 8, 0)
        if obj.module is not None and obj in obj.module.objects:
            obj.module.objects.remove(obj)

    def _detach(self, args, cls, service):
        obj = self._object(args[0], cls, service)
        if obj.dynamic:
            raise ModuleFault("%s: %s of %s, which rt_%s_create made (expected "
                              "rt_%s_delete)" % (caller(self.kernel), service, obj.describe(),
                                                 service[3:].split("_")[0],
                                                 service[3:].split("_")[0]))
        self.destroy_object(obj)
        return ipc.RT_EOK

    def _delete(self, args, cls, service):
        obj = self._object(args[0], cls, service)
        if not obj.dynamic:
            raise ModuleFault("%s: %s of %s, a static object made by _init (expected its "
                              "_detach)" % (caller(self.kernel), service, obj.describe()))
        self.destroy_object(obj)
        return ipc.RT_EOK

    def _wait(self, obj, timeout, value=None, ptr=0, sender=False):
        """The caller cannot have `obj` now: -RT_ETIMEOUT at once for a timeout of 0, else
        it blocks (timeout in ticks, negative: RT_WAITING_FOREVER)."""
        timeout = signed(timeout)
        if timeout == 0:
            return -ipc.RT_ETIMEOUT
        return self.kernel.scheduler.block(obj, timeout, value, ptr, sender)

    def _released(self, obj, result, wakeups):
        self.kernel.scheduler.apply(wakeups, obj)
        return result

    # --------------------------------------------------------------- semaphores ---------
    def sem_create(self, args):
        if args[1] > ipc.RT_SEM_VALUE_MAX:
            self.kernel.set_error(RtdlError("%s: rt_sem_create: value %d (expected 0..%d)"
                                            % (caller(self.kernel), args[1],
                                               ipc.RT_SEM_VALUE_MAX)))
            return 0
        return self._new_object(ipc.Semaphore, args[0], args[2], args[1])

    def sem_init(self, args):
        """(sem, name, value, flag): RT-Thread asserts the value fits 16 bits."""
        if args[2] > ipc.RT_SEM_VALUE_MAX:
            raise ModuleFault("%s: rt_sem_init: value %d does not fit the semaphore (expected "
                              "0..%d)" % (caller(self.kernel), args[2], ipc.RT_SEM_VALUE_MAX))
        return self.init_object(args[0], ipc.Semaphore, "rt_sem_init", args[1], args[3],
                                args[2])

    def sem_detach(self, args):
        return self._detach(args, ipc.Semaphore, "rt_sem_detach")

    def sem_delete(self, args):
        return self._delete(args, ipc.Semaphore, "rt_sem_delete")

    def sem_take(self, args):
        sem = self._object(args[0], ipc.Semaphore, "rt_sem_take")
        if sem.take():
            return ipc.RT_EOK
        return self._wait(sem, args[1])

    def sem_trytake(self, args):
        return self.sem_take([args[0], 0])

    def sem_release(self, args):
        sem = self._object(args[0], ipc.Semaphore, "rt_sem_release")
        result, wakeups = sem.release()
        return self._released(sem, result, wakeups)

    # ------------------------------------------------------------------ mutexes ---------
    def mutex_create(self, args):
        return self._new_object(ipc.Mutex, args[0], args[1])

    def mutex_init(self, args):
        return self.init_object(args[0], ipc.Mutex, "rt_mutex_init", args[1], args[2])

    def mutex_detach(self, args):
        return self._detach(args, ipc.Mutex, "rt_mutex_detach")

    def mutex_delete(self, args):
        return self._delete(args, ipc.Mutex, "rt_mutex_delete")

    def mutex_take(self, args):
        mutex = self._object(args[0], ipc.Mutex, "rt_mutex_take")
        thread = self.kernel.current
        if thread is None:
            raise ModuleFault("kernel: rt_mutex_take of %s outside any thread (a mutex is "
                              "owned by a thread)" % mutex.describe())
        result = mutex.take(thread)
        if result is not None:
            if result == ipc.RT_EOK and mutex.hold == 1:
                thread.held.append(mutex)
            return result
        result = self._wait(mutex, args[1])
        if result is None:
            # the owner inherits the waiter's priority
            self.kernel.scheduler.update_priority(mutex.owner)
        return result

    def mutex_trytake(self, args):
        return self.mutex_take([args[0], 0])

    def mutex_release(self, args):
        mutex = self._object(args[0], ipc.Mutex, "rt_mutex_release")
        thread = self.kernel.current
        result, wakeups = mutex.release(thread)
        if result == ipc.RT_EOK and mutex.owner is not thread:
            thread.held.remove(mutex)
            self.kernel.scheduler.update_priority(thread)
        return self._released(mutex, result, wakeups)

    # ------------------------------------------------------------------- events ---------
    def event_create(self, args):
        return self._new_object(ipc.Event, args[0], args[1])

    def event_init(self, args):
        return self.init_object(args[0], ipc.Event, "rt_event_init", args[1], args[2])

    def event_detach(self, args):
        return self._detach(args, ipc.Event, "rt_event_detach")

    def event_delete(self, args):
        return self._delete(args, ipc.Event, "rt_event_delete")

    def event_send(self, args):
        event = self._object(args[0], ipc.Event, "rt_event_send")
        if args[1] == 0:
            return -ipc.RT_ERROR
        result, wakeups = event.send(args[1])
        return self._released(event, result, wakeups)

    def event_recv(self, args):
        """(event, set, option, timeout; recved* is the 5th argument, on the stack)."""
        kernel = self.kernel
        event = self._object(args[0], ipc.Event, "rt_event_recv")
        wanted, option = args[1], args[2]
        ptr = kernel.args.read32(kernel.cpu.sp(), "recved")
        if ptr:
            kernel.args.check_writable(ptr, 4, "recved")
        if wanted == 0 or not option & (ipc.RT_EVENT_FLAG_AND | ipc.RT_EVENT_FLAG_OR):
            return -ipc.RT_ERROR
        got = event.recv(wanted, option)
        if got:
            if ptr:
                kernel.memory.write32(ptr, got)
            return ipc.RT_EOK
        return self._wait(event, args[3], (wanted, option), ptr)

    # ---------------------------------------------------------------- mailboxes ---------
    def mb_create(self, args):
        if args[1] == 0 or args[1] > 0x10000:
            self.kernel.set_error(RtdlError("%s: rt_mb_create: size %d (expected 1..65536 "
                                            "entries)" % (caller(self.kernel), args[1])))
            return 0
        handle = self._new_object(ipc.Mailbox, args[0], args[2], args[1])
        if handle:
            # RT-Thread takes the ring of entries from the heap too
            pool = self.kernel.heap.malloc(args[1] * 4)
            mailbox = self.kernel.objects[handle]
            if not pool:
                self.destroy_object(mailbox)
                self.kernel.set_error(HeapError("%s: no memory for the %d entries of "
                                                "mailbox '%s'" % (caller(self.kernel),
                                                                  args[1], mailbox.name)))
                return 0
            mailbox.pool = pool
        return handle

    def mb_init(self, args):
        """(mb, name, msgpool, size in entries; flag is the 5th argument, on the stack)."""
        flag = self.kernel.memory.read32(self.kernel.cpu.sp())
        if args[3] == 0 or args[3] > 0xFFFF:
            raise ModuleFault("%s: rt_mb_init: size %d (expected 1..65535 entries)"
                              % (caller(self.kernel), args[3]))
        return self.init_object(args[0], ipc.Mailbox, "rt_mb_init", args[1], flag, args[3],
                                args[2])

    def mb_detach(self, args):
        return self._detach(args, ipc.Mailbox, "rt_mb_detach")

    def mb_urgent(self, args):
        mailbox = self._object(args[0], ipc.Mailbox, "rt_mb_urgent")
        result, wakeups = mailbox.send(args[1], True)
        return self._released(mailbox, result, wakeups)

    def mb_delete(self, args):
        return self._delete(args, ipc.Mailbox, "rt_mb_delete")

    def mb_send(self, args):
        mailbox = self._object(args[0], ipc.Mailbox, "rt_mb_send")
        result, wakeups = mailbox.send(args[1])
        return self._released(mailbox, result, wakeups)

    def mb_send_wait(self, args):
        mailbox = self._object(args[0], ipc.Mailbox, "rt_mb_send_wait")
        result, wakeups = mailbox.send(args[1])
        self.kernel.scheduler.apply(wakeups, mailbox)
        if result != -ipc.RT_EFULL:
            return result
        return self._wait(mailbox, args[2], args[1] & 0xFFFFFFFF, 0, True)

    def mb_recv(self, args):
        mailbox = self._object(args[0], ipc.Mailbox, "rt_mb_recv")
        if args[1]:
            self.kernel.args.check_writable(args[1], 4, "value")
        ok, value, wakeups = mailbox.recv()
        if ok:
            if args[1]:
                self.kernel.memory.write32(args[1], value)
            self.kernel.scheduler.apply(wakeups, mailbox)
            return ipc.RT_EOK
        return self._wait(mailbox, args[2], None, args[1])
