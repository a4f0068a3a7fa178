"""rt_sem_control, rt_mutex_control, rt_event_control, rt_mb_control and rt_mq_control with
RT-Thread 5.x's commands (src/ipc.c): RT_IPC_CMD_RESET wakes every thread waiting on the object
(their calls return -RT_ERROR, as _ipc_list_resume_all leaves them) and empties it - a
semaphore takes the value given as `arg`, an event clears its set, a mailbox or message queue
drops its entries. Any other command is -RT_ERROR; rt_mutex_control implements no command
and returns -RT_EINVAL. Imports: ipc, kobjects.
"""
from . import ipc
from . import kobjects

RT_IPC_CMD_RESET = 0x01
RT_EINVAL = 10


class IpcControlServices:
    def __init__(self, kernel):
        self.kernel = kernel
        self.ipc = kernel.ipc_services

    def handlers(self):
        synced = self.ipc._synced
        return tuple((name, synced(fn)) for name, fn in (
            ("rt_sem_control", self.sem_control),
            ("rt_mutex_control", self.mutex_control),
            ("rt_event_control", self.event_control),
            ("rt_mb_control", self.mb_control),
            ("rt_mq_control", self.mq_control)))

    def _reset(self, obj):
        """Every waiter (receivers and blocked senders) wakes with -RT_ERROR."""
        self.kernel.scheduler.apply(obj.destroy(), obj)

    def sem_control(self, args):
        sem = self.ipc._object(args[0], ipc.Semaphore, "rt_sem_control")
        if args[1] != RT_IPC_CMD_RESET:
            return -ipc.RT_ERROR
        self._reset(sem)
        sem.value = args[2] & ipc.RT_SEM_VALUE_MAX
        return ipc.RT_EOK

    def mutex_control(self, args):
        self.ipc._object(args[0], ipc.Mutex, "rt_mutex_control")
        return -RT_EINVAL

    def event_control(self, args):
        event = self.ipc._object(args[0], ipc.Event, "rt_event_control")
        if args[1] != RT_IPC_CMD_RESET:
            return -ipc.RT_ERROR
        self._reset(event)
        event.set = 0
        return ipc.RT_EOK

    def mb_control(self, args):
        mb = self.ipc._object(args[0], ipc.Mailbox, "rt_mb_control")
        if args[1] != RT_IPC_CMD_RESET:
            return -ipc.RT_ERROR
        self._reset(mb)
        mb.entries = []
        mb.out = 0
        return ipc.RT_EOK

    def mq_control(self, args):
        mq = self.ipc._object(args[0], kobjects.MessageQueue, "rt_mq_control")
        if args[1] != RT_IPC_CMD_RESET:
            return -ipc.RT_ERROR
        self._reset(mq)
        mq.messages = []
        return ipc.RT_EOK
