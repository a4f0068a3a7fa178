/* newlib's reentrancy structures (issue 10): one per module thread, so what a module's libc
 * calls keep (errno, strtok's and rand's state, dtoa's buffers) is its thread's own, and the
 * firmware's global one is never written once boot is done.
 *
 * This newlib (3.3, neither _REENT_SMALL nor _REENT_GLOBAL_STDIO_STREAMS) has no
 * __getreent: libc reaches the running thread's structure through _impure_ptr, which the
 * kernel sets at every thread switch (libcstate.py; a kernel write, past the page
 * protection). Three kinds of struct _reent:
 *   - impure_data, newlib's global one (_GLOBAL_REENT): after boot it only heads the list of
 *     FILEs (fopen's table) and nothing writes it, so link.ld puts it on the read-only
 *     firmware-variable pages;
 *   - rtdl_system_reent, for code outside module threads (the system threads, constructors
 *     and destructors, timer and idle callbacks, host calls): libc's writable state, put back
 *     when the last module goes;
 *   - a copy of rtdl_reent_template in a heap block of each module thread, made by the
 *     kernel on its first switch and freed with the thread.
 * The stdio streams are one set for all of them (as on a board with one console), with
 * fopen's first free FILEs and the streams' buffers: every reent's _stdin/_stdout/_stderr
 * point there, so one line written by two threads comes out as written, whichever thread
 * flushes it. They are statics next to the system reent (rtdl_stdio_files, rtdl_stdio_bufs):
 * link.ld puts all of libc's writable state on pages of their own, read-only while module
 * code runs but for libc's own stores (port/rtdl_board/libcguard.py).
 *
 * Each object is defined here rather than taken from libc.a's impure.o, where the pointer
 * and the structure share one input section and could not go on different pages. */
#include <reent.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

/* newlib's findfp.c */
void __sinit(struct _reent *s);
void _cleanup_r(struct _reent *ptr);

#define STD_FILES  3
#define FREE_FILES 4       /* the FILEs fopen finds before libc grows the table (NDYNAMIC) */

static struct _reent impure_data = _REENT_INIT(impure_data);

struct _reent *_impure_ptr = &impure_data;
struct _reent *const _global_impure_ptr = &impure_data;

struct _reent rtdl_system_reent;
struct _reent rtdl_reent_template;

/* The streams and fopen's first FILEs, and the list that holds them (newlib's struct _glue) */
FILE rtdl_stdio_files[STD_FILES + FREE_FILES];
struct _glue rtdl_stdio_glue;
/* stdout's and stderr's line buffers (kernel_api.c's setvbuf) */
char rtdl_stdio_bufs[2][256];

/* What the kernel needs of struct _reent (libcstate.py): its size, where the template and
 * the system reent are, and the members the blocks libc allocates for a thread hang from
 * (dtoa's Bigints: the one it returned last, and its free lists per size). */
const unsigned int rtdl_reent_layout[] = {
    sizeof(struct _reent),
    (unsigned int)&rtdl_reent_template,
    (unsigned int)&rtdl_system_reent,
    offsetof(struct _reent, _result),
    offsetof(struct _reent, _freelist),
    sizeof(FILE),                         /* rtdl_stdio_files: stdin, stdout, stderr, free */
    /* what the kernel needs of the FILEs fopen adds after boot, which the last module's end
     * frees (libcfiles.py): the list's first block and where a FILE keeps its buffers */
    (unsigned int)&rtdl_stdio_glue,
    offsetof(FILE, _flags),
    offsetof(FILE, _bf),
    offsetof(FILE, _ub),
    offsetof(FILE, _ubuf),
    STD_FILES + FREE_FILES,
};

/* First thing at boot (rtdl_firmware_init): the three streams move from the global reent
 * into rtdl_stdio_files, which also holds fopen's first free FILEs - the system's, not
 * allocated on behalf of whichever module opens a file first; the global reent keeps
 * an empty head of that list (fopen walks it from _GLOBAL_REENT and extends it at its last
 * block, never at the head). The system reent takes over as _REENT. */
void rtdl_reent_init(void)
{
    struct _reent *global = &impure_data;
    struct _reent *sys = &rtdl_system_reent;
    struct _glue *glue = &rtdl_stdio_glue;
    FILE *files = rtdl_stdio_files;
    int i;

    _REENT_INIT_PTR(sys);
    __sinit(global);                      /* newlib sets up the streams in global->__sf */
    glue->_next = NULL;                   /* fopen links more FILEs here when these are used */
    glue->_niobs = STD_FILES + FREE_FILES;
    glue->_iobs = files;
    for (i = 0; i < STD_FILES; i++)
    {
        files[i] = global->__sf[i];
        files[i]._cookie = &files[i];      /* a stream is its own cookie */
        memset(&global->__sf[i], 0, sizeof global->__sf[i]);
    }
    global->_stdin = &files[0];
    global->_stdout = &files[1];
    global->_stderr = &files[2];
    global->__sglue._niobs = 0;
    global->__sglue._iobs = NULL;
    global->__sglue._next = glue;
    sys->_stdin = global->_stdin;
    sys->_stdout = global->_stdout;
    sys->_stderr = global->_stderr;
    sys->__sdidinit = 1;                  /* the streams exist: libc must not set up its own */
    sys->__cleanup = _cleanup_r;
    rtdl_reent_template = *sys;
    _impure_ptr = sys;
}

/* Last thing at boot: a thread's reent shares the cache of powers of five dtoa built while
 * booting (complete for doubles, so never extended: pow5mult only links a power that is
 * missing). Bigints and the rest are the thread's own. */
void rtdl_reent_done(void)
{
    _REENT_MP_P5S(&rtdl_reent_template) = _REENT_MP_P5S(&rtdl_system_reent);
}

/* fflush(NULL) (also dlmodule_exit's and abort's: the Makefile links with --wrap=fflush) flushes every stream
 * with the caller's reent: newlib's own walks them with _GLOBAL_REENT as the reent, whose
 * errno it clears and restores around flushing a read stream, a store into read-only
 * memory now. */
int __real_fflush(FILE *fp);

int __wrap_fflush(FILE *fp)
{
    struct _glue *glue;
    FILE *f;
    int n, ret = 0;

    if (fp != NULL)
        return __real_fflush(fp);
    for (glue = &_GLOBAL_REENT->__sglue; glue != NULL; glue = glue->_next)
        for (f = glue->_iobs, n = glue->_niobs; n > 0; f++, n--)
            if (f->_flags != 0 && f->_flags != 1 && f->_file != -1)   /* in use, not being set up */
                ret |= _fflush_r(_REENT, f);
    return ret;
}
