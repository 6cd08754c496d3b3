/* glibc's __libc_* entry points let the interposer reach the real allocator
 * without dlsym, which itself allocates. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "alloc_count.h"

#include <errno.h>
#include <malloc.h>
#include <stdlib.h>

extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *p, size_t size);
extern void *__libc_memalign(size_t align, size_t size);
extern void __libc_free(void *p);

static alloc_stats stats;

static void *took(void *p)
{
    if (p) {
        stats.calls++;
        stats.live += malloc_usable_size(p);
        if (stats.live > stats.peak)
            stats.peak = stats.live;
    }
    return p;
}

void alloc_reset(void)
{
    stats.calls = 0;
    stats.peak = stats.live;
}

alloc_stats alloc_get(void)
{
    return stats;
}

void *malloc(size_t size)
{
    return took(__libc_malloc(size));
}

void *calloc(size_t n, size_t size)
{
    return took(__libc_calloc(n, size));
}

void free(void *p)
{
    if (p)
        stats.live -= malloc_usable_size(p);
    __libc_free(p);
}

void *realloc(void *p, size_t size)
{
    size_t old = p ? malloc_usable_size(p) : 0;
    void *q = __libc_realloc(p, size);
    if (!q) {
        if (size == 0) /* glibc: realloc(p, 0) frees p */
            stats.live -= old;
        return NULL;
    }
    stats.live -= old;
    return took(q);
}

void *memalign(size_t align, size_t size)
{
    return took(__libc_memalign(align, size));
}

void *aligned_alloc(size_t align, size_t size)
{
    return took(__libc_memalign(align, size));
}

int posix_memalign(void **out, size_t align, size_t size)
{
    void *p = took(__libc_memalign(align, size));
    if (!p)
        return ENOMEM;
    *out = p;
    return 0;
}
