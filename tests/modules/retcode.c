/* main's return value is the module's exit code (RT-Thread drops it: defect 13). */
#include <stdio.h>

int main(int argc, char *argv[])
{
    printf("retcode: returning 42\n");
    return 42;
}
