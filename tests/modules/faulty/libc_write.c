/* Wild stores into libc's state that no module call writes: newlib's global reentrancy
 * structure (impure_data, _GLOBAL_REENT: after boot only the head of fopen's FILE list) and
 * the template a thread's reent is made from, both on the firmware's read-only pages. Each
 * must fault at the store, naming the object. argv[1] picks the store, argv[2] is the
 * address (hex; the test reads it from the firmware's symbols):
 *   word     *(int *)address = 0x55
 *   memset   memset(address, 0, 16): firmware code stores on the module's behalf
 *   strcpy   strcpy(address, <15 characters>): the same through the string family
 *   sprintf  sprintf(address, "%s %d", ...): libc's formatter stores, through memcpy
 *   fputs    fputs(<15 characters>, (FILE *)address): a wild FILE * (GCC makes it fwrite)
 *   free     free(_impure_ptr): the thread's own reent is the kernel's block, not the module's */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <reent.h>           /* declares _impure_ptr */

int main(int argc, char **argv)
{
    const char *what = argc > 1 ? argv[1] : "word";
    char *address = argc > 2 ? (char *)strtoul(argv[2], NULL, 16) : NULL;

    printf("libc_write: %s\n", what);
    if (!strcmp(what, "word"))
        *(volatile int *)address = 0x55;
    else if (!strcmp(what, "memset")) {
        volatile size_t size = 16;                     /* a call, not an inlined store */
        memset(address, 0, size);
    }
    else if (!strcmp(what, "strcpy")) {
        static const char *volatile text = "wild pointer!!";   /* a call, not inlined */
        strcpy(address, text);
    }
    else if (!strcmp(what, "sprintf"))
        sprintf(address, "%s %d", "wild pointer", argc);
    else if (!strcmp(what, "fputs"))
        fputs("wild pointer!!", (FILE *)address);
    else if (!strcmp(what, "free"))
        free(_impure_ptr);
    printf("libc_write: the %s did not fault\n", what);
    return 0;
}
