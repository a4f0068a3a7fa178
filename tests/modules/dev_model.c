/* RT-Thread's device model as a module sees it: lookups, the struct rt_device fields the
 * kernel keeps true (name, type, flag, open_flag, ref_count, callbacks), open counting,
 * errors of a closed device, and a block device's geometry and sectors.
 * Usage: dev_model DEVICE */
#include <string.h>
#include <rtthread.h>

static rt_err_t on_rx(rt_device_t dev, rt_size_t size) { return RT_EOK; }

int main(int argc, char **argv)
{
    char buf[512];
    rt_device_t dev = rt_device_find(argv[1]);
    rt_kprintf("missing %s\n", rt_device_find("nosuch") == RT_NULL ? "NULL" : "found");
    if (dev == RT_NULL)
        return 1;
    rt_kprintf("object_find same %d class %d system %d\n",
               (rt_device_t)rt_object_find(argv[1], RT_Object_Class_Device) == dev,
               rt_object_get_type(&dev->parent), rt_object_is_systemobject(&dev->parent));
    rt_kprintf("name %s type %d flag 0x%03x open_flag 0x%x ref %d\n", dev->parent.name,
               dev->type, dev->flag, dev->open_flag, dev->ref_count);
    rt_kprintf("closed read %d errno %d close %d\n", (int)rt_device_read(dev, 0, buf, 1),
               (int)rt_get_errno(), (int)rt_device_close(dev));
    rt_kprintf("init %d flag 0x%03x\n", (int)rt_device_init(dev), dev->flag);
    rt_kprintf("open %d open_flag 0x%x ref %d\n", (int)rt_device_open(dev, RT_DEVICE_OFLAG_RDWR),
               dev->open_flag, dev->ref_count);
    rt_kprintf("again %d ref %d\n", (int)rt_device_open(dev, RT_DEVICE_OFLAG_RDWR), dev->ref_count);
    rt_device_set_rx_indicate(dev, on_rx);
    rt_kprintf("rx_indicate set %d\n", dev->rx_indicate == on_rx);
    if (dev->type == RT_Device_Class_Block)
    {
        struct rt_device_blk_geometry geo;
        memset(&geo, 0, sizeof geo);
        rt_kprintf("geometry %d sectors %lu bytes %lu block %lu\n",
                   (int)rt_device_control(dev, RT_DEVICE_CTRL_BLK_GETGEOME, &geo),
                   (unsigned long)geo.sector_count, (unsigned long)geo.bytes_per_sector,
                   (unsigned long)geo.block_size);
        rt_device_read(dev, 1, buf, 1);
        rt_kprintf("sector 1 starts %.5s\n", buf);
        memset(buf, 'w', sizeof buf);
        rt_kprintf("write last %d past end %d\n",
                   (int)rt_device_write(dev, geo.sector_count - 1, buf, 1),
                   (int)rt_device_write(dev, geo.sector_count, buf, 1));
    }
    rt_kprintf("close %d ref %d open_flag 0x%x rx_indicate %d\n", (int)rt_device_close(dev),
               dev->ref_count, dev->open_flag, dev->rx_indicate != RT_NULL);
    rt_device_open(dev, RT_DEVICE_OFLAG_RDWR);      /* left open: the kernel closes it */
    return 0;
}
