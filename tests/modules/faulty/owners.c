/* Out-pointers into memory the caller does not own, selected by argv[1] ("own" writes only
 * into its own memory and must run through). The library "ownlib" is loaded by the test. */
#include <rtthread.h>
#include <dlmodule.h>
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern struct _reent *_impure_ptr;
static rt_uint32_t own_global;

static void *lib_symbol(const char *name)
{
    return dlsym(dlmodule_find("ownlib"), name);
}

static void *lib_block(void)
{
    char *(*get)(void) = (char *(*)(void))lib_symbol("lib_block");
    return get();
}

static void mb_recv_into(void *out)
{
    rt_mailbox_t mb = rt_mb_create("mb", 4, 0);
    rt_mb_send(mb, 0x11223344);
    rt_mb_recv(mb, (rt_ubase_t *)out, 0);
    rt_mb_delete(mb);
}

static void event_recv_into(void *out)
{
    rt_event_t ev = rt_event_create("ev", 0);
    rt_event_send(ev, 1);
    rt_event_recv(ev, 1, RT_EVENT_FLAG_OR, 0, (rt_uint32_t *)out);
    rt_event_delete(ev);
}

static void info_into(void *out)
{
    rt_memory_info((rt_size_t *)out, 0, 0);
}

static void own(void)
{
    rt_uint32_t local = 0;
    rt_uint32_t *block = malloc(8);
    rt_uint32_t *aligned = rt_malloc_align(64, 32);
    mb_recv_into(&local);
    event_recv_into(&own_global);
    info_into(block);
    mb_recv_into(aligned + 4);
    block = realloc(block, 256);
    info_into(block + 60);
    printf("own: %lx %lx %d %lx %d\n", (unsigned long)local, (unsigned long)own_global,
           block[0] > 0, (unsigned long)aligned[4], block[60] > 0);
    rt_free_align(aligned);
    free(block);
}

int main(int argc, char *argv[])
{
    const char *what = argc > 1 ? argv[1] : "";
    if (!strcmp(what, "own")) own();
    else if (!strcmp(what, "mb_other_block")) mb_recv_into(lib_block());
    else if (!strcmp(what, "event_other_block")) event_recv_into((char *)lib_block() + 4);
    else if (!strcmp(what, "info_other_block")) info_into(lib_block());
    else if (!strcmp(what, "event_other_image")) event_recv_into(lib_symbol("lib_global"));
    else if (!strcmp(what, "info_other_kernel")) info_into(dlmodule_find("ownlib"));
    else if (!strcmp(what, "mb_kernel")) mb_recv_into(dlmodule_self());
    else if (!strcmp(what, "event_kernel")) event_recv_into(dlmodule_self());
    else if (!strcmp(what, "info_firmware")) info_into(&_impure_ptr);
    else if (!strcmp(what, "mb_firmware")) mb_recv_into(&_impure_ptr);
    else if (!strcmp(what, "event_firmware")) event_recv_into(&_impure_ptr);
    else if (!strcmp(what, "info_own_code")) info_into((void *)own);
    else {
        printf("owners: unknown case '%s'\n", what);
        return 2;
    }
    printf("owners: %s survived\n", what);
    return 0;
}
