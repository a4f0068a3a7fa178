/* A UART echo as RT-Thread code writes one: rx_indicate releases a semaphore (called in the
 * receive "interrupt"), the thread waits on it, reads what came and writes it back. Ends
 * after echoing COUNT bytes, or when no byte comes for TIMEOUT ms (then it says how many
 * ticks it waited). Usage: dev_echo DEVICE COUNT TIMEOUT */
#include <stdlib.h>
#include <rtthread.h>

static struct rt_semaphore rx_sem;
static volatile int indications;

static rt_err_t on_rx(rt_device_t dev, rt_size_t size)
{
    indications++;
    return rt_sem_release(&rx_sem);
}

int main(int argc, char **argv)
{
    char buf[64];
    int echoed = 0;
    if (argc != 4)
        return 2;
    int count = atoi(argv[2]);
    rt_tick_t timeout = atoi(argv[3]);
    rt_device_t dev = rt_device_find(argv[1]);
    if (dev == RT_NULL)
    {
        rt_kprintf("no device %s\n", argv[1]);
        return 1;
    }
    rt_sem_init(&rx_sem, "rx", 0, RT_IPC_FLAG_FIFO);
    rt_device_set_rx_indicate(dev, on_rx);
    if (rt_device_open(dev, RT_DEVICE_OFLAG_RDWR | RT_DEVICE_FLAG_INT_RX) != RT_EOK)
        return 1;
    rt_kprintf("open %s ref %d\n", dev->parent.name, dev->ref_count);
    while (echoed < count)
    {
        rt_ssize_t n = rt_device_read(dev, 0, buf, sizeof buf);
        if (n > 0)
        {
            rt_device_write(dev, 0, buf, n);
            echoed += n;
            continue;
        }
        rt_tick_t start = rt_tick_get();
        if (rt_sem_take(&rx_sem, timeout) != RT_EOK)
        {
            rt_kprintf("timeout after %d ticks\n", (int)(rt_tick_get() - start));
            break;
        }
    }
    rt_device_close(dev);
    rt_sem_detach(&rx_sem);
    rt_kprintf("echoed %d bytes, %s indications\n", echoed, indications > 0 ? "with" : "without");
    return 0;
}
