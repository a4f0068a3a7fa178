/* A const table of {name, handler} pairs, as a module's command dispatcher would have.
 * Under -fPIC the table lives in .data.rel.ro and every pointer in it needs an
 * R_ARM_RELATIVE relocation (load bias added to the link-time address). */
#include <stdio.h>

struct command {
    const char *name;
    int (*handler)(int);
};

static int cmd_double(int x) { return x * 2; }
static int cmd_square(int x) { return x * x; }
static int cmd_negate(int x) { return -x; }
static int cmd_answer(int x) { return 42 + x * 0; }

static const struct command commands[] = {
    { "double", cmd_double },
    { "square", cmd_square },
    { "negate", cmd_negate },
    { "answer", cmd_answer },
};

static const char *const banner = "fptr_table";

int main(int argc, char *argv[])
{
    unsigned i;
    int total = 0;

    printf("%s: %u commands\n", banner, (unsigned)(sizeof(commands) / sizeof(commands[0])));
    for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
        int r = commands[i].handler(7);
        total += r;
        printf("%s(7) = %d\n", commands[i].name, r);
    }
    printf("total = %d\n", total);
    return 0;
}
