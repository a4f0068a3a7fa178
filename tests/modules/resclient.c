/* A client of reslib (loaded by the host): one request through its mailboxes, the answer
 * printed; with argv[1] "stuck" it then waits for ever on a semaphore of its own. */
#include <rtthread.h>
#include <dlmodule.h>
#include <dlfcn.h>
#include <string.h>

int main(int argc, char **argv)
{
    struct rt_dlmodule *library = dlmodule_find("reslib");
    rt_mailbox_t *requests, *replies;
    rt_ubase_t answer = 0;
    if (!library)
        return 2;
    requests = (rt_mailbox_t *)dlsym(library, "reslib_requests");
    replies = (rt_mailbox_t *)dlsym(library, "reslib_replies");
    if (!requests || !replies || rt_mb_send(*requests, 21) != RT_EOK ||
        rt_mb_recv(*replies, &answer, 100) != RT_EOK)
        return 3;
    rt_kprintf("reply %d\n", (int)answer);
    if (argc > 1 && strcmp(argv[1], "stuck") == 0) {
        rt_sem_t never = rt_sem_create("never", 0, RT_IPC_FLAG_FIFO);
        rt_sem_take(never, RT_WAITING_FOREVER);
    }
    return 0;
}
