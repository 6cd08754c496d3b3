/* Memory around the gSOAP engine: the allocation-failure guard and the
 * index arena.
 *
 * The guard copes with allocation failures the engine mishandles.
 *
 * The generated array readers ignore a failed soap_alloc_block(); the engine
 * then pushes the array's elements onto an enclosing block list and later
 * frees that list from under its owner: a parse "succeeds" with pointers
 * into the wrong memory, or crashes. Every malloc call linked into libews -
 * the engine's included - goes through __wrap_malloc (the link uses
 * -Wl,--wrap=malloc), which
 *  - counts failures per thread: the envelope reader and writer compare the
 *    count before and after the engine ran and fail with EWS_ENOMEM when it
 *    moved, before anything reads what the engine made;
 *  - answers a failed request no larger than a block-list header from a few
 *    blocks set aside beforehand, so the engine's unchecked path stays
 *    consistent until the reader gives up.
 * Every block comes from the C library's malloc, so free and realloc are
 * not wrapped. (A parse arena behind wrapped free/realloc was removed: it
 * recognised its cells by address and took the C library's own blocks for
 * them; see docs/SECURITY.md, "Allocator".) */
#ifndef EWS_SOAP_MEMORY_H
#define EWS_SOAP_MEMORY_H

#include <stddef.h>

/* malloc calls that returned NULL in this thread so far. */
unsigned long ews_alloc_failures(void);

/* Tops the set-aside blocks up again; call around engine work. */
void ews_alloc_reserve_fill(void);

/* Blocks currently set aside (for tests that balance allocations). */
size_t ews_alloc_reserve_size(void);

/* ---- the index arena ----------------------------------------------------- */

/* Bump allocator for what a parsed list indexes: many small arrays, freed
 * at once with their list (tests/bench/bench_arena.c measures it against a
 * malloc per array). */
typedef struct ews_arena_chunk ews_arena_chunk;

typedef struct ews_arena {
    ews_arena_chunk *head;
    size_t chunk_size;
} ews_arena;

void ews_arena_init(ews_arena *a, size_t chunk_size);
/* Zeroed, aligned for any type; NULL when out of memory (or n*size overflows). */
void *ews_arena_calloc(ews_arena *a, size_t n, size_t size);
void ews_arena_free(ews_arena *a);

/* The chunk size of ews_arena_init(a, 0). A benchmark sets 1 to compare
 * with one malloc per array in the same run. */
extern size_t ews_arena_default_chunk;

#endif
