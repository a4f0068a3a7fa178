/* Memory pools: block sizes and counts, allocation timeouts (RT_NULL), a waiter given the
 * freed block, deletion with a waiter, a static pool in the module's memory. */
#include <rtthread.h>

static rt_mp_t mp;
static void *a, *b, *c;

static void taker(void *p)
{
    void *got = rt_mp_alloc(mp, RT_WAITING_FOREVER);
    rt_kprintf("taker: got a: %d\n", got == a);
}

static void loser(void *p)
{
    rt_kprintf("loser: got %p\n", rt_mp_alloc(mp, RT_WAITING_FOREVER));
}

static rt_uint8_t area[100];
static struct rt_mempool smp;

int main(void)
{
    rt_tick_t t;
    void *blk;

    mp = rt_mp_create("mp", 3, 10);
    rt_kprintf("block_size %d total %d free %d\n", (int)mp->block_size,
               (int)mp->block_total_count, (int)mp->block_free_count);
    a = rt_mp_alloc(mp, 0);
    b = rt_mp_alloc(mp, 0);
    c = rt_mp_alloc(mp, 0);
    rt_kprintf("three blocks: %d, stride %d, free %d\n", a && b && c,
               (int)((char *)b - (char *)a), (int)mp->block_free_count);
    rt_kprintf("empty: %p\n", rt_mp_alloc(mp, 0));
    t = rt_tick_get();
    blk = rt_mp_alloc(mp, 5);
    rt_kprintf("5 ticks: %p after %d ticks\n", blk, (int)(rt_tick_get() - t));
    rt_thread_startup(rt_thread_create("taker", taker, RT_NULL, 1024, 10, 10));
    rt_kprintf("free a\n");
    rt_mp_free(a);
    rt_kprintf("free count %d\n", (int)mp->block_free_count);
    rt_mp_free(b);
    rt_kprintf("free count %d\n", (int)mp->block_free_count);
    rt_mp_alloc(mp, 0);
    rt_thread_startup(rt_thread_create("loser", loser, RT_NULL, 1024, 10, 10));
    rt_kprintf("delete -> %d\n", (int)rt_mp_delete(mp));

    rt_kprintf("init -> %d\n", (int)rt_mp_init(&smp, "smp", area, sizeof area, 20));
    rt_kprintf("static: total %d free %d type 0x%x\n", (int)smp.block_total_count,
               (int)smp.block_free_count, smp.parent.type);
    blk = rt_mp_alloc(&smp, 0);
    rt_kprintf("first block at +%d, free %d\n", (int)((rt_uint8_t *)blk - area),
               (int)smp.block_free_count);
    rt_mp_free(blk);
    rt_kprintf("free %d, detach -> %d\n", (int)smp.block_free_count, (int)rt_mp_detach(&smp));
    /* left for the kernel to clean up with the module */
    mp = rt_mp_create("left", 4, 32);
    rt_mp_alloc(mp, 0);
    return 0;
}
