/* Ends itself through the C library's abort paths: `abort_call` calls abort(), `abort_call
 * assert` fails an assert(). Either kills the module with exit code 134. */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char *argv[])
{
    printf("abort_call: %s\n", argc > 1 ? argv[1] : "abort");
    if (argc > 1 && strcmp(argv[1], "assert") == 0)
        assert(argc == 0);
    else
        abort();
    printf("abort_call: not reached\n");
    return 0;
}
