/* One heap. malloc, free, realloc, calloc, memalign and malloc_usable_size are SVC veneers
 * (aliases in port/modules/services.py) served from the kernel's RT-Thread heap. newlib's
 * internals call the reentrant _*_r forms: defining all six here keeps newlib's own malloc
 * objects (dlmalloc with its sbrk heap) out of the link. Never use mallinfo, malloc_stats,
 * mallopt, malloc_trim, valloc or pvalloc: they would pull dlmalloc back in. */
#include <errno.h>
#include <malloc.h>
#include <reent.h>
#include <stdlib.h>

#include "rtdl_services.h"

void *_malloc_r(struct _reent *r, size_t size)
{
    void *p = malloc(size);
    if (p == NULL && size != 0)
        r->_errno = ENOMEM;
    return p;
}

void _free_r(struct _reent *r, void *ptr)
{
    (void)r;
    free(ptr);
}

void *_realloc_r(struct _reent *r, void *ptr, size_t size)
{
    void *p = realloc(ptr, size);
    if (p == NULL && size != 0)
        r->_errno = ENOMEM;
    return p;
}

void *_calloc_r(struct _reent *r, size_t count, size_t size)
{
    void *p = calloc(count, size);
    if (p == NULL && count != 0 && size != 0)
        r->_errno = ENOMEM;
    return p;
}

void *_memalign_r(struct _reent *r, size_t align, size_t size)
{
    void *p = memalign(align, size);
    if (p == NULL && size != 0)
        r->_errno = ENOMEM;
    return p;
}

size_t _malloc_usable_size_r(struct _reent *r, void *ptr)
{
    (void)r;
    return malloc_usable_size(ptr);
}
