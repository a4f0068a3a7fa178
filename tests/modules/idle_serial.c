/* An idle hook while a serial line backed by the host is open (tests/test_serial.py): the
 * idle thread calls the hooks whenever nothing else is ready, also while the board waits
 * for the line in host time. Opens DEVICE, sleeps 100 ticks and says whether the hook ran.
 * Usage: idle_serial DEVICE */
#include <rtthread.h>

static volatile int idle_calls;

static void count_idle(void)
{
    idle_calls++;
}

int main(int argc, char **argv)
{
    if (argc != 2)
        return 2;
    rt_device_t dev = rt_device_find(argv[1]);
    if (dev == RT_NULL || rt_device_open(dev, RT_DEVICE_OFLAG_RDWR | RT_DEVICE_FLAG_INT_RX))
        return 1;
    rt_thread_idle_sethook(count_idle);
    rt_thread_mdelay(100);
    rt_thread_idle_delhook(count_idle);
    rt_device_close(dev);
    rt_kprintf("idle hook %s\n", idle_calls > 0 ? "ran" : "did not run");
    return 0;
}
