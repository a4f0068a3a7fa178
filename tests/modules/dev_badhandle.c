/* A module that hands rt_device_read a semaphore: its fault names the service. */
#include <rtthread.h>
int main(void)
{
    char buf[4];
    rt_sem_t sem = rt_sem_create("notdev", 0, RT_IPC_FLAG_FIFO);
    rt_device_read((rt_device_t)sem, 0, buf, sizeof buf);
    rt_kprintf("not reached\n");
    return 0;
}
