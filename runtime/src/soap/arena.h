/* Bump allocator: many small index arrays, freed at once with their list. */
#ifndef EWS_ARENA_H
#define EWS_ARENA_H

#include <stddef.h>

typedef struct ews_arena_chunk ews_arena_chunk;

typedef struct ews_arena {
    ews_arena_chunk *head;
    size_t chunk_size;
} ews_arena;

void ews_arena_init(ews_arena *a, size_t chunk_size);
/* Zeroed, aligned for any type; NULL when out of memory (or n*size overflows). */
void *ews_arena_calloc(ews_arena *a, size_t n, size_t size);
void ews_arena_free(ews_arena *a);

#endif
