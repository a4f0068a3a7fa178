/* finsh_cmds - a module that registers msh commands and init functions (issue 9): two
 * MSH_CMD_EXPORT commands, one alias, one FINSH_FUNCTION_EXPORT function, a command that
 * faults, and INIT_*_EXPORT functions at four levels (declared out of order, one failing),
 * which the kernel runs at load in level order and which record that order in `init_order`. */
#include <rtthread.h>
#include <finsh.h>

char init_order[8];
static int init_count;

static void note(char level)
{
    if (init_count < (int)sizeof(init_order) - 1)
        init_order[init_count++] = level;
}

static int app_init(void)      { note('6'); rt_kprintf("app init\n"); return 0; }
static int board_init(void)    { note('1'); return 0; }
static int device_init(void)   { note('3'); return 0; }
int env_init_fails(void)        { note('5'); return -RT_ENOMEM; }
INIT_APP_EXPORT(app_init);
INIT_DEVICE_EXPORT(device_init);
INIT_ENV_EXPORT(env_init_fails);
INIT_BOARD_EXPORT(board_init);

static int greet(int argc, char **argv)
{
    int i;
    rt_kprintf("greet argc=%d init=%s", argc, init_order);
    for (i = 0; i < argc; i++)
        rt_kprintf(" [%s]", argv[i]);
    rt_kprintf("\n");
    return argc;
}
MSH_CMD_EXPORT(greet, say hello with the arguments);

static void counter_entry(void *parameter)
{
    int i;
    for (i = 0; i < 3; i++)
    {
        rt_kprintf("count %d of %s\n", i, (const char *)parameter);
        rt_thread_mdelay(10);
    }
}

static int count_thread(int argc, char **argv)
{
    rt_thread_t tid = rt_thread_create("counter", counter_entry, (void *)"count_thread",
                                       1024, 10, 5);
    if (tid == RT_NULL)
        return -1;
    rt_thread_startup(tid);
    return 0;
}
MSH_CMD_EXPORT_ALIAS(count_thread, count, start a thread that counts to three);

int crash(int argc, char **argv)
{
    volatile int *null = (volatile int *)0;
    *null = argc;
    return 0;
}
MSH_CMD_EXPORT(crash, write through a null pointer);

long finsh_answer(void)
{
    rt_kprintf("the answer is 42\n");
    return 42;
}
FINSH_FUNCTION_EXPORT(finsh_answer, a finsh function);
