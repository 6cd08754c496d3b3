/* ews-imlist: what a command that changes the list prints.
 * Copyright (C) the ews-c authors. SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdarg.h>
#include <stdlib.h>

#include "cli.h"

static char *format(const char *fmt, va_list ap)
{
    va_list again;
    va_copy(again, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    char *s = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (s)
        vsnprintf(s, (size_t)n + 1, fmt, again);
    va_end(again);
    return s;
}

int cli_print_done(FILE *f, int json, const ews_im_group *group, const ews_persona *persona,
                   const char *fmt, ...)
{
    if (json) {
        if (group)
            return cli_print_json_group(f, group);
        if (persona)
            return cli_print_json_persona(f, persona);
        /* Still a JSON document, so a script can parse every success. */
        return fputs("{}\n", f) == EOF ? CLI_EXIT_INTERNAL : 0;
    }
    va_list ap;
    va_start(ap, fmt);
    char *line = format(fmt, ap);
    va_end(ap);
    /* Names and ids come from the server or the command line: neither may
     * drive the terminal. */
    char *clean = line ? cli_text_clean(line) : NULL;
    free(line);
    if (!clean) {
        fputs(CLI_NAME ": out of memory\n", stderr);
        return CLI_EXIT_INTERNAL;
    }
    int bad = fprintf(f, "%s\n", clean) < 0;
    free(clean);
    return bad ? CLI_EXIT_INTERNAL : 0;
}
