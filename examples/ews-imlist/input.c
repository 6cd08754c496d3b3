/* ews-imlist: reading a saved response for --from-file.
 * Copyright (C) the ews-c authors. SPDX-License-Identifier: GPL-2.0-or-later
 */
/* madvise(MADV_HUGEPAGE) is a Linux extension */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "cli.h"

/* Large pages for a large buffer where the kernel gives them on request:
 * the read faults it in 2 MiB at a time instead of 4 kB (about a tenth of
 * --from-file's time on a 30 MB response went to those faults). */
static void advise_huge(char *buf, size_t len)
{
#ifdef MADV_HUGEPAGE
    const uintptr_t huge = (uintptr_t)2 << 20;
    uintptr_t lo = ((uintptr_t)buf + huge - 1) & ~(huge - 1);
    uintptr_t hi = ((uintptr_t)buf + len) & ~(huge - 1);
    if (hi > lo)
        (void)madvise((void *)lo, hi - lo, MADV_HUGEPAGE);
#else
    (void)buf;
    (void)len;
#endif
}

int cli_read_input(const char *path, size_t max, char **data, size_t *len)
{
    *data = NULL;
    *len = 0;
    int from_stdin = strcmp(path, "-") == 0;
    const char *shown = from_stdin ? "standard input" : path;
    FILE *f = from_stdin ? stdin : fopen(path, "rb");
    if (!f) {
        fprintf(stderr, CLI_NAME ": --from-file '%.200s': %s\n", path, strerror(errno));
        return CLI_EXIT_USAGE;
    }
    size_t cap = 0, n = 0;
    char *buf = NULL;
    int status = 0;
    /* A regular file's size is known: one buffer of that size and a byte
     * (the end-of-file read needs room), rather than doubling up to it. */
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
        (uintmax_t)st.st_size <= max) {
        cap = (size_t)st.st_size + 1;
        buf = malloc(cap + 1);
        if (!buf) {
            fprintf(stderr, CLI_NAME ": out of memory reading %.200s\n", shown);
            if (!from_stdin)
                fclose(f);
            return CLI_EXIT_INTERNAL;
        }
        advise_huge(buf, cap + 1);
    }
    for (;;) {
        if (n == cap) {
            /* The same ceiling a live call has, so a saved response that a
             * server could not have delivered is not accepted either. */
            if (cap > max) {
                fprintf(stderr, CLI_NAME ": %.200s: larger than the %zu-byte response limit\n",
                        shown, max);
                status = CLI_EXIT_INVALID;
                break;
            }
            size_t ncap = cap ? cap * 2 : 65536;
            if (ncap > max + 1)
                ncap = max + 1;
            char *nbuf = realloc(buf, ncap + 1);
            if (!nbuf) {
                fprintf(stderr, CLI_NAME ": out of memory reading %.200s\n", shown);
                status = CLI_EXIT_INTERNAL;
                break;
            }
            buf = nbuf;
            cap = ncap;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0) {
            if (ferror(f)) {
                fprintf(stderr, CLI_NAME ": reading %.200s: %s\n", shown, strerror(errno));
                status = CLI_EXIT_USAGE;
            }
            break;
        }
    }
    if (!from_stdin)
        fclose(f);
    if (status == 0 && n > max) {
        fprintf(stderr, CLI_NAME ": %.200s: larger than the %zu-byte response limit\n", shown,
                max);
        status = CLI_EXIT_INVALID;
    }
    if (status) {
        free(buf);
        return status;
    }
    buf[n] = '\0';
    *data = buf;
    *len = n;
    return 0;
}
