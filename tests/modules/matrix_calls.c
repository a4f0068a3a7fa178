/* The coverage-matrix module: calls between the module's own functions (static and global,
 * across .text.NAME sections, directly and through a table of function pointers), pointers to
 * data stored in data, and 64-bit division through the libgcc helpers the firmware exports. */
#include <stdio.h>

struct op {
    const char *name;
    char symbol;
    long long (*fn)(long long, long long);
};

static long long __attribute__((noinline)) add(long long a, long long b)
{
    return a + b;
}

long long __attribute__((noinline)) divide(long long a, long long b)
{
    return a / b;
}

long long __attribute__((noinline)) modulo(long long a, long long b)
{
    return a % b;
}

unsigned long long __attribute__((noinline)) udivide(unsigned long long a, unsigned long long b)
{
    return a / b;
}

int __attribute__((noinline)) is_odd(unsigned n);

int __attribute__((noinline)) is_even(unsigned n)
{
    return n == 0 ? 1 : is_odd(n - 1);
}

int __attribute__((noinline)) is_odd(unsigned n)
{
    return n == 0 ? 0 : is_even(n - 1);
}

const struct op ops[] = {{"add", '+', add}, {"div", '/', divide}, {"mod", '%', modulo}};
int values[3] = {10, 20, 30};
int *value_ptrs[] = {&values[2], &values[0], &values[1]};

int main(void)
{
    long long a = -9000000000123LL, b = 7000003;
    unsigned i;
    int sum = 0;
    for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
        printf("%s: %lld %c %lld = %lld\n", ops[i].name, a, ops[i].symbol, b, ops[i].fn(a, b));
    printf("udiv: %llu / %llu = %llu\n", 18446744073709551557ULL, 4294967311ULL,
           udivide(18446744073709551557ULL, 4294967311ULL));
    for (i = 0; i < 3; i++)
        sum += *value_ptrs[i];
    printf("ptrs: %d %d %d sum %d\n", *value_ptrs[0], *value_ptrs[1], *value_ptrs[2], sum);
    printf("parity: 7 is %s, 10 is %s\n", is_odd(7) ? "odd" : "even",
           is_even(10) ? "even" : "odd");
    return 0;
}
