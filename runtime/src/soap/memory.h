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
 * While a parse's heap is current (soap/cells.h), requests of up to
 * EWS_CELLS_MAX bytes are cells; free and realloc are wrapped too and tell
 * cells from the C library's blocks by the cells' reserved address range,
 * an exact test (docs/SECURITY.md, "Allocator"). */
#ifndef EWS_SOAP_MEMORY_H
#define EWS_SOAP_MEMORY_H

#include <stddef.h>

/* malloc calls that returned NULL in this thread so far. */
unsigned long ews_alloc_failures(void);

/* Tops the set-aside blocks up again; call around engine work. */
void ews_alloc_reserve_fill(void);

/* Blocks currently set aside (for tests that balance allocations). */
size_t ews_alloc_reserve_size(void);

/* What __wrap_malloc, __wrap_free and __wrap_realloc do, under names a
 * test can call (the wrappers are local to the library). */
void *ews_mem_malloc(size_t n);
void ews_mem_free(void *p);
void *ews_mem_realloc(void *p, size_t n);

/* For the allocation-failure sweeps, which see the C library's calls
 * only: cell_fails() is asked before each cell is made (nonzero: the
 * request fails as a failed malloc would), cell_count() hears +1 for a
 * cell made and -1 for one freed. NULL: none. */
typedef struct ews_alloc_hooks {
    int (*cell_fails)(void);
    void (*cell_count)(int delta);
} ews_alloc_hooks;
extern const ews_alloc_hooks *ews_alloc_test_hooks;

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
