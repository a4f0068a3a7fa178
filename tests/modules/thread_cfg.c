/* Configures its main thread the RT-Thread way (dlmodule_thread_priority and
 * dlmodule_thread_stacksize, read by the loader) and reports what it got: the values in its
 * struct rt_dlmodule and where its stack is. `thread_cfg [CODE]` returns CODE from main. */
#include <stdio.h>
#include <stdlib.h>

#include <dlmodule.h>

const rt_uint16_t dlmodule_thread_priority = 12;
const rt_uint32_t dlmodule_thread_stacksize = 3072;

int main(int argc, char *argv[])
{
    struct rt_dlmodule *self = dlmodule_self();
    volatile int local = 0;

    printf("thread_cfg: priority %d, stack_size %u\n", self->priority,
           (unsigned)self->stack_size);
    printf("thread_cfg: local variable at 0x%08x\n", (unsigned)&local);
    return argc > 1 ? atoi(argv[1]) : local;
}
