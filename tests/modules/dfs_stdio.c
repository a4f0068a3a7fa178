/* newlib stdio on the device's files through the firmware's syscalls: write text and binary
 * with fprintf/fputs/fwrite, append, then read back with fgets/fgetc/fread, fseek/ftell/
 * rewind, feof; prints what it read so the test compares with the host's file. */
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
    const char *path = argc > 1 ? argv[1] : "/stdio.txt";
    unsigned char bin[300], back[300];
    char line[80];
    FILE *fp;
    int i, c, lines = 0;
    long size;

    for (i = 0; i < (int)sizeof(bin); i++)
        bin[i] = (unsigned char)(i * 7 + 3);
    fp = fopen(path, "w");
    if (!fp)
    {
        printf("fopen w failed\n");
        return 1;
    }
    fprintf(fp, "count=%d hex=%x str=%s\n", 1234, 0xbeef, "abc");
    fputs("second line\n", fp);
    fclose(fp);

    fp = fopen(path, "a");
    fwrite(bin, 1, sizeof(bin), fp);
    fclose(fp);

    fp = fopen(path, "rb");
    while (fgets(line, sizeof(line), fp) && lines < 2)
    {
        printf("line%d: %s", lines, line);
        lines++;
    }
    fseek(fp, 0, SEEK_END);
    size = ftell(fp);
    printf("size=%ld\n", size);
    fseek(fp, -(long)sizeof(bin), SEEK_END);
    printf("fread=%u\n", (unsigned)fread(back, 1, sizeof(back), fp));
    printf("binary %s\n", memcmp(bin, back, sizeof(bin)) == 0 ? "same" : "differs");
    c = fgetc(fp);
    printf("at end: c=%d feof=%d\n", c, feof(fp) != 0);
    rewind(fp);
    printf("first char '%c' ftell=%ld\n", fgetc(fp), ftell(fp));
    fclose(fp);

    fp = fopen("/no/such/dir/file", "r");
    printf("missing: %s\n", fp ? "opened" : "NULL");
    printf("remove=%d\n", remove(path));
    fp = fopen(path, "r");
    printf("after remove: %s\n", fp ? "opened" : "NULL");
    return 0;
}
