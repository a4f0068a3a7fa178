/* A module that only computes: bitwise CRC-32 (no table, no imports), so its speed on the
 * board can be compared with the same machine code run on a bare emulator. */
#include <stdint.h>

uint32_t crc32_update(uint32_t crc, const uint8_t *data, uint32_t length)
{
    crc = ~crc;
    while (length--) {
        crc ^= *data++;
        for (int bit = 0; bit < 8; bit++)
            crc = (crc >> 1) ^ (0xEDB88320u & -(crc & 1));
    }
    return ~crc;
}

uint32_t crc32_rounds(const uint8_t *data, uint32_t length, uint32_t rounds)
{
    uint32_t crc = 0;
    while (rounds--)
        crc = crc32_update(crc, data, length);
    return crc;
}
