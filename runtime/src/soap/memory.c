#include "soap/memory.h"

#include <pthread.h>
#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "stdsoap2.h"

/* Resolved by the linker's --wrap=malloc; weak so that a link without it
 * (where nothing calls __wrap_malloc) still succeeds. */
extern void *__real_malloc(size_t n) __attribute__((weak));
void *__wrap_malloc(size_t n);

enum { RESERVE_BLOCKS = 8 };

static _Thread_local unsigned long failures;
static pthread_mutex_t reserve_lock = PTHREAD_MUTEX_INITIALIZER;
static void *reserve[RESERVE_BLOCKS];
static size_t reserved;

/* Every block handed out is the C library's own (a reserve block too), so
 * free and realloc need no wrapping: no address is ever ours to recognise. */
void *__wrap_malloc(size_t n)
{
    void *p = __real_malloc(n);
    if (p || n == 0)
        return p;
    failures++;
    if (n <= sizeof(struct soap_blist)) {
        pthread_mutex_lock(&reserve_lock);
        if (reserved)
            p = reserve[--reserved];
        pthread_mutex_unlock(&reserve_lock);
    }
    return p;
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
