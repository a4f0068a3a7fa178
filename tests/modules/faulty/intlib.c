/* A library that stays loaded while a faulty program damages what it has (the test loads it
 * first): its semaphore, made by its constructor and so owned by it, and its code. */
#include <rtthread.h>

static rt_sem_t sem;

__attribute__((constructor)) static void make_sem(void)
{
    sem = rt_sem_create("intsem", 1, RT_IPC_FLAG_PRIO);
}

rt_sem_t lib_sem(void)
{
    return sem;
}

/* 1 when the semaphore still works as made: taken once, not twice, given back */
int lib_take(void)
{
    int first = rt_sem_take(sem, 0) == RT_EOK;
    int second = rt_sem_take(sem, 0) == -RT_ETIMEOUT;
    rt_sem_release(sem);
    return first && second && sem->value == 1;
}

int lib_add(int a, int b)
{
    return a + b;
}

/* its own writable data, changed only through its functions (tests/test_containment_crossprot.py) */
int lib_counter = 5;
int lib_zero;
/* constants over more than a page: pages no module may write, not even one holding it */
const unsigned char lib_table[2048] = {1, 2, 3};

int lib_bump(void)
{
    lib_zero += 1;
    return ++lib_counter * 100 + lib_zero;
}
