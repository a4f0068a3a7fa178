/* Holds the library hlib open (dlopen) and, by argv[1]:
 *   api     uses it: its functions write its data (also via memset, memcpy, sprintf, and
 *           around a callback into this program, which writes this program's own data)
 *   loop N  calls hl_bump N times (the benchmark of a library call that writes its data)
 *   chain   calls hlib, which calls hlib2 (a library hlib holds) and writes its own data
 *   sort    hlib sorts its array with the firmware's qsort and this program's comparator
 *   threads hlib starts a thread, a soft timer and an idle hook of its code, which write
 *           its data while this program waits
 * and writes wild into hlib (each must fault at the store, naming hlib's image):
 *   data    hl_counter (.data) through a pointer from dlsym
 *   bss     hl_zero (.bss)
 *   memset  hl_buf (.bss) through the firmware's memset, called from here
 *   after   hl_counter, right after a call of hlib that wrote its data (the switch back)
 *   cb      hl_counter, from this program's callback that hlib calls
 *   cwild   hlib's own wild store into hlib2 (hlib holds it: its fault)
 *   crash   hlib's own store through NULL, in its mode
 *   ownbuf  hlib stores into this program's data where it points (fine)
 *   sibling hlib stores into hlib2's data, hlib2 held by this program too (hlib's fault)
 *   at ADDR a store at the hexadecimal address ADDR (hlib's code sharing a page with its data) */
#include <rtthread.h>
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>

static int seen;                  /* this program's own data, written in the callback */
static volatile int *wild;

int callback(int value)
{
    seen += value;
    return value;
}

int compare(const void *a, const void *b)
{
    seen += 1;
    return *(const int *)a - *(const int *)b;
}

int wild_callback(int value)
{
    *wild = 0xde00de00;
    return value;
}

int main(int argc, char **argv)
{
    const char *what = argc > 1 ? argv[1] : "";
    void *lib = dlopen("hlib.so", RTLD_NOW);
    if (!lib)
        return 2;
    int (*bump)(void) = (int (*)(void))dlsym(lib, "hl_bump");
    int (*fill)(int, int) = (int (*)(int, int))dlsym(lib, "hl_fill");
    int (*format)(int) = (int (*)(int))dlsym(lib, "hl_format");
    const char *(*text_now)(void) = (const char *(*)(void))dlsym(lib, "hl_text_now");
    int (*each)(int (*)(int), int) = (int (*)(int (*)(int), int))dlsym(lib, "hl_each");
    int (*chain)(void) = (int (*)(void))dlsym(lib, "hl_chain");
    int (*chain_wild)(void) = (int (*)(void))dlsym(lib, "hl_chain_wild");
    volatile int *counter = (volatile int *)dlsym(lib, "hl_counter");
    if (!bump || !fill || !format || !text_now || !each || !chain || !counter)
        return 3;
    if (strcmp(what, "api") == 0) {
        int first = bump();
        int second = bump();
        int filled = fill('a', 40);
        int length = format(first);
        int sum = each(callback, 3);
        rt_kprintf("api %d %d %d %d %s %d %d %d\n", first, second, filled, length, text_now(),
                   sum, seen, *counter);
    } else if (strcmp(what, "loop") == 0 && argc > 2) {
        int n = atoi(argv[2]);
        int last = 0;
        for (int i = 0; i < n; i++)
            last = bump();
        rt_kprintf("loop %d\n", last);
    } else if (strcmp(what, "chain") == 0) {
        int a = chain();
        int b = chain();
        rt_kprintf("chain %d %d %d\n", a, b, *counter);
    } else if (strcmp(what, "sort") == 0) {
        int (*sort)(int (*)(const void *, const void *)) =
            (int (*)(int (*)(const void *, const void *)))dlsym(lib, "hl_sort");
        if (!sort)
            return 5;
        rt_kprintf("sort %d %d\n", sort(compare), seen > 0);
    } else if (strcmp(what, "threads") == 0) {
        int (*spawn)(void) = (int (*)(void))dlsym(lib, "hl_spawn");
        int (*spawned)(void) = (int (*)(void))dlsym(lib, "hl_spawned");
        if (!spawn || !spawned || spawn() != 0)
            return 5;
        rt_thread_mdelay(20);
        rt_kprintf("threads %d\n", spawned());
    } else if (strcmp(what, "data") == 0) {
        *counter = 0xde00de00;
    } else if (strcmp(what, "bss") == 0) {
        *(volatile int *)dlsym(lib, "hl_zero") = 0xde00de00;
    } else if (strcmp(what, "memset") == 0) {
        memset((char *)dlsym(lib, "hl_buf") + 4, 0x5a, argc + 20);
    } else if (strcmp(what, "after") == 0) {
        bump();
        *counter = 0xde00de00;
    } else if (strcmp(what, "cb") == 0) {
        wild = counter;
        each(wild_callback, 1);
    } else if (strcmp(what, "ownbuf") == 0 || strcmp(what, "sibling") == 0) {
        int (*store)(int *, int) = (int (*)(int *, int))dlsym(lib, "hl_store");
        int *where = &seen;
        if (strcmp(what, "sibling") == 0) {
            void *other = dlopen("hlib2.so", RTLD_NOW);
            where = other ? (int *)dlsym(other, "h2_value") : RT_NULL;
        }
        if (!store || !where)
            return 5;
        store(where, 5);
        if (where == &seen) {
            rt_kprintf("ownbuf %d\n", seen);
            dlclose(lib);
            return 0;
        }
    } else if (strcmp(what, "at") == 0 && argc > 2) {
        *(volatile int *)strtoul(argv[2], RT_NULL, 16) = 0xde00de00;
    } else if (strcmp(what, "crash") == 0) {
        ((int (*)(void))dlsym(lib, "hl_crash"))();
    } else if (strcmp(what, "cwild") == 0) {
        chain_wild();
    } else {
        return 4;
    }
    if (strcmp(what, "api") && strcmp(what, "loop") && strcmp(what, "chain") &&
            strcmp(what, "threads") && strcmp(what, "sort")) {
        rt_kprintf("the write went through\n");
        return 0;
    }
    dlclose(lib);
    return 0;
}
