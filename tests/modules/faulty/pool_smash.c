/* A write past a memory pool block over the header of the block after it (RT-Thread's
 * rt_mp_free follows that header to its pool and crashes): rt_mp_free of the next block
 * must fault naming the pool, the block and what the header holds now. */
#include <rtthread.h>
#include <stdio.h>
#include <string.h>
static volatile int n = 24;
int main(void)
{
    rt_mp_t mp = rt_mp_create("mp", 4, 16);
    char *b = rt_mp_alloc(mp, 0), *c = rt_mp_alloc(mp, 0);
    memset(b, 0x77, n);
    rt_mp_free(c);
    printf("not reached\n");
    return 0;
}
