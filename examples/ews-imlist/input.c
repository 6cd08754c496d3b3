/* ews-imlist: reading a saved response for --from-file.
 * Copyright (C) the ews-c authors. SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

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
