/* tx_complete as a DMA-TX driver reports it: called after a write with the buffer written,
 * in interrupt context, releasing a semaphore the writer waits on. Usage: dev_txdone DEVICE */
#include <rtthread.h>

static struct rt_semaphore tx_sem;
static const void *completed;
static const char message[] = "sent";

static rt_err_t on_tx(rt_device_t dev, void *buffer)
{
    completed = buffer;
    return rt_sem_release(&tx_sem);
}

int main(int argc, char **argv)
{
    rt_device_t dev = rt_device_find(argv[1]);
    rt_sem_init(&tx_sem, "tx", 0, RT_IPC_FLAG_FIFO);
    rt_device_open(dev, RT_DEVICE_OFLAG_RDWR);
    rt_device_set_tx_complete(dev, on_tx);
    rt_kprintf("wrote %d\n", (int)rt_device_write(dev, 0, message, 4));
    rt_kprintf("take %d buffer %s\n", (int)rt_sem_take(&tx_sem, 1000),
               completed == message ? "ours" : "other");
    rt_device_close(dev);
    rt_kprintf("after close %d\n", dev->tx_complete == RT_NULL);
    rt_sem_detach(&tx_sem);
    return 0;
}
