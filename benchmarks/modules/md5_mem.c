/* md5_mem MIB: RFC 1321 MD5 over MIB mebibytes (a 64 KiB pattern hashed again and again), all
 * in the module: no kernel call until the digest is printed. The compute benchmark. */
#include <stdio.h>

#include "../../tests/modules/md5_block.h"

static const unsigned int sines[64] = {
    0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613,
    0xfd469501, 0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193,
    0xa679438e, 0x49b40821, 0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d,
    0x02441453, 0xd8a1e681, 0xe7d3fbc8, 0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed,
    0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a, 0xfffa3942, 0x8771f681, 0x6d9d6122,
    0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70, 0x289b7ec6, 0xeaa127fa,
    0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665, 0xf4292244,
    0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
    0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb,
    0xeb86d391,
};

static unsigned char pattern[65536];


int main(int argc, char *argv[])
{
    unsigned int h[4] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476};
    unsigned int mib = 0, passes;
    unsigned long long bits;
    unsigned char tail[128] = {0x80};
    const char *s = argc > 1 ? argv[1] : "1";

    while (*s >= '0' && *s <= '9')
        mib = mib * 10 + (unsigned)(*s++ - '0');
    for (unsigned int i = 0; i < sizeof(pattern); i++)
        pattern[i] = (unsigned char)(i * 131 + 7);
    passes = mib * 16;
    for (unsigned int n = 0; n < passes; n++)
        for (unsigned int off = 0; off < sizeof(pattern); off += 64)
            md5_block(h, pattern + off, sines);
    bits = (unsigned long long)passes * sizeof(pattern) * 8;
    for (int i = 0; i < 8; i++)
        tail[56 + i] = (unsigned char)(bits >> (8 * i));
    md5_block(h, tail, sines);
    for (int i = 0; i < 16; i++)
        printf("%02x", (h[i / 4] >> (8 * (i % 4))) & 0xff);
    printf("\n");
    return 0;
}
