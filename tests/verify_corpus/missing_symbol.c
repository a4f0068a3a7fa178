/* A typo in an import: links (modules are linked -shared, undefined symbols allowed), then
 * fails at load time on the device. rtdl verify: undefined symbol, "did you mean rt_kprintf". */
extern void rt_kprntf(const char *fmt, ...);

int main(void)
{
    rt_kprntf("missing_symbol: never printed\n");
    return 0;
}
