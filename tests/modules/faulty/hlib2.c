/* The library hlib holds open (the chain of tests/test_containment_heldlib.py): it exports
 * h2_value and hands out h2_slot's object; h2_secret it does neither with. */
int h2_value = 7;
static volatile int h2_secret = 3;
static int slot;

int h2_bump(void)
{
    return ++h2_value;
}

int *h2_slot(void)
{
    return &slot;
}

int h2_slot_now(void)
{
    return slot;
}

int h2_secret_now(void)
{
    return h2_secret;
}

int h2_offset(void)
{
    return (char *)&h2_secret - (char *)&h2_value;
}
