/* The ring buffer of <ipc/ringbuffer.h> driven by a fixed script of operations on a pool
 * of 10 bytes (rounded down to 8); each line gives the call's result, the bytes held and
 * free, and what came out. tests/test_ipc_parts.py replays the script on a Python model.
 * Then a heap-made buffer is created and, with "leak", left for the kernel to reclaim
 * (with an rt_strdup copy: firmware calls that allocate for their caller). */
#include <string.h>
#include <rtdevice.h>

struct op { char kind; int arg; };

static const struct op script[] = {
    {'P', 5}, {'G', 3}, {'P', 6}, {'P', 2}, {'K', 0}, {'K', 0}, {'G', 8}, {'c', 0},
    {'P', 7}, {'c', 0}, {'f', 0}, {'f', 0}, {'G', 2}, {'F', 3}, {'F', 11}, {'g', 0},
    {'K', 0}, {'P', 3}, {'F', 4}, {'G', 9}, {'g', 0}, {'R', 0}, {'F', 20}, {'G', 8},
};

static rt_uint8_t pool[10];
static rt_uint8_t next_byte = 1;

static void show(const char *what, const rt_uint8_t *p, rt_size_t n)
{
    rt_size_t i;
    rt_kprintf("%s", what);
    for (i = 0; i < n; i++)
        rt_kprintf(" %d", p[i]);
}

int main(int argc, char *argv[])
{
    struct rt_ringbuffer rb;
    struct rt_ringbuffer *heap_rb;
    rt_uint8_t data[32], *peeked;
    unsigned i;
    int j;

    rt_ringbuffer_init(&rb, pool, sizeof(pool));
    rt_kprintf("size %d len %d space %d\n", (int)rt_ringbuffer_get_size(&rb),
               (int)rt_ringbuffer_data_len(&rb), (int)rt_ringbuffer_space_len(&rb));
    for (i = 0; i < sizeof(script) / sizeof(script[0]); i++)
    {
        const struct op *op = &script[i];
        rt_size_t r = 0;
        rt_kprintf("%c %d ->", op->kind, op->arg);
        switch (op->kind)
        {
        case 'P': case 'F':
            for (j = 0; j < op->arg; j++)
                data[j] = next_byte++;
            r = op->kind == 'P' ? rt_ringbuffer_put(&rb, data, op->arg)
                                : rt_ringbuffer_put_force(&rb, data, op->arg);
            rt_kprintf(" %d", (int)r);
            break;
        case 'G':
            r = rt_ringbuffer_get(&rb, data, op->arg);
            rt_kprintf(" %d", (int)r);
            show(" out", data, r);
            break;
        case 'K':
            r = rt_ringbuffer_peek(&rb, &peeked);
            rt_kprintf(" %d", (int)r);
            if (r)
                show(" out", peeked, r);
            else
                rt_kprintf(" null %d", peeked == RT_NULL);
            break;
        case 'c': case 'f':
            r = op->kind == 'c' ? rt_ringbuffer_putchar(&rb, next_byte)
                                : rt_ringbuffer_putchar_force(&rb, next_byte);
            next_byte++;
            rt_kprintf(" %d", (int)r);
            break;
        case 'g':
            data[0] = 0;
            r = rt_ringbuffer_getchar(&rb, data);
            rt_kprintf(" %d", (int)r);
            show(" out", data, r);
            break;
        case 'R':
            rt_ringbuffer_reset(&rb);
            break;
        }
        rt_kprintf(" len %d space %d\n", (int)rt_ringbuffer_data_len(&rb),
                   (int)rt_ringbuffer_space_len(&rb));
    }

    heap_rb = rt_ringbuffer_create(64);
    rt_kprintf("create %d size %d\n", heap_rb != RT_NULL, (int)rt_ringbuffer_get_size(heap_rb));
    rt_ringbuffer_put(heap_rb, (const rt_uint8_t *)"hello", 5);
    memset(data, 0, sizeof(data));
    rt_ringbuffer_get(heap_rb, data, sizeof(data));
    rt_kprintf("heap %s\n", (char *)data);
    if (argc > 1 && strcmp(argv[1], "leak") == 0)
    {
        /* the kernel frees both blocks, and rt_strdup's copy, with the module */
        rt_strdup("left behind");
        return 3;
    }
    rt_ringbuffer_destroy(heap_rb);
    return 0;
}
