/* Opens files and a directory and never closes them; with "fault" it then crashes. The
 * kernel must close its descriptors and free its DIR either way. */
#include <stdio.h>
#include <string.h>
#include <dfs_posix.h>

int main(int argc, char **argv)
{
    int a = open("/owned_a.txt", O_WRONLY | O_CREAT | O_TRUNC, 0);
    int b = open("/owned_b.txt", O_RDWR | O_CREAT, 0);
    DIR *d = opendir("/");
    FILE *fp = fopen("/owned_c.txt", "w");
    write(a, "left open", 9);
    fputs("buffered", fp);
    printf("fds %d %d dir %s file %s\n", a, b, d ? "open" : "NULL", fp ? "open" : "NULL");
    if (argc > 1 && strcmp(argv[1], "fault") == 0)
        *(volatile int *)0xFFFFFFF0 = 1;
    return 0;
}
