/* 64-bit division and modulo: libgcc's __aeabi_ldivmod / __aeabi_uldivmod become imports
 * (modules link -nostdlib). The operands are volatile so nothing is constant-folded. */
#include <stdio.h>

volatile long long s_num = -9000000000123LL;
volatile long long s_den = 7000003LL;
volatile unsigned long long u_num = 18446744073709551557ULL;   /* 2^64 - 59 */
volatile unsigned long long u_den = 4294967311ULL;             /* 2^32 + 15 */
volatile int i_num = -1000003;
volatile int i_den = 97;

int main(int argc, char *argv[])
{
    long long sn = s_num, sd = s_den;
    unsigned long long un = u_num, ud = u_den;

    printf("s: %lld / %lld = %lld\n", sn, sd, sn / sd);
    printf("s: %lld %% %lld = %lld\n", sn, sd, sn % sd);
    printf("u: %llu / %llu = %llu\n", un, ud, un / ud);
    printf("u: %llu %% %llu = %llu\n", un, ud, un % ud);
    printf("i: %d / %d = %d rem %d\n", i_num, i_den, i_num / i_den, i_num % i_den);
    return 0;
}
