/* Streams a module leaves behind: what libc allocated for them (the FILE blocks fopen adds
 * past the firmware's own FILEs, the streams' buffers, a long ungetc buffer, dtoa's Bigints
 * on the system reent) must be freed when the last module has gone. argv[1] picks:
 *   open     fopen 12 files, write a line to each, close none
 *   closed   fopen 12 files at once, write a line to each, close them all
 *   ungetc   read a file and push 8 characters back (the ungetc buffer grows), close none
 *   fault    fopen 6 files, write to each, then a wild store: the module faults */
#include <stdio.h>
#include <string.h>

#define FILES 12

static double ctor_value = 2.5;

__attribute__((constructor)) static void print_a_float(void)
{
    printf("files_left: ctor %.3f\n", ctor_value);     /* dtoa on the system reent */
}

int main(int argc, char **argv)
{
    const char *what = argc > 1 ? argv[1] : "open";
    FILE *files[FILES];
    char name[32];
    int i, count = strcmp(what, "fault") ? FILES : 6;

    if (!strcmp(what, "ungetc")) {
        FILE *f = fopen("/left0.txt", "r");
        if (f == NULL) {
            printf("files_left: no /left0.txt\n");
            return 1;
        }
        printf("files_left: read %c\n", fgetc(f));
        for (i = 0; i < 8; i++)
            ungetc('a' + i, f);
        printf("files_left: ungetc %c\n", fgetc(f));
        return 0;
    }
    for (i = 0; i < count; i++) {
        snprintf(name, sizeof name, "/left%d.txt", i);
        files[i] = fopen(name, "w");
        if (files[i] == NULL) {
            printf("files_left: fopen %s failed\n", name);
            return 1;
        }
        fprintf(files[i], "line %d of %s\n", i, what);
    }
    if (!strcmp(what, "closed"))
        for (i = 0; i < count; i++)
            fclose(files[i]);
    printf("files_left: %s %d\n", what, count);
    if (!strcmp(what, "fault"))
        *(volatile int *)0x100 = 1;
    return 0;
}
