/* Round robin: two CPU-bound threads of equal priority. Each computes, marks itself halfway
 * and then spins until the other is halfway too - which only happens if time slices hand the
 * CPU over (neither thread ever blocks or yields). */
#include <rtthread.h>

#define N 200000

static volatile int halfway[2];
static volatile unsigned work[2];
static rt_sem_t done;

static void worker(void *parameter)
{
    int me = (int)parameter;
    unsigned i;

    for (i = 0; i < N; i++)
        work[me] += i ^ (work[me] >> 3);
    halfway[me] = 1;
    while (!halfway[!me])
        ;
    for (i = 0; i < N; i++)
        work[me] += i ^ (work[me] >> 3);
    rt_kprintf("worker %c: finished %d iterations\n", 'a' + me, 2 * N);
    rt_sem_release(done);
}

int main(int argc, char *argv[])
{
    done = rt_sem_create("done", 0, RT_IPC_FLAG_FIFO);
    rt_thread_startup(rt_thread_create("a", worker, (void *)0, 2048, 20, 2));
    rt_thread_startup(rt_thread_create("b", worker, (void *)1, 2048, 20, 2));
    rt_sem_take(done, RT_WAITING_FOREVER);
    rt_sem_take(done, RT_WAITING_FOREVER);
    rt_kprintf("main: both workers finished, same work: %s\n",
               work[0] == work[1] ? "yes" : "no");
    return 0;
}
