/* The byte ring buffer of <ipc/ringbuffer.h>, RT-Thread 5.x's API and results. A position
 * here is an index plus the pool size when its mirror bit is set, so positions run over two
 * laps, 0 .. 2*size-1: the bytes held are (write - read) modulo 2*size, which tells a full
 * buffer (size) from an empty one (0) without giving up a byte. Nothing here locks or
 * blocks, as in RT-Thread; create/destroy allocate through rt_malloc; create is RTDL_CALLER_HEAP, so
 * the blocks are the calling module's and the kernel frees them when it ends. No static data. */
#include <string.h>

#include <rtthread.h>
#include <ipc/ringbuffer.h>
#include "rtdl_services.h"

static rt_uint32_t read_pos(const struct rt_ringbuffer *rb)
{
    return rb->read_index + (rb->read_mirror ? (rt_uint32_t)rb->buffer_size : 0u);
}

static rt_uint32_t write_pos(const struct rt_ringbuffer *rb)
{
    return rb->write_index + (rb->write_mirror ? (rt_uint32_t)rb->buffer_size : 0u);
}

/* `pos` is below 4*size here (a position plus at most one lap) */
static void split(rt_uint32_t pos, rt_uint32_t size, rt_uint32_t *mirror, rt_uint32_t *index)
{
    pos %= 2u * size;
    *mirror = pos >= size;
    *index = pos - (*mirror ? size : 0u);
}

static void advance_read(struct rt_ringbuffer *rb, rt_uint32_t n)
{
    rt_uint32_t mirror, index;
    split(read_pos(rb) + n, (rt_uint32_t)rb->buffer_size, &mirror, &index);
    rb->read_mirror = mirror;
    rb->read_index = index;
}

static void advance_write(struct rt_ringbuffer *rb, rt_uint32_t n)
{
    rt_uint32_t mirror, index;
    split(write_pos(rb) + n, (rt_uint32_t)rb->buffer_size, &mirror, &index);
    rb->write_mirror = mirror;
    rb->write_index = index;
}

/* copy n bytes in at the write index, wrapping at the end of the pool */
static void copy_in(struct rt_ringbuffer *rb, const rt_uint8_t *src, rt_uint32_t n)
{
    rt_uint32_t first = (rt_uint32_t)rb->buffer_size - rb->write_index;
    if (first > n)
        first = n;
    memcpy(rb->buffer_ptr + rb->write_index, src, first);
    memcpy(rb->buffer_ptr, src + first, n - first);
}

void rt_ringbuffer_init(struct rt_ringbuffer *rb, rt_uint8_t *pool, rt_int32_t size)
{
    RT_ASSERT(rb != RT_NULL);
    RT_ASSERT(size > 0);
    rb->buffer_ptr = pool;
    rb->buffer_size = RT_ALIGN_DOWN(size, RT_ALIGN_SIZE);
    rt_ringbuffer_reset(rb);
}

void rt_ringbuffer_reset(struct rt_ringbuffer *rb)
{
    RT_ASSERT(rb != RT_NULL);
    rb->read_mirror = 0;
    rb->read_index = 0;
    rb->write_mirror = 0;
    rb->write_index = 0;
}

rt_size_t rt_ringbuffer_data_len(struct rt_ringbuffer *rb)
{
    rt_uint32_t size = (rt_uint32_t)rb->buffer_size;
    if (size == 0)
        return 0;
    return (write_pos(rb) + 2u * size - read_pos(rb)) % (2u * size);
}

rt_size_t rt_ringbuffer_put(struct rt_ringbuffer *rb, const rt_uint8_t *ptr, rt_uint32_t length)
{
    rt_uint32_t space;
    RT_ASSERT(rb != RT_NULL);
    space = rt_ringbuffer_space_len(rb);
    if (length > space)
        length = space;             /* what does not fit is dropped */
    copy_in(rb, ptr, length);
    advance_write(rb, length);
    return length;
}

rt_size_t rt_ringbuffer_put_force(struct rt_ringbuffer *rb, const rt_uint8_t *ptr,
                                  rt_uint32_t length)
{
    rt_uint32_t size, space;
    RT_ASSERT(rb != RT_NULL);
    size = (rt_uint32_t)rb->buffer_size;
    space = rt_ringbuffer_space_len(rb);
    if (length > size)
    {
        /* only the newest `size` bytes can survive */
        ptr += length - size;
        length = size;
    }
    copy_in(rb, ptr, length);
    advance_write(rb, length);
    if (length > space)
    {
        /* the oldest bytes were overwritten: the buffer is now full, read one lap behind */
        rt_uint32_t mirror, index;
        split(write_pos(rb) + size, size, &mirror, &index);
        rb->read_mirror = mirror;
        rb->read_index = index;
    }
    return length;
}

rt_size_t rt_ringbuffer_get(struct rt_ringbuffer *rb, rt_uint8_t *ptr, rt_uint32_t length)
{
    rt_uint32_t held, first;
    RT_ASSERT(rb != RT_NULL);
    held = rt_ringbuffer_data_len(rb);
    if (length > held)
        length = held;
    first = (rt_uint32_t)rb->buffer_size - rb->read_index;
    if (first > length)
        first = length;
    memcpy(ptr, rb->buffer_ptr + rb->read_index, first);
    memcpy(ptr + first, rb->buffer_ptr, length - first);
    advance_read(rb, length);
    return length;
}

/* RT-Thread's peek hands out the oldest bytes in place and consumes them: the run up to the
 * end of the pool or of the data, whichever comes first. */
rt_size_t rt_ringbuffer_peek(struct rt_ringbuffer *rb, rt_uint8_t **ptr)
{
    rt_uint32_t held, run;
    RT_ASSERT(rb != RT_NULL);
    *ptr = RT_NULL;
    held = rt_ringbuffer_data_len(rb);
    if (held == 0)
        return 0;
    *ptr = rb->buffer_ptr + rb->read_index;
    run = (rt_uint32_t)rb->buffer_size - rb->read_index;
    if (run > held)
        run = held;
    advance_read(rb, run);
    return run;
}

rt_size_t rt_ringbuffer_putchar(struct rt_ringbuffer *rb, const rt_uint8_t ch)
{
    RT_ASSERT(rb != RT_NULL);
    if (rt_ringbuffer_space_len(rb) == 0)
        return 0;
    rb->buffer_ptr[rb->write_index] = ch;
    advance_write(rb, 1);
    return 1;
}

rt_size_t rt_ringbuffer_putchar_force(struct rt_ringbuffer *rb, const rt_uint8_t ch)
{
    int was_full;
    RT_ASSERT(rb != RT_NULL);
    was_full = rt_ringbuffer_data_len(rb) == (rt_size_t)rb->buffer_size;
    rb->buffer_ptr[rb->write_index] = ch;
    advance_write(rb, 1);
    if (was_full)
        advance_read(rb, 1);        /* the oldest byte gave its place */
    return 1;
}

rt_size_t rt_ringbuffer_getchar(struct rt_ringbuffer *rb, rt_uint8_t *ch)
{
    RT_ASSERT(rb != RT_NULL);
    if (rt_ringbuffer_data_len(rb) == 0)
        return 0;
    *ch = rb->buffer_ptr[rb->read_index];
    advance_read(rb, 1);
    return 1;
}

RTDL_CALLER_HEAP struct rt_ringbuffer *rt_ringbuffer_create(rt_uint32_t length)
{
    struct rt_ringbuffer *rb;
    rt_uint8_t *pool;

    RT_ASSERT(length > 0);
    length = RT_ALIGN_DOWN(length, RT_ALIGN_SIZE);
    rb = (struct rt_ringbuffer *)rt_malloc(sizeof(*rb));
    if (rb == RT_NULL)
        return RT_NULL;
    pool = (rt_uint8_t *)rt_malloc(length);
    if (pool == RT_NULL)
    {
        rt_free(rb);
        return RT_NULL;
    }
    rt_ringbuffer_init(rb, pool, (rt_int32_t)length);
    return rb;
}

void rt_ringbuffer_destroy(struct rt_ringbuffer *rb)
{
    RT_ASSERT(rb != RT_NULL);
    rt_free(rb->buffer_ptr);
    rt_free(rb);
}
