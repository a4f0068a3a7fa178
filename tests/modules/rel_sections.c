/* An ET_REL module with what RT-Thread's relocatable path mishandled: merged string sections
 * (.rodata.str1.4), one .text.NAME section per function and .bss.NAME and .data.NAME sections per
 * variable; built -fPIC it also needs R_ARM_GOT_BREL and R_ARM_BASE_PREL, built with
 * -mpure-code R_ARM_THM_MOVW_ABS_NC/R_ARM_THM_MOVT_ABS. */
#include <stdio.h>
#include <string.h>

static int counters[16];
int total_calls;
int initial = 5;
static const char *const words[] = { "alpha", "beta", "gamma" };

static void __attribute__((noinline)) count(int slot)
{
    counters[slot & 15]++;
    total_calls++;
}

int main(int argc, char *argv[])
{
    int i;
    size_t letters = 0;

    for (i = 0; i < 3; i++) {
        count(i);
        letters += strlen(words[i]);
    }
    count(1);
    printf("rel_sections: %s %s %s\n", words[0], words[1], words[2]);
    printf("rel_sections: letters %u, calls %d, counters %d %d %d, initial %d\n",
           (unsigned)letters, total_calls, counters[0], counters[1], counters[2], initial);
    return 0;
}
