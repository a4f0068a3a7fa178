/* The library heldcall.c calls: one function writing the library's own .bss. */
static int counter;

int bump(void)
{
    return ++counter;
}
