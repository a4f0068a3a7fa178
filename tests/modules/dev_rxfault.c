/* A receive callback with a bug: it writes through NULL in the "interrupt". The fault is
 * the module's, named after the callback and the device; the module's waiting thread ends
 * with it. Usage: dev_rxfault DEVICE */
#include <rtthread.h>

static rt_err_t on_rx(rt_device_t dev, rt_size_t size)
{
    *(volatile int *)0 = (int)size;
    return RT_EOK;
}

int main(int argc, char **argv)
{
    rt_device_t dev = rt_device_find(argv[1]);
    rt_device_set_rx_indicate(dev, on_rx);
    rt_device_open(dev, RT_DEVICE_OFLAG_RDWR);
    rt_kprintf("waiting\n");
    rt_thread_mdelay(20000);
    rt_kprintf("not reached\n");
    return 0;
}
