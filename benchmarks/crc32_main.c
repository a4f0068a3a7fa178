/* crc32.c as a program: `crc32_main LENGTH ROUNDS` fills LENGTH bytes as bench_compute.py
 * does and prints the CRC-32 of ROUNDS passes over them, computed on a module thread that
 * the kernel schedules in time slices. */
#include <stdint.h>
#include <stdlib.h>
#include <rtthread.h>

uint32_t crc32_rounds(const uint8_t *data, uint32_t length, uint32_t rounds);

int main(int argc, char *argv[])
{
    uint32_t length = argc > 2 ? (uint32_t)atoi(argv[1]) : 4096;
    uint32_t rounds = argc > 2 ? (uint32_t)atoi(argv[2]) : 1;
    uint8_t *data = malloc(length);
    uint32_t i;

    if (data == NULL)
        return 1;
    for (i = 0; i < length; i++)
        data[i] = (uint8_t)(i * 131 + 7);
    rt_kprintf("0x%08lx\n", (unsigned long)crc32_rounds(data, length, rounds));
    free(data);
    return 0;
}
