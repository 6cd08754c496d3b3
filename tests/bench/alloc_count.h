/* Heap accounting by interposing malloc and friends in the benchmark
 * executable: shared libraries (libxml2, libc) resolve to these too. Not
 * thread-safe: for single-threaded benchmarks only. */
#ifndef EWS_BENCH_ALLOC_COUNT_H
#define EWS_BENCH_ALLOC_COUNT_H

#include <stddef.h>

typedef struct alloc_stats {
    size_t calls;      /* malloc, calloc, realloc (when it moves or grows from NULL), memalign */
    size_t live;       /* bytes now allocated (usable sizes) */
    size_t peak;       /* highest live since the last reset */
} alloc_stats;

/* Starts a new window: call counts from zero, peak from the current live. */
void alloc_reset(void);
alloc_stats alloc_get(void);

#endif
