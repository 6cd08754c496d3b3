/* Size-class cells for the engine's small blocks during a parse.
 *
 * A parse makes about 170 blocks per persona, almost all of 24 to 56
 * bytes (soap_malloc: payload, canary and the block-list link). The C
 * library gives each an 8-byte header and rounds it to 16 bytes, 30% over
 * what was asked for on a large list. While a heap is current in a thread
 * (soap/memory.c asks), such requests are cut from slabs of one size
 * each, with no header and 8-byte steps; larger ones stay the C library's.
 *
 * Every slab lies in one address range reserved once per process and never
 * unmapped, so "is this block a cell?" is an exact test of its address: no
 * other mapping, the C library's included, can lie inside a live mapping of
 * ours (docs/SECURITY.md, "Allocator"). A heap's slabs go back to a common
 * pool when the heap is released; a slab still holding cells then (a block
 * that outlives its parse) waits for its last cell instead.
 *
 * A heap is used by one thread at a time; its cells may be freed in any
 * thread, but not at the same time as the heap allocates. */
#ifndef EWS_SOAP_CELLS_H
#define EWS_SOAP_CELLS_H

#include <stddef.h>

typedef struct ews_cells ews_cells;

/* Requests above this many bytes are the C library's. */
enum { EWS_CELLS_MAX = 256 };

/* A new heap; NULL when cells are switched off or unavailable (the blocks
 * are then the C library's). */
ews_cells *ews_cells_new(void);
/* Releases the heap (NULL is fine); blocks still live stay valid. */
void ews_cells_release(ews_cells *h);

/* Makes h the calling thread's current heap; returns the previous one,
 * for ews_cells_leave. */
ews_cells *ews_cells_enter(ews_cells *h);
void ews_cells_leave(ews_cells *previous);
/* The calling thread's current heap, or NULL. */
ews_cells *ews_cells_current(void);

/* A cell of at least n bytes (n <= EWS_CELLS_MAX) from the current heap,
 * aligned to 8; NULL when there is no current heap or no slab to be had. */
void *ews_cells_alloc(size_t n);
/* Whether p is a cell (exact: any address, NULL included). */
int ews_cells_owns(const void *p);
/* Returns cell p to its slab. */
void ews_cells_free(void *p);
/* The bytes cell p can hold. */
size_t ews_cells_usable(const void *p);
/* Same, and makes them all readable to a memory checker, which knows
 * only the bytes asked for: before copying the cell as a whole. */
size_t ews_cells_open(void *p);

/* ---- knobs and figures, for benchmarks and tests ------------------------ */

/* Nonzero (the default): new heaps hand out cells. A benchmark clears it
 * to compare with the C library in the same run. */
extern int ews_cells_enabled;

/* The bytes to reserve; 0 (the default) tries 64 GiB down to 256 MiB.
 * Read once, at the first ews_cells_new(): a test makes it small to see
 * the region run out. */
extern size_t ews_cells_region_request;

typedef struct ews_cells_stats {
    size_t region_bytes;   /* reserved; 0: cells unavailable */
    size_t committed;      /* made readable and writable so far */
    size_t slabs_out;      /* held by heaps, or orphaned with live cells */
    size_t slabs_peak;     /* the most out at once since the last reset */
    size_t slabs_orphaned; /* released heaps' slabs waiting for their cells */
    size_t pool_dirty;     /* free slabs kept as they are, for reuse */
    size_t pool_clean;     /* free slabs given back to the system */
} ews_cells_stats;

void ews_cells_get_stats(ews_cells_stats *s);
/* Starts slabs_peak again from slabs_out. */
void ews_cells_reset_peak(void);

#endif
