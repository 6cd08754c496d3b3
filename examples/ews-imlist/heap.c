/* ews-imlist: large pages for the parse of a large saved response.
 * Copyright (C) the ews-c authors. SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The parse of a 30 MB response writes some 70 MB of small blocks to fresh
 * heap, and on the virtual machines measured each 4 kB page's first-touch
 * fault cost more than a sixth of the run (docs/PERFORMANCE.md, "Streaming
 * JSON output"). glibc can ask for transparent huge pages on its heap, but
 * only through an environment tunable read at start-up; this does the same
 * for the one heap extension that the parse will use: the heap's top is
 * grown by what the parse is expected to need, and that range is marked
 * MADV_HUGEPAGE. Only a hint: on a kernel or allocator where the range is
 * not what is expected, madvise fails or nothing changes.
 */
#define _DEFAULT_SOURCE
#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cli.h"

void cli_heap_expect(size_t bytes)
{
#if defined(__GLIBC__) && defined(MADV_HUGEPAGE) && defined(M_TOP_PAD)
    const size_t huge = (size_t)2 << 20;
    if (bytes < 4 * huge || bytes > SIZE_MAX / 2)
        return;
    /* The next growth of the heap's top reserves this much beyond the
     * request; blocks under the mmap threshold force that growth now, once
     * what is left of the top is used up (a few at most). */
    if (!mallopt(M_TOP_PAD, (int)(bytes > INT32_MAX ? INT32_MAX : bytes)))
        return;
    char *start = sbrk(0), *end = start;
    void *held[8];
    size_t n = 0;
    while (n < sizeof held / sizeof held[0] && end == start) {
        if (!(held[n] = malloc(64 * 1024)))
            break;
        n++;
        end = sbrk(0);
    }
    /* the break to what it was grown from: the heap's free top, if the
     * heap grew in place */
    uintptr_t lo = ((uintptr_t)start + huge - 1) & ~(uintptr_t)(huge - 1);
    uintptr_t hi = (uintptr_t)end & ~(uintptr_t)(huge - 1);
    if (start != (char *)-1 && end != (char *)-1 && hi > lo)
        (void)madvise((void *)lo, hi - lo, MADV_HUGEPAGE);
    while (n)
        free(held[--n]);
#else
    (void)bytes;
#endif
}
