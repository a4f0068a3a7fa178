/* An optional import: a weak reference the firmware does not export resolves to 0, so the
 * module loads and runs; rtdl verify reports it as a note. */
#include <stdio.h>

extern int rtdl_optional_feature(void) __attribute__((weak));

int main(void)
{
    printf("optional feature %s\n", rtdl_optional_feature ? "present" : "absent");
    return 0;
}
