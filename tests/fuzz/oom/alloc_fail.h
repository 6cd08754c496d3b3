/* Allocation-failure injection: the test executable defines malloc, calloc,
 * realloc, free and the aligned allocators itself, so every allocation in the
 * process - the gSOAP engine linked statically into it, libc's own strdup
 * and printf, libcurl - passes through here, and so does every cell the
 * library makes during a parse (soap/cells.h), through its test hooks.
 * Single-threaded use only. */
#ifndef EWS_ALLOC_FAIL_H
#define EWS_ALLOC_FAIL_H

#include <stddef.h>

/* Counts allocation calls from now on and makes call number k (1-based)
 * fail; k = 0 counts without failing. */
void alloc_fail_arm(size_t k);
/* Stops counting and failing. */
void alloc_fail_disarm(void);
/* Allocation calls since the last arm (including the one that failed). */
size_t alloc_fail_calls(void);
/* 1 when the armed failure has been injected. */
int alloc_fail_fired(void);
/* Blocks allocated and not yet freed, over the whole process life. */
long alloc_fail_live(void);

#endif
