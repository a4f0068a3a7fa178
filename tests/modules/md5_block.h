/* The RFC 1321 MD5 compression step, shared by the file-reading test module (md5.c) and the
 * compute benchmark (benchmarks/modules/md5_mem.c). Each module supplies its own table of sines:
 * md5.c computes it with doubles so that it imports the float helpers verify's tests expect. */
#ifndef MD5_BLOCK_H
#define MD5_BLOCK_H

static const unsigned char md5_shifts[64] = {
    7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
    5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20,
    4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
    6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21,
};

static void md5_block(unsigned int h[4], const unsigned char *p, const unsigned int sines[64])
{
    unsigned int w[16], a = h[0], b = h[1], c = h[2], d = h[3];
    for (int i = 0; i < 16; i++)
        w[i] = p[4 * i] | p[4 * i + 1] << 8 | p[4 * i + 2] << 16 | (unsigned int)p[4 * i + 3] << 24;
    for (int i = 0; i < 64; i++) {
        unsigned int f, g;
        if (i < 16) { f = (b & c) | (~b & d); g = i; }
        else if (i < 32) { f = (d & b) | (~d & c); g = (5 * i + 1) % 16; }
        else if (i < 48) { f = b ^ c ^ d; g = (3 * i + 5) % 16; }
        else { f = c ^ (b | ~d); g = (7 * i) % 16; }
        f += a + sines[i] + w[g];
        a = d; d = c; c = b;
        b += (f << md5_shifts[i]) | (f >> (32 - md5_shifts[i]));
    }
    h[0] += a; h[1] += b; h[2] += c; h[3] += d;
}

#endif
