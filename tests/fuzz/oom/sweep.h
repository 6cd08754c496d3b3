/* The allocation-failure sweep: run an operation once cleanly to count its
 * allocation calls N, then N more times with call k = 1..N failing, and
 * require each run to fail cleanly or to succeed with the whole result. */
#ifndef EWS_OOM_SWEEP_H
#define EWS_OOM_SWEEP_H

#include <stddef.h>

#include "core/buf.h"
#include "core/error.h"

typedef struct sweep_ops {
    /* The operation under test; on 0, *result is what it made. */
    int (*run)(void *ctx, void **result, ews_err *err);
    /* Appends everything a caller can read from a result (not injected). */
    void (*dump)(void *ctx, const void *result, ews_buf *out);
    /* Frees a result (frees never fail, but they count for leaks). */
    void (*release)(void *result);
    /* Optional: drops what the operation left in ctx on purpose (a client's
     * last-error record), after the checks and before counting leaks. */
    void (*settle)(void *ctx);
} sweep_ops;

typedef struct sweep_stats {
    size_t points;     /* allocation calls of the clean run */
    size_t swept;      /* k values tried */
    size_t enomem;     /* runs that failed with EWS_ENOMEM */
    size_t other_err;  /* runs that failed with another code */
    size_t succeeded;  /* runs that succeeded (complete result) */
} sweep_stats;

/* Sweeps every k up to `full`, then every `stride`-th k up to N. Any broken
 * promise aborts (oracle.h). Adds to *total and prints one line. */
void sweep(const char *name, const sweep_ops *ops, void *ctx, size_t full, size_t stride,
           sweep_stats *total);

/* The whole file at path (new, free()); a missing file or no memory is a
 * broken promise of the test itself. */
char *sweep_read_file(const char *path, size_t *len);

/* Prints the totals; returns the process exit status. */
int sweep_report(const sweep_stats *total);

#endif
