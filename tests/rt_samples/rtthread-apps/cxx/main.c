#include <stdio.h>

extern int Atest(void);

int main(int argc, char** argv)
{
    Atest();

    return 0;
}
