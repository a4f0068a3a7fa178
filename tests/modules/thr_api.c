/* Thread API edges: rt_thread_create refusing bad arguments, rt_thread_delete of a blocked
 * thread, of a thread never started and of the caller itself, a thread deleting itself, and
 * (`thr_api bad`) a semaphore call on a mutex handle, which faults naming the module. When
 * main deletes itself, the module ends with its last thread. */
#include <string.h>
#include <rtthread.h>

static rt_sem_t never, done;

static void blocked(void *parameter)
{
    rt_sem_take(never, RT_WAITING_FOREVER);
    rt_kprintf("blocked: woke up (must not happen)\n");
}

static void self_deleter(void *parameter)
{
    rt_kprintf("self_deleter: deleting itself\n");
    rt_sem_release(done);
    rt_thread_delete(rt_thread_self());
    rt_kprintf("self_deleter: still running (must not happen)\n");
}

static void last(void *parameter)
{
    rt_thread_mdelay(5);
    rt_kprintf("last: the module's last thread returns\n");
}

int main(int argc, char *argv[])
{
    rt_thread_t b, unborn;

    if (argc > 1 && strcmp(argv[1], "bad") == 0) {
        rt_mutex_t m = rt_mutex_create("m", RT_IPC_FLAG_PRIO);
        rt_kprintf("thr_api: rt_sem_take on a mutex\n");
        rt_sem_take((rt_sem_t)m, 0);
        rt_kprintf("thr_api: survived (must not happen)\n");
        return 1;
    }
    rt_kprintf("bad priority: %s, tiny stack: %s, no entry: %s\n",
               rt_thread_create("p", blocked, RT_NULL, 1024, 32, 10) ? "created" : "NULL",
               rt_thread_create("s", blocked, RT_NULL, 16, 10, 10) ? "created" : "NULL",
               rt_thread_create("e", RT_NULL, RT_NULL, 1024, 10, 10) ? "created" : "NULL");
    never = rt_sem_create("never", 0, RT_IPC_FLAG_PRIO);
    done = rt_sem_create("done", 0, RT_IPC_FLAG_PRIO);
    b = rt_thread_create("blocked", blocked, RT_NULL, 1024, 10, 10);
    unborn = rt_thread_create("unborn", blocked, RT_NULL, 1024, 10, 10);
    rt_kprintf("startup: %d, again: %d\n", (int)rt_thread_startup(b), (int)rt_thread_startup(b));
    rt_kprintf("delete blocked: %d, delete unborn: %d\n", (int)rt_thread_delete(b),
               (int)rt_thread_delete(unborn));
    rt_thread_startup(rt_thread_create("selfdel", self_deleter, RT_NULL, 1024, 20, 10));
    rt_sem_take(done, RT_WAITING_FOREVER);
    rt_thread_startup(rt_thread_create("last", last, RT_NULL, 1024, 20, 10));
    rt_kprintf("main: deleting itself\n");
    rt_thread_delete(rt_thread_self());
    rt_kprintf("main: still running (must not happen)\n");
    return 1;
}
