/* rt_sem_delete of a static semaphore is the module's fault (RT-Thread asserts). */
#include <rtthread.h>

static struct rt_semaphore sem;

int main(void)
{
    rt_sem_init(&sem, "ssem", 0, RT_IPC_FLAG_FIFO);
    rt_sem_delete(&sem);
    rt_kprintf("not reached\n");
    return 0;
}
