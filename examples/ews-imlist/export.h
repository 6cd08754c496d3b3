/* ews-imlist export: every mailbox's IM list as NDJSON (issue 16).
 * Copyright (C) the ews-c authors. SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Shared by export.c (workers, signals, summary), export_file.c (the
 * mailbox list, the output and --resume) and export_progress.c.
 */
#ifndef EWS_IMLIST_EXPORT_H
#define EWS_IMLIST_EXPORT_H

#include <stddef.h>
#include <stdint.h>

#include "cli.h"

/* Longest address accepted in --mailboxes (RFC 5321's path limit). */
#define EXPORT_MAX_ADDRESS 320

typedef struct export_list {
    char **items;      /* as given, trimmed */
    size_t count;
} export_list;

/* Reads --mailboxes ("-": standard input): one address a line; blank lines
 * and lines starting with '#' are skipped. 0, or an exit status with the
 * message printed (a bad line is a usage error naming its number). */
int export_list_read(export_list *l, const char *path);
void export_list_free(export_list *l);

typedef struct export_out {
    int fd;
    int is_file;          /* --output: appended, synced, resumable */
    const char *name;     /* for messages */
    char **done;          /* --resume: the mailboxes in the file, lower case, sorted */
    size_t done_count;
    size_t dropped;       /* bytes of a partial last line removed */
    int64_t last_sync_ms;
    int failed;           /* a write failed: nothing more is written */
} export_out;

/* Opens o->output (or standard output). With resume, reads the complete
 * lines already there and truncates a partial last line; without it, a
 * file that is not empty is refused. 0, or an exit status with the
 * message printed. */
int export_out_open(export_out *out, const cli_options *o);
/* Whether mailbox is in the file already (--resume). */
int export_out_has(const export_out *out, const char *mailbox);
/* Writes one whole line (ending in '\n') with a single write(2) (more only
 * if the kernel takes part of it); syncs a file at most once a second. The
 * caller serialises calls. 0 or -1 (message printed once). */
int export_out_line(export_out *out, const char *line, size_t len);
/* Syncs and closes. 0 or -1 (message printed). */
int export_out_close(export_out *out);

/* Progress on a terminal (export_progress.c). */
typedef struct export_progress {
    int enabled;          /* standard error is a terminal */
    int64_t start_ms;
    size_t total;
    int shown;            /* a line is on the screen */
} export_progress;

void export_progress_init(export_progress *p, size_t total);
/* Redraws the line: done of total, rate, errors, ETA. */
void export_progress_draw(export_progress *p, size_t done, size_t errors);
/* Clears the line so other output can go to standard error. */
void export_progress_clear(export_progress *p);
int64_t export_now_ms(void);

/* export.c: runs the export with clients made from co. An exit status. */
int cli_export(const cli_options *o, const ews_client_options *co);

#endif
