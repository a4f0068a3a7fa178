/* Constructor and destructor order: priorities (.init_array.00101 ...) before plain ones,
 * destructors in reverse; main sees what the constructors set up. */
#include <stdio.h>

static int step;

__attribute__((constructor(101))) static void first(void) { printf("ctor 101 (step %d)\n", step++); }
__attribute__((constructor(202))) static void second(void) { printf("ctor 202 (step %d)\n", step++); }
__attribute__((constructor)) static void plain(void) { printf("ctor plain (step %d)\n", step++); }
__attribute__((destructor(101))) static void last(void) { printf("dtor 101\n"); }
__attribute__((destructor)) static void plain_dtor(void) { printf("dtor plain\n"); }

int main(void)
{
    printf("main (step %d)\n", step);
    return 0;
}
