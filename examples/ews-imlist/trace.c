/* ews-imlist: --trace FILE, the wire log.
 * Copyright (C) the ews-c authors. SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The library hands over blocks with credentials already masked; this file
 * only frames them so a reader can tell where one ends and the next begins.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

int cli_trace_open(cli_trace *t, const char *path, char *err, size_t errlen)
{
    if (strcmp(path, "-") == 0) {
        t->f = stderr;
        t->borrowed = 1;
        return 0;
    }
    /* 0600: the trace holds the mailbox's contacts even with secrets
     * masked, so it is created private like a mail spool. */
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        return cli_fail(err, errlen, "--trace '%.200s': %s", path, strerror(errno));
    t->f = fdopen(fd, "w");
    if (!t->f) {
        int rc = cli_fail(err, errlen, "--trace '%.200s': %s", path, strerror(errno));
        close(fd);
        return rc;
    }
    return 0;
}

static const char *kind_name(ews_trace_kind kind)
{
    switch (kind) {
    case EWS_TRACE_INFO: return "info";
    case EWS_TRACE_REQUEST_HEADERS: return "request headers";
    case EWS_TRACE_REQUEST_BODY: return "request body";
    case EWS_TRACE_RESPONSE_HEADERS: return "response headers";
    case EWS_TRACE_RESPONSE_BODY: return "response body";
    }
    return "data";
}

void cli_trace_cb(ews_trace_kind kind, const char *data, size_t len, void *userdata)
{
    cli_trace *t = userdata;
    if (!t || !t->f)
        return;
    struct timespec ts = { 0, 0 };
    struct tm tm;
    char when[32] = "";
    if (clock_gettime(CLOCK_REALTIME, &ts) == 0 && gmtime_r(&ts.tv_sec, &tm))
        strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S", &tm);
    fprintf(t->f, "=== %s.%03ldZ %s (%zu bytes) ===\n", when, ts.tv_nsec / 1000000L,
            kind_name(kind), len);
    if (len)
        fwrite(data, 1, len, t->f);
    if (len == 0 || data[len - 1] != '\n')
        fputc('\n', t->f);
    /* Flushed per block so a trace of a call that hangs or crashes still
     * shows how far it got. */
    fflush(t->f);
}

int cli_trace_close(cli_trace *t)
{
    if (!t->f)
        return 0;
    int bad = ferror(t->f);
    if (t->borrowed ? fflush(t->f) != 0 : fclose(t->f) != 0)
        bad = 1;
    t->f = NULL;
    return bad ? -1 : 0;
}
