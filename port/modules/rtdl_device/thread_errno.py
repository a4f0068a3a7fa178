"""One errno per thread, the same value through newlib's `errno` and rt_get_errno/_rt_errno,
as RT-Thread's newlib port makes them one. The value of the thread on the CPU lives in newlib's
own errno word (the first word of the reent libc runs on, `word`), so DFS's `errno = -ENOENT`,
strtol's ERANGE and rt_set_errno all meet there; at each switch the kernel keeps the word in
the leaving thread's struct rt_thread `error`, points libc at the arriving thread's reent
(libcstate.py: a module thread's own, else the system's) and loads its `error` into that
reent's word (switch). Code run outside any thread (constructors, hard timers) runs on the
system reent and its errno. Without the word (a kernel with no firmware data) every
thread's errno is its `error` field alone.
Imports: tcb, records.
"""
from . import tcb as rt_tcb
from .records import THREAD_CLOSED


class ThreadErrno:
    def __init__(self, kernel):
        self.kernel = kernel
        self.word = 0                 # newlib's errno, set once the firmware has booted
        self.owner = None             # the thread whose errno the word holds

    def switch(self, thread):
        """`thread` takes the CPU: the word goes back to its owner, then holds thread's."""
        word = self.word
        if not word or thread is self.owner:
            return
        memory = self.kernel.memory
        owner = self.owner
        if owner is not None and owner.tcb and owner.state != THREAD_CLOSED:
            memory.write32(owner.tcb + rt_tcb.ERROR, memory.read32(word))
        self.owner = thread
        word = self.kernel.libc.enter(thread) or word
        self.word = word
        if thread.tcb:
            memory.write32(word, memory.read32(thread.tcb + rt_tcb.ERROR))

    def address(self, thread):
        """Where `thread`'s errno is now (_rt_errno for the calling thread)."""
        if self.word and thread is self.owner:
            return self.word
        return thread.tcb + rt_tcb.ERROR

    def get(self, thread):
        return self.kernel.memory.read32(self.address(thread))

    def set(self, thread, value):
        self.kernel.memory.write32(self.address(thread), value & 0xFFFFFFFF)

    def forget(self, thread):
        """A thread ended: the word is no longer its (its struct and reent may be freed)."""
        libc = self.kernel.libc
        libc.release(thread)
        if thread is self.owner:
            self.owner = None
            if libc.pointer:
                self.word = libc.system
