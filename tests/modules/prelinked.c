/* For "\177RTM" (already linked) files: `board_puts` is exported by no firmware and `puts`
 * is reached through a data pointer (R_ARM_ABS32, which adds to the word at its place).
 * A test writes the final addresses into the file and changes its magic to "\177RTM"; the
 * loader must then keep those words as they are. */
#include <stdio.h>

extern int board_puts(const char *text);

int (*volatile say)(const char *text) = puts;   /* volatile: really read at run time */

int main(int argc, char *argv[])
{
    board_puts("prelinked: board_puts through the GOT");
    say("prelinked: puts through a data pointer");
    return 0;
}
