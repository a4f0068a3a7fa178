/* md5 FILE: RFC 1321 digest of a file, the way a module reads storage through stdio. A firmware
 * without file-system support exports no fopen, so this module must fail `rtdl verify` there. */
#include <stdio.h>
#include <string.h>

#include "md5_block.h"

static unsigned int sine_table[64];

/* floor(abs(sin(i + 1)) * 2^32) without libm: the constants are computed once from a
 * Taylor series, so the module imports stdio and string functions only. */
static void make_table(void)
{
    for (int i = 0; i < 64; i++) {
        double x = i + 1, s = 0, term;
        while (x > 3.14159265358979323846)
            x -= 2 * 3.14159265358979323846;
        term = x;
        for (int n = 1; n < 30; n++) {
            s += term;
            term *= -x * x / ((2 * n) * (2 * n + 1));
        }
        sine_table[i] = (unsigned int)((s < 0 ? -s : s) * 4294967296.0);
    }
}


int main(int argc, char *argv[])
{
    unsigned int h[4] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476};
    unsigned char buf[128];
    unsigned long long total = 0;
    size_t n;
    FILE *f;

    if (argc < 2 || (f = fopen(argv[1], "rb")) == NULL) {
        printf("md5: cannot open %s\n", argc < 2 ? "(no file)" : argv[1]);
        return 1;
    }
    make_table();
    while ((n = fread(buf, 1, 64, f)) == 64) {
        md5_block(h, buf, sine_table);
        total += n;
    }
    fclose(f);
    total += n;
    memset(buf + n, 0, sizeof buf - n);
    buf[n] = 0x80;
    n = n < 56 ? 64 : 128;
    for (int i = 0; i < 8; i++)
        buf[n - 8 + i] = (unsigned char)(total * 8 >> (8 * i));
    md5_block(h, buf, sine_table);
    if (n == 128)
        md5_block(h, buf + 64, sine_table);
    for (int i = 0; i < 16; i++)
        printf("%02x", (h[i / 4] >> (8 * (i % 4))) & 0xff);
    printf("  %s\n", argv[1]);
    return 0;
}
