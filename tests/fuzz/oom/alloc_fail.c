#include "alloc_fail.h"

#include <errno.h>
#include <malloc.h>
#include <stdlib.h>

#include "soap/memory.h"

/* glibc's allocator under its internal names: what ours forward to. */
extern void *__libc_malloc(size_t n);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *p, size_t n);
extern void __libc_free(void *p);
extern void *__libc_memalign(size_t align, size_t n);

static int armed;
static size_t fail_at, calls;
static int fired;
static long live;

void alloc_fail_arm(size_t k)
{
    calls = 0;
    fired = 0;
    fail_at = k;
    armed = 1;
}

void alloc_fail_disarm(void)
{
    armed = 0;
}

size_t alloc_fail_calls(void)
{
    return calls;
}

int alloc_fail_fired(void)
{
    return fired;
}

long alloc_fail_live(void)
{
    return live;
}

/* 1 when this allocation call is the one to fail. */
static int inject(void)
{
    if (!armed)
        return 0;
    if (++calls != fail_at)
        return 0;
    fired = 1;
    errno = ENOMEM;
    return 1;
}

static void *counted(void *p)
{
    if (p)
        live++;
    return p;
}

/* The library cuts a parse's small blocks from its own cells, which never
 * reach the functions below: it asks here instead (soap/memory.h). */
static int cell_fails(void)
{
    return inject();
}

static void cell_count(int delta)
{
    live += delta;
}

static const ews_alloc_hooks cell_hooks = { .cell_fails = cell_fails, .cell_count = cell_count };

__attribute__((constructor)) static void watch_cells(void)
{
    ews_alloc_test_hooks = &cell_hooks;
}

void *malloc(size_t n)
{
    return inject() ? NULL : counted(__libc_malloc(n));
}

void *calloc(size_t n, size_t size)
{
    return inject() ? NULL : counted(__libc_calloc(n, size));
}

void *realloc(void *p, size_t n)
{
    if (!p)
        return malloc(n);
    if (n == 0) {
        free(p);
        return NULL;
    }
    return inject() ? NULL : __libc_realloc(p, n);
}

void free(void *p)
{
    if (p)
        live--;
    __libc_free(p);
}

int posix_memalign(void **out, size_t align, size_t n)
{
    if (inject())
        return ENOMEM;
    void *p = counted(__libc_memalign(align, n));
    if (!p)
        return ENOMEM;
    *out = p;
    return 0;
}

void *aligned_alloc(size_t align, size_t n)
{
    return inject() ? NULL : counted(__libc_memalign(align, n));
}

void *memalign(size_t align, size_t n)
{
    return inject() ? NULL : counted(__libc_memalign(align, n));
}
