/* RT-Thread's kservice for modules: its small printf family (no floating point, as RT-Thread
 * builds by default), console output, string/memory helpers and RT_ASSERT's fault path.
 * The formatter is written for a small, bounded stack: rt_kprintf on a 512-byte thread stack
 * must fit (measured with -fstack-usage, see firmware_stub/README.md). */
#include <stdarg.h>
#include <string.h>
#include <strings.h>

#include <rtthread.h>
#include "rtdl_services.h"

/* flags of one conversion */
#define F_LEFT      0x01    /* '-' */
#define F_PLUS      0x02    /* '+' */
#define F_SPACE     0x04    /* ' ' */
#define F_ALT       0x08    /* '#' */
#define F_ZERO      0x10    /* '0' */
#define F_UPPER     0x20    /* %X */
#define F_SIGNED    0x40    /* %d %i */

/* The output cursor: `len` counts every character produced, `room` how many still fit
 * (the final NUL excluded), so the result is C99's "would have written" length. */
struct out
{
    char       *p;
    rt_size_t   room;
    int         len;
};

static void put(struct out *o, char c)
{
    if (o->room) {
        *o->p++ = c;
        o->room--;
    }
    o->len++;
}

static void pad(struct out *o, char c, int n)
{
    while (n-- > 0)
        put(o, c);
}

static void put_number(struct out *o, unsigned long long v, int negative, unsigned base,
                       int flags, int width, int prec)
{
    char digits[24];    /* 22 octal digits of a 64-bit value */
    const char *set = (flags & F_UPPER) ? "0123456789ABCDEF" : "0123456789abcdef";
    const char *prefix = "";
    char sign = 0;
    int n = 0, zeros, fill;

    if (v <= 0xFFFFFFFFu) {             /* 32-bit division: no libgcc 64-bit helper */
        unsigned long w = (unsigned long)v;
        while (w) {
            digits[n++] = set[w % base];
            w /= base;
        }
    } else {
        while (v) {
            digits[n++] = set[v % base];
            v /= base;
        }
    }
    if (negative)
        sign = '-';
    else if (flags & F_SIGNED)
        sign = (flags & F_PLUS) ? '+' : (flags & F_SPACE) ? ' ' : 0;

    if (prec < 0)
        prec = 1;                       /* at least one digit unless precision 0 */
    else
        flags &= ~F_ZERO;               /* C: a precision turns the 0 flag off */
    zeros = prec > n ? prec - n : 0;
    if ((flags & F_ALT) && n) {
        if (base == 16)
            prefix = (flags & F_UPPER) ? "0X" : "0x";
        else if (base == 8 && zeros == 0)
            zeros = 1;                  /* %#o: the first digit is a 0 */
    }
    if ((flags & F_ALT) && base == 8 && n == 0 && zeros == 0)
        zeros = 1;                      /* %#.0o of 0 still prints "0" */

    fill = width - (n + zeros + (sign ? 1 : 0) + (int)strlen(prefix));
    if (!(flags & (F_LEFT | F_ZERO)))
        pad(o, ' ', fill);
    if (sign)
        put(o, sign);
    while (*prefix)
        put(o, *prefix++);
    if (flags & F_ZERO)
        pad(o, '0', fill);
    pad(o, '0', zeros);
    while (n)
        put(o, digits[--n]);
    if (flags & F_LEFT)
        pad(o, ' ', fill);
}

static void put_string(struct out *o, const char *s, int flags, int width, int prec)
{
    int n = 0;

    if (s == RT_NULL)
        s = "(NULL)";
    while ((prec < 0 || n < prec) && s[n])
        n++;
    if (!(flags & F_LEFT))
        pad(o, ' ', width - n);
    for (int i = 0; i < n; i++)
        put(o, s[i]);
    if (flags & F_LEFT)
        pad(o, ' ', width - n);
}

/* RT-Thread's conversions: d i u x X o p s c %, flags - 0 + space #, width and precision
 * (digits or *), lengths hh h l ll z. An unknown conversion prints as written. Returns
 * the length of the whole result; at most size - 1 characters and a NUL are stored. */
int rt_vsnprintf(char *buf, rt_size_t size, const char *fmt, va_list args)
{
    struct out o = { buf, size ? size - 1 : 0, 0 };

    for (; *fmt; fmt++) {
        int flags = 0, width = 0, prec = -1, lng = 0, shrt = 0;
        unsigned base = 10;
        unsigned long long v;
        int negative = 0;
        const char *start = fmt;

        if (*fmt != '%') {
            put(&o, *fmt);
            continue;
        }
        for (;;) {
            char c = *++fmt;
            if (c == '-') flags |= F_LEFT;
            else if (c == '+') flags |= F_PLUS;
            else if (c == ' ') flags |= F_SPACE;
            else if (c == '#') flags |= F_ALT;
            else if (c == '0') flags |= F_ZERO;
            else break;
        }
        if (*fmt == '*') {
            width = va_arg(args, int);
            if (width < 0) {
                flags |= F_LEFT;
                width = -width;
            }
            fmt++;
        } else {
            while (*fmt >= '0' && *fmt <= '9')
                width = width * 10 + (*fmt++ - '0');
        }
        if (*fmt == '.') {
            fmt++;
            prec = 0;
            if (*fmt == '*') {
                prec = va_arg(args, int);
                if (prec < 0)
                    prec = -1;
                fmt++;
            } else {
                while (*fmt >= '0' && *fmt <= '9')
                    prec = prec * 10 + (*fmt++ - '0');
            }
        }
        for (;; fmt++) {
            if (*fmt == 'l') lng++;
            else if (*fmt == 'h') shrt++;
            else if (*fmt == 'z' || *fmt == 't') lng = 1;
            else break;
        }
        if (flags & F_LEFT)
            flags &= ~F_ZERO;

        switch (*fmt) {
        case 'c':
            pad(&o, ' ', (flags & F_LEFT) ? 0 : width - 1);
            put(&o, (char)va_arg(args, int));
            pad(&o, ' ', (flags & F_LEFT) ? width - 1 : 0);
            continue;
        case 's':
            put_string(&o, va_arg(args, const char *), flags, width, prec);
            continue;
        case '%':
            put(&o, '%');
            continue;
        case 'p':
            /* RT-Thread: all 8 hex digits, zero-padded; '#' adds the 0x */
            if (width == 0 && prec < 0) {
                width = (int)(2 * sizeof(void *)) + ((flags & F_ALT) ? 2 : 0);
                flags |= F_ZERO;
            }
            put_number(&o, (unsigned long)va_arg(args, void *), 0, 16, flags, width, prec);
            continue;
        case 'd':
        case 'i':
            flags |= F_SIGNED;
            {
                long long s = lng >= 2 ? va_arg(args, long long)
                            : lng ? va_arg(args, long) : va_arg(args, int);
                if (!lng && shrt == 1)
                    s = (short)s;
                else if (!lng && shrt >= 2)
                    s = (signed char)s;
                negative = s < 0;
                v = negative ? 0ull - (unsigned long long)s : (unsigned long long)s;
            }
            break;
        case 'X':
            flags |= F_UPPER;
            /* fall through */
        case 'x':
            base = 16;
            goto unsigned_arg;
        case 'o':
            base = 8;
            goto unsigned_arg;
        case 'u':
        unsigned_arg:
            v = lng >= 2 ? va_arg(args, unsigned long long)
              : lng ? va_arg(args, unsigned long) : va_arg(args, unsigned int);
            if (!lng && shrt == 1)
                v = (unsigned short)v;
            else if (!lng && shrt >= 2)
                v = (unsigned char)v;
            break;
        default:
            /* not a conversion: print it as written and go on after it */
            while (start <= fmt && *start)
                put(&o, *start++);
            if (!*fmt)
                fmt--;
            continue;
        }
        put_number(&o, v, negative, base, flags, width, prec);
    }
    if (size)
        *o.p = '\0';
    return o.len;
}

int rt_snprintf(char *buf, rt_size_t size, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = rt_vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

int rt_vsprintf(char *buf, const char *fmt, va_list args)
{
    return rt_vsnprintf(buf, (rt_size_t)-1, fmt, args);
}

int rt_sprintf(char *buf, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = rt_vsnprintf(buf, (rt_size_t)-1, fmt, ap);
    va_end(ap);
    return n;
}

/* The board's console is the one output device (RT-Thread's BSP hook of the same name). */
void rt_hw_console_output(const char *str)
{
    __rtdl_console_write(str, strlen(str));
}

void rt_kputs(const char *str)
{
    if (str)
        __rtdl_console_write(str, strlen(str));
}

/* The buffer is on the caller's stack, not static as in RT-Thread: rtdl's threads can be
 * preempted anywhere at the end of a time slice, and two printing threads must not share
 * one buffer. Direct console output, not through stdio's buffer. */
int rt_kprintf(const char *fmt, ...)
{
    char buf[RT_CONSOLEBUF_SIZE];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = rt_vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n > (int)sizeof buf - 1)
        n = (int)sizeof buf - 1;
    return __rtdl_console_write(buf, (size_t)n);
}

void rt_show_version(void)
{
    rt_kprintf("\n \\ | /\n- RT -     Thread Operating System (rtdl)\n"
               " / | \\     %d.%d.%d build %s %s\n",
               RT_VERSION_MAJOR, RT_VERSION_MINOR, RT_VERSION_PATCH, __DATE__, __TIME__);
}

rt_tick_t rt_tick_from_millisecond(rt_int32_t ms)
{
    if (ms < 0)
        return (rt_tick_t)RT_WAITING_FOREVER;
    return RT_TICK_PER_SECOND * (rt_tick_t)(ms / 1000) +
           (RT_TICK_PER_SECOND * (rt_tick_t)(ms % 1000) + 999) / 1000;
}

/* ---- RT_ASSERT */

static void (*assert_hook)(const char *ex, const char *func, rt_size_t line);

void rt_assert_set_hook(void (*hook)(const char *ex, const char *func, rt_size_t line))
{
    assert_hook = hook;
}

/* The module that failed is killed; the reason names everything RT_ASSERT knows. A static
 * buffer: the module ends here, and a deep caller's stack may have no room left. */
void __rtdl_assert_fail(const char *ex, const char *file, const char *func, rt_size_t line)
{
    static char reason[192];

    if (assert_hook)
        assert_hook(ex, func, line);
    rt_kprintf("(%s) assertion failed at function:%s, line number:%u\n",
               ex, func ? func : "?", (unsigned)line);
    rt_snprintf(reason, sizeof reason, "RT_ASSERT(%s) failed at %s:%u in %s()",
                ex, file ? file : "?", (unsigned)line, func ? func : "?");
    __rtdl_abort(reason);
    for (;;)
        __builtin_trap();
}

/* RT-Thread's own entry point, for sources that call it directly (no file known). */
void rt_assert_handler(const char *ex, const char *func, rt_size_t line)
{
    __rtdl_assert_fail(ex, RT_NULL, func, line);
}

/* ---- memory and strings: RT-Thread's names over newlib's (optimised) implementations */

void *rt_memset(void *s, int c, rt_ubase_t count) { return memset(s, c, count); }
void *rt_memcpy(void *dst, const void *src, rt_ubase_t count) { return memcpy(dst, src, count); }
void *rt_memmove(void *dest, const void *src, rt_size_t n) { return memmove(dest, src, n); }
rt_int32_t rt_memcmp(const void *cs, const void *ct, rt_size_t count)
{
    return memcmp(cs, ct, count);
}
rt_size_t rt_strlen(const char *src) { return strlen(src); }
rt_size_t rt_strnlen(const char *s, rt_ubase_t maxlen) { return strnlen(s, maxlen); }
char *rt_strcpy(char *dst, const char *src) { return strcpy(dst, src); }
char *rt_strncpy(char *dst, const char *src, rt_size_t n) { return strncpy(dst, src, n); }
rt_int32_t rt_strcmp(const char *cs, const char *ct) { return strcmp(cs, ct); }
rt_int32_t rt_strncmp(const char *cs, const char *ct, rt_size_t count)
{
    return strncmp(cs, ct, count);
}
rt_int32_t rt_strcasecmp(const char *a, const char *b) { return strcasecmp(a, b); }
char *rt_strstr(const char *str1, const char *str2) { return strstr(str1, str2); }

/* from the caller's heap: the copy belongs to the module that asked, like its rt_malloc */
RTDL_CALLER_HEAP char *rt_strdup(const char *s)
{
    rt_size_t n = strlen(s) + 1;
    char *copy = rt_malloc(n);

    if (copy)
        memcpy(copy, s, n);
    return copy;
}
