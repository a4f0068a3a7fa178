/* A constructor that never returns: --timeout must bound it. */
__attribute__((constructor)) static void spin(void)
{
    for (;;)
        __asm__ volatile("");
}

int main(void)
{
    return 0;
}
