/* A library that outlives the programs using it (the test loads it first): its global, a
 * heap block it allocated and its module object belong to it, never to a program that hands
 * them to a service as an out-pointer. */
#include <rtthread.h>
#include <string.h>

char lib_global[16] = "library global";
static char *block;

char *lib_block(void)
{
    if (!block) {
        block = rt_malloc(32);          /* owned by this library: its code allocated it */
        memset(block, 0x5a, 32);
    }
    return block;
}
