/* The library hlib holds open (the chain of tests/test_containment_heldlib.py). */
int h2_value = 7;

int h2_bump(void)
{
    return ++h2_value;
}
