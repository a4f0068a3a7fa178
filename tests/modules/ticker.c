/* Prints `tick N` every 100 ms (rt_thread_mdelay), N from 1 up to the count in argv[1] (default
 * 50), then `ticker: done`: a module that goes on in the background while a REPL or a shell
 * waits for its user. */
#include <rtthread.h>
#include <stdlib.h>

int main(int argc, char *argv[])
{
    int count = argc > 1 ? atoi(argv[1]) : 50;
    int i;

    for (i = 1; i <= count; i++) {
        rt_kprintf("tick %d\n", i);
        rt_thread_mdelay(100);
    }
    rt_kprintf("ticker: done\n");
    return 0;
}
