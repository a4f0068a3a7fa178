/* Holds the library hlib open (dlopen) and, by argv[1]:
 *   api     uses it: its functions write its data (also via memset, memcpy, sprintf, and
 *           around a callback into this program, which writes this program's own data)
 *   loop N  calls hl_bump N times (the benchmark of a library call that writes its data)
 *   chain   calls hlib, which calls hlib2 (a library hlib holds) and writes its own data
 *   sort    hlib sorts its array with the firmware's qsort and this program's comparator
 *   threads hlib starts a thread, a soft timer and an idle hook of its code, which write
 *           its data while this program waits
 * writes what hlib exports or hands out (each must work, the library seeing the value):
 *   data    hl_counter (.data) through a pointer from dlsym
 *   bss     hl_zero (.bss)
 *   memset  hl_buf (.bss) through the firmware's memset, called from here
 *   after   hl_counter, right after a call of hlib that wrote its data (the switch back)
 *   cb      hl_counter, from this program's callback that hlib calls
 *   getter  the struct hl_config returns (also through the firmware's strcpy)
 *   getmid  the struct's first field, before the one hl_config_depth points to (works when
 *           hlib has a .symtab; stripped, only the rest of .bss from there is handed out)
 *   fill    the buffer hl_receive passes to this program's callback
 *   table   all of hl_table, an exported array of 1000 ints
 *   cset    hlib writes hlib2's exported h2_value; cslot the object hlib2's getter returns
 *   ownbuf  hlib stores into this program's data where it points (fine)
 * and writes wild (each must fault at the store, naming the image):
 *   wild S, afterwild S, cbwild S, setwild S (memset), getwild S (after the getter)
 *           into hlib's static hl_secret (S 0) or hl_hidden (S 1), which nobody handed out
 *           (hl_offset gives its distance from hl_counter)
 *   cwild   hlib's own store into hlib2's static h2_secret
 *   crash   hlib's own store through NULL, in its mode
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

static int wild_value = (int)0xde00de00;

int wild_callback(int value)
{
    *wild = wild_value;
    return value;
}

void filler(char *buf, int n)
{
    for (int i = 0; i < n; i++)
        buf[i] = 'a' + i;
}

struct hl_cfg {
    int speed;
    int depth;
    char name[8];
};

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
    int (*chain_set)(int) = (int (*)(int))dlsym(lib, "hl_chain_set");
    int (*chain_slot)(int) = (int (*)(int))dlsym(lib, "hl_chain_slot");
    int (*chain_at)(void) = (int (*)(void))dlsym(lib, "hl_chain_at");
    int (*offset)(int) = (int (*)(int))dlsym(lib, "hl_offset");
    int (*buf_at)(int) = (int (*)(int))dlsym(lib, "hl_buf_at");
    struct hl_cfg *(*config)(void) = (struct hl_cfg *(*)(void))dlsym(lib, "hl_config");
    int off = argc > 2 && offset ? offset(atoi(argv[2])) : 0;
    volatile int *secret = (volatile int *)((char *)dlsym(lib, "hl_counter") + off);
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
        *counter = 40;
        rt_kprintf("data %d\n", bump());
    } else if (strcmp(what, "bss") == 0) {
        *(volatile int *)dlsym(lib, "hl_zero") = 7;
        rt_kprintf("bss %d\n", bump());
    } else if (strcmp(what, "memset") == 0) {
        memset((char *)dlsym(lib, "hl_buf") + 4, 0x5a, argc + 18);
        rt_kprintf("memset %d %d %d\n", buf_at(4), buf_at(23), buf_at(24));
    } else if (strcmp(what, "after") == 0) {
        bump();
        *counter = 9;
        rt_kprintf("after %d\n", bump());
    } else if (strcmp(what, "cb") == 0) {
        wild = counter;
        wild_value = 50;
        int sum = each(wild_callback, 1);
        rt_kprintf("cb %d %d\n", sum, bump());
    } else if (strcmp(what, "getter") == 0) {
        int (*sum)(void) = (int (*)(void))dlsym(lib, "hl_config_sum");
        struct hl_cfg *cfg = config();
        cfg->speed = 3;
        cfg->depth = 4;
        strcpy(cfg->name, "x");
        rt_kprintf("getter %d\n", sum());
    } else if (strcmp(what, "getmid") == 0) {
        int (*sum)(void) = (int (*)(void))dlsym(lib, "hl_config_sum");
        int *(*depth_at)(void) = (int *(*)(void))dlsym(lib, "hl_config_depth");
        volatile int *depth = depth_at();
        depth[0] = 6;
        depth[-1] = 5;
        rt_kprintf("getmid %d\n", sum());
    } else if (strcmp(what, "fill") == 0) {
        int (*receive)(void (*)(char *, int)) =
            (int (*)(void (*)(char *, int)))dlsym(lib, "hl_receive");
        rt_kprintf("fill %d\n", receive(filler));
    } else if (strcmp(what, "table") == 0) {
        int *table = (int *)dlsym(lib, "hl_table");
        int (*sum)(void) = (int (*)(void))dlsym(lib, "hl_table_sum");
        for (int i = 0; i < 1000; i++)
            table[i] = i;
        rt_kprintf("table %d\n", sum());
    } else if (strcmp(what, "cset") == 0) {
        rt_kprintf("cset %d\n", chain_set(70));
    } else if (strcmp(what, "cslot") == 0) {
        rt_kprintf("cslot %d\n", chain_slot(33));
    } else if (strcmp(what, "wild") == 0) {
        *secret = 0xde00de00;
    } else if (strcmp(what, "afterwild") == 0) {
        bump();
        *secret = 0xde00de00;
    } else if (strcmp(what, "cbwild") == 0) {
        wild = secret;
        each(wild_callback, 1);
    } else if (strcmp(what, "setwild") == 0) {
        memset((void *)secret, 0x5a, argc + 2);
    } else if (strcmp(what, "getwild") == 0) {
        config()->speed = 1;
        *secret = 0xde00de00;
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
        chain_at();
    } else {
        return 4;
    }
    const char *good[] = {"api", "loop", "chain", "threads", "sort", "data", "bss", "memset",
                          "after", "cb", "getter", "getmid", "fill", "table", "cset", "cslot"};
    int fine = 0;
    for (unsigned i = 0; i < sizeof good / sizeof good[0]; i++)
        fine |= strcmp(what, good[i]) == 0;
    if (!fine) {
        rt_kprintf("the write went through\n");
        return 0;
    }
    dlclose(lib);
    return 0;
}
