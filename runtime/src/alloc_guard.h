/* Copes with allocation failures the gSOAP engine mishandles, and gives a
 * response's parse an arena of its own.
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
 *
 * Parse arena. A parsed response is about 170 separately allocated cells
 * per persona, each with gSOAP's header and malloc's; freeing them is a walk
 * over all of them. While a thread has entered a parse arena, the wrapped
 * malloc serves it from the arena's 1 MiB chunks instead: size-class runs
 * with no per-cell header, free lists per class (the engine frees its
 * temporary array blocks while it parses), and nothing to free per cell
 * afterwards: the arena goes away as a whole. free and realloc are wrapped
 * too (-Wl,--wrap=free,--wrap=realloc) and recognise an arena cell by its
 * chunk's address in a process-wide bitmap, so none reaches the C library.
 * Without those wraps, under valgrind (whose memcheck must see every cell)
 * or when a chunk cannot be mapped, parses use malloc as before. Under
 * AddressSanitizer the arena stays, with every cell followed by a poisoned
 * red zone and freed cells and released chunks poisoned. */
#ifndef EWS_ALLOC_GUARD_H
#define EWS_ALLOC_GUARD_H

#include <stddef.h>

/* malloc calls that returned NULL in this thread so far. */
unsigned long ews_alloc_failures(void);

/* Tops the set-aside blocks up again; call around engine work. */
void ews_alloc_reserve_fill(void);

/* Blocks currently set aside (for tests that balance allocations). */
size_t ews_alloc_reserve_size(void);

typedef struct ews_parse_arena ews_parse_arena;

/* A new arena, or NULL when arenas are off or no chunk could be had (the
 * parse then simply uses malloc). */
ews_parse_arena *ews_parse_arena_new(void);
/* From enter to leave, this thread's wrapped mallocs come from `a`. Only
 * memory that is freed before ews_parse_arena_free(a) - the engine's, in a
 * context freed first - may be allocated in between. */
void ews_parse_arena_enter(ews_parse_arena *a);
void ews_parse_arena_leave(void);
/* 1 when every allocation made inside `a`'s windows came from it (none fell
 * back to malloc): then what the engine allocated needs no freeing cell by
 * cell before ews_parse_arena_free. */
int ews_parse_arena_complete(const ews_parse_arena *a);
/* Unmaps or keeps for the next parse (a few chunks, process-wide) every
 * chunk of `a`. NULL is a no-op. */
void ews_parse_arena_free(ews_parse_arena *a);
/* Unmaps the kept chunks (ews_global_cleanup). */
void ews_parse_arena_drain(void);
/* Off (0) or on (1, the default) for arenas made from now on: the benchmark
 * measures both. */
void ews_parse_arena_set_enabled(int on);

/* Tests: called before each arena allocation; nonzero makes it fail as a
 * malloc would, so allocation-failure sweeps reach the arena's cells too. */
void ews_alloc_set_fail_hook(int (*hook)(void));

/* Process-wide figures for the benchmark: allocations served by arenas
 * so far, bytes of chunks mapped now and at most (kept ones included). */
typedef struct ews_parse_arena_stats {
    size_t cells;
    size_t mapped;
    size_t mapped_peak;
} ews_parse_arena_stats;
ews_parse_arena_stats ews_parse_arena_stats_get(void);
/* Peak back to what is mapped now. */
void ews_parse_arena_stats_reset_peak(void);

#endif
