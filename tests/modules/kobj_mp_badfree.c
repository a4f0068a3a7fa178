/* rt_mp_free of a pointer no pool handed out is the module's fault. */
#include <rtthread.h>

int main(void)
{
    static int not_a_block[4];
    rt_mp_t mp = rt_mp_create("mp", 2, 8);
    rt_mp_alloc(mp, 0);
    rt_mp_free(&not_a_block[2]);
    rt_kprintf("not reached\n");
    return 0;
}
