/* Bad arguments to kernel services, selected by argv[1]. Every case must end as a fault
 * naming the service and the argument, or as an error result - never a host exception. */
#include <rtthread.h>
#include <dlmodule.h>
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

/* Services no header declares are reached as firmware code reaches them: SVC #n. The
 * numbers come from services.py through -D flags (SVC_CONSOLE_WRITE, SVC_ABORT, SVC_RESUME). */
#define SVC2(n, a, b) ({ register unsigned r0 __asm__("r0") = (unsigned)(a);              \
                         register unsigned r1 __asm__("r1") = (unsigned)(b);              \
                         __asm__ volatile("svc %2" : "+r"(r0) : "r"(r1), "i"(n) : "memory"); \
                         r0; })

static char unterminated[512];

int main(int argc, char *argv[])
{
    const char *what = argc > 1 ? argv[1] : "";
    char *unmapped = (char *)0x30000000;
    static const char bad_utf8[] = "\xff\xfe\xc3(";
    memset(unterminated, 'A', sizeof unterminated);
    if (!strcmp(what, "dlopen_unmapped")) dlopen(unmapped, 0);
    else if (!strcmp(what, "dlopen_unterminated")) dlopen(unterminated, 0);
    else if (!strcmp(what, "dlsym_unmapped")) dlsym(dlopen("x", 0), unmapped);
    else if (!strcmp(what, "find_unmapped")) dlmodule_find(unmapped);
    else if (!strcmp(what, "find_utf8")) printf("find: %p\n", dlmodule_find(bad_utf8));
    else if (!strcmp(what, "dlopen_utf8")) printf("dlopen: %p\n", dlopen(bad_utf8, 0));
    else if (!strcmp(what, "symbol_unmapped")) dlmodule_symbol_find(unmapped);
    else if (!strcmp(what, "thread_name")) rt_thread_create(unmapped, 0, 0, 1024, 10, 10);
    else if (!strcmp(what, "sem_name")) rt_sem_create(unterminated, 0, 0);
    else if (!strcmp(what, "sem_utf8")) printf("sem: %d\n", rt_sem_create(bad_utf8, 0, 0) != 0);
    else if (!strcmp(what, "console")) SVC2(SVC_CONSOLE_WRITE, unmapped, 16);
    else if (!strcmp(what, "console_huge")) SVC2(SVC_CONSOLE_WRITE, 0x20000000, 0x7fffffff);
    else if (!strcmp(what, "info_unmapped")) rt_memory_info((rt_size_t *)unmapped, 0, 0);
    else if (!strcmp(what, "info_flash")) rt_memory_info((rt_size_t *)(void *)printf, 0, 0);
    else if (!strcmp(what, "info_kernel")) rt_memory_info((rt_size_t *)dlmodule_self(), 0, 0);
    else if (!strcmp(what, "mb_recv_flash")) {
        rt_mailbox_t mb = rt_mb_create("mb", 4, 0);
        rt_mb_send(mb, 1);
        rt_mb_recv(mb, (rt_ubase_t *)(void *)printf, 0);
    } else if (!strcmp(what, "mq_recv_flash")) {
        rt_mq_t mq = rt_mq_create("mq", 8, 2, 0);
        rt_mq_send(mq, "message", 8);
        rt_mq_recv(mq, (void *)printf, 8, 0);
    } else if (!strcmp(what, "mq_send_unmapped")) {
        rt_mq_send(rt_mq_create("mq", 8, 2, 0), unmapped, 8);
    } else if (!strcmp(what, "thread_find_unmapped")) {
        rt_thread_find(unmapped);
    } else if (!strcmp(what, "event_recv_unmapped")) {
        rt_event_t ev = rt_event_create("ev", 0);
        rt_event_send(ev, 1);
        rt_event_recv(ev, 1, RT_EVENT_FLAG_OR, 0, (rt_uint32_t *)unmapped);
    } else if (!strcmp(what, "abort_unmapped")) {
        SVC2(SVC_ABORT, unmapped, 0);
    } else if (!strcmp(what, "exec_utf8")) {
        dlmodule_exec("x.mo", bad_utf8, 4);
    } else if (!strcmp(what, "resume")) {
        SVC2(SVC_RESUME, 0, 0);
    } else if (!strcmp(what, "suspend_idle")) {
        rt_thread_suspend(rt_thread_find("tidle0"));
    } else if (!strcmp(what, "delete_shell")) {
        rt_thread_delete(rt_thread_find("tshell"));
    } else if (!strcmp(what, "align")) {
        printf("align: %p\n", rt_malloc_align(16, 3));
    } else {
        printf("bad_args: unknown case '%s'\n", what);
        return 2;
    }
    printf("bad_args: %s survived\n", what);
    return 0;
}
