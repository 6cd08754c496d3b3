#include "soap/memory.h"

#include <pthread.h>
#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "stdsoap2.h"

#include "soap/cells.h"

/* Resolved by the linker's --wrap options; weak so that a link without
 * them (where nothing calls the wrappers) still succeeds. */
extern void *__real_malloc(size_t n) __attribute__((weak));
extern void __real_free(void *p) __attribute__((weak));
extern void *__real_realloc(void *p, size_t n) __attribute__((weak));
void *__wrap_malloc(size_t n);
void __wrap_free(void *p);
void *__wrap_realloc(void *p, size_t n);

enum { RESERVE_BLOCKS = 8 };

static _Thread_local unsigned long failures;
static pthread_mutex_t reserve_lock = PTHREAD_MUTEX_INITIALIZER;
static void *reserve[RESERVE_BLOCKS];
static size_t reserved;

const ews_alloc_hooks *ews_alloc_test_hooks;

/* A small request inside a parse is a cell (soap/cells.h); any other, a
 * reserve block included, is the C library's. */
void *ews_mem_malloc(size_t n)
{
    void *p = NULL;
    if (n <= EWS_CELLS_MAX && ews_cells_current()) {
        const ews_alloc_hooks *h = ews_alloc_test_hooks;
        if (h && h->cell_fails())
            goto failed;
        if ((p = ews_cells_alloc(n))) {
            if (h)
                h->cell_count(1);
            return p;
        }
    }
    p = __real_malloc(n);
    if (p || n == 0)
        return p;
failed:
    failures++;
    if (n <= sizeof(struct soap_blist)) {
        pthread_mutex_lock(&reserve_lock);
        if (reserved)
            p = reserve[--reserved];
        pthread_mutex_unlock(&reserve_lock);
    }
    return p;
}

/* The region test is exact (soap/cells.h): a block outside it is the C
 * library's whoever made it, libc's own strdup included. */
void ews_mem_free(void *p)
{
    if (!ews_cells_owns(p)) {
        __real_free(p);
        return;
    }
    if (ews_alloc_test_hooks)
        ews_alloc_test_hooks->cell_count(-1);
    ews_cells_free(p);
}

void *ews_mem_realloc(void *p, size_t n)
{
    if (!ews_cells_owns(p))
        return __real_realloc(p, n);
    if (n == 0) {
        ews_mem_free(p);
        return NULL;
    }
    /* Always moved: the cell does not record the size asked for, so a
     * checker could not be told which of its bytes the caller may use.
     * A failed realloc was never counted as a failure: it leaves p whole. */
    void *q = __real_malloc(n);
    if (!q)
        return NULL;
    size_t have = ews_cells_open(p);
    memcpy(q, p, have < n ? have : n);
    ews_mem_free(p);
    return q;
}

void *__wrap_malloc(size_t n)
{
    return ews_mem_malloc(n);
}

void __wrap_free(void *p)
{
    ews_mem_free(p);
}

void *__wrap_realloc(void *p, size_t n)
{
    return ews_mem_realloc(p, n);
}

unsigned long ews_alloc_failures(void)
{
    return failures;
}

void ews_alloc_reserve_fill(void)
{
    if (!__real_malloc)
        return;
    pthread_mutex_lock(&reserve_lock);
    while (reserved < RESERVE_BLOCKS) {
        void *p = __real_malloc(sizeof(struct soap_blist));
        if (!p)
            break;
        reserve[reserved++] = p;
    }
    pthread_mutex_unlock(&reserve_lock);
}

size_t ews_alloc_reserve_size(void)
{
    pthread_mutex_lock(&reserve_lock);
    size_t n = reserved;
    pthread_mutex_unlock(&reserve_lock);
    return n;
}

/* ---- the index arena ----------------------------------------------------- */

size_t ews_arena_default_chunk = 16384;

struct ews_arena_chunk {
    ews_arena_chunk *next;
    size_t used, size;
    alignas(max_align_t) unsigned char data[];
};

void ews_arena_init(ews_arena *a, size_t chunk_size)
{
    a->head = NULL;
    a->chunk_size = chunk_size ? chunk_size : ews_arena_default_chunk;
}

void *ews_arena_calloc(ews_arena *a, size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        return NULL;
    size_t bytes = n * size;
    const size_t align = alignof(max_align_t);
    bytes = (bytes + align - 1) & ~(align - 1);
    if (bytes == 0)
        bytes = align;
    ews_arena_chunk *c = a->head;
    if (!c || c->size - c->used < bytes) {
        size_t sz = bytes > a->chunk_size ? bytes : a->chunk_size;
        if (sz > SIZE_MAX - sizeof *c)
            return NULL;
        c = malloc(sizeof *c + sz);
        if (!c)
            return NULL;
        c->used = 0;
        c->size = sz;
        c->next = a->head;
        a->head = c;
    }
    void *p = c->data + c->used;
    c->used += bytes;
    memset(p, 0, bytes);
    return p;
}

void ews_arena_free(ews_arena *a)
{
    ews_arena_chunk *c = a->head;
    while (c) {
        ews_arena_chunk *next = c->next;
        free(c);
        c = next;
    }
    a->head = NULL;
}
