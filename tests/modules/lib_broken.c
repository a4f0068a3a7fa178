/* A library that cannot load: it imports a function the firmware does not export. */
extern int rtdl_not_exported(int x);

int add_func(int a, int b)
{
    return rtdl_not_exported(a) + b;
}
