/* ews-imlist export: the progress line on a terminal.
 * Copyright (C) the ews-c authors. SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Only when standard error is a terminal: a log file or a pipe gets no
 * carriage returns and escape sequences (-v gives a line per mailbox
 * there instead).
 */
#include <unistd.h>

#include "export.h"

void export_progress_init(export_progress *p, size_t total)
{
    p->enabled = isatty(STDERR_FILENO);
    p->start_ms = export_now_ms();
    p->total = total;
    p->shown = 0;
}

void export_progress_draw(export_progress *p, size_t done, size_t errors)
{
    if (!p->enabled)
        return;
    double secs = (double)(export_now_ms() - p->start_ms) / 1000.0;
    double rate = secs > 0 ? (double)done / secs : 0;
    char eta[32] = "--:--";
    if (rate > 0 && done <= p->total) {
        long left = (long)((double)(p->total - done) / rate + 0.5);
        snprintf(eta, sizeof eta, "%ld:%02ld:%02ld", left / 3600, left / 60 % 60, left % 60);
    }
    fprintf(stderr, "\r\033[K" CLI_NAME " export: %zu/%zu mailboxes, %.1f/s, %zu error%s, ETA %s",
            done, p->total, rate, errors, errors == 1 ? "" : "s", eta);
    fflush(stderr);
    p->shown = 1;
}

void export_progress_clear(export_progress *p)
{
    if (p->enabled && p->shown) {
        fputs("\r\033[K", stderr);
        fflush(stderr);
        p->shown = 0;
    }
}
