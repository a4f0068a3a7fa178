/* dlmodule_exec of a program whose main thread finds no room (argv[1]: its path; built with
 * -DBIG_STACK it asks for a 1 MiB stack through dlmodule_thread_stacksize, more than the
 * heap holds): the exec returns RT_NULL and the program it loaded is unloaded again, nothing
 * of it left. */
#include <rtthread.h>
#include <dlmodule.h>
#include <stdio.h>
#include <string.h>

#ifdef BIG_STACK
const rt_uint32_t dlmodule_thread_stacksize = 1024 * 1024;
#endif

int main(int argc, char *argv[])
{
    const char *path = argc > 1 ? argv[1] : "-";
    if (!strcmp(path, "-"))
        return 0;
    struct rt_dlmodule *child = dlmodule_exec(path, "exec_nostack -", 14);
    printf("exec_nostack: dlmodule_exec returned %s\n", child ? "a module" : "RT_NULL");
    return 0;
}
