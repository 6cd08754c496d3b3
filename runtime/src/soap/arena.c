#include "soap/arena.h"

#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct ews_arena_chunk {
    ews_arena_chunk *next;
    size_t used, size;
    alignas(max_align_t) unsigned char data[];
};

void ews_arena_init(ews_arena *a, size_t chunk_size)
{
    a->head = NULL;
    a->chunk_size = chunk_size ? chunk_size : 16384;
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
