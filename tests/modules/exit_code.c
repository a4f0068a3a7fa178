/* exit() from a nested call inside the module ends the whole module with that code;
 * nothing after the call runs. */
#include <stdio.h>
#include <stdlib.h>

volatile int exit_status = 7;

static void __attribute__((noinline)) finish(const char *why)
{
    printf("exit_code: %s, calling exit(%d)\n", why, exit_status);
    exit(exit_status);
}

static int __attribute__((noinline)) work(int n)
{
    if (n > 2)
        finish("work done");
    printf("exit_code: not reached (work)\n");
    return n;
}

int main(int argc, char *argv[])
{
    int r = work(3);

    printf("exit_code: not reached (main %d)\n", r);
    return 0;
}
