/* ews-imlist export: the mailbox list, and the output file --resume can
 * continue.
 * Copyright (C) the ews-c authors. SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Why the output survives a kill -9 or a power loss: each mailbox is one
 * line handed to the kernel with a single write(2) on an O_APPEND file, so
 * a crash leaves complete lines and at most one partial last line; --resume
 * removes that partial line (it never ends in '\n') before appending. The
 * file is fdatasync'ed at most once a second and at the end: a power loss
 * costs at most the last second's mailboxes, which --resume fetches again.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "export.h"

int64_t export_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int valid_address(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > EXPORT_MAX_ADDRESS)
        return 0;
    const char *at = strchr(s, '@');
    if (!at || at == s || !at[1] || strchr(at + 1, '@'))
        return 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p <= 0x20 || *p == 0x7f || *p == '<' || *p == '>' || *p == '"')
            return 0;
    return 1;
}

void export_list_free(export_list *l)
{
    for (size_t i = 0; i < l->count; i++)
        free(l->items[i]);
    free(l->items);
    l->items = NULL;
    l->count = 0;
}

int export_list_read(export_list *l, const char *path)
{
    memset(l, 0, sizeof *l);
    int from_stdin = strcmp(path, "-") == 0;
    FILE *f = from_stdin ? stdin : fopen(path, "r");
    if (!f) {
        fprintf(stderr, CLI_NAME ": --mailboxes '%.200s': %s\n", path, strerror(errno));
        return CLI_EXIT_USAGE;
    }
    char *line = NULL;
    size_t cap = 0, alloc = 0, lineno = 0;
    ssize_t got;
    int status = 0;
    while ((got = getline(&line, &cap, f)) >= 0) {
        lineno++;
        char *s = line, *e = line + got;
        while (s < e && isspace((unsigned char)*s))
            s++;
        while (e > s && isspace((unsigned char)e[-1]))
            e--;
        *e = '\0';
        if (!*s || *s == '#')
            continue;
        if (!valid_address(s)) {
            fprintf(stderr, CLI_NAME ": --mailboxes %s line %zu: not a mailbox address\n",
                    from_stdin ? "(standard input)" : path, lineno);
            status = CLI_EXIT_USAGE;
            break;
        }
        if (l->count == alloc) {
            size_t na = alloc ? alloc * 2 : 256;
            char **ni = realloc(l->items, na * sizeof *ni);
            if (!ni) {
                status = CLI_EXIT_INTERNAL;
                break;
            }
            l->items = ni;
            alloc = na;
        }
        if (!(l->items[l->count] = strdup(s))) {
            status = CLI_EXIT_INTERNAL;
            break;
        }
        l->count++;
    }
    if (!status && ferror(f)) {
        fprintf(stderr, CLI_NAME ": --mailboxes: read error\n");
        status = CLI_EXIT_INTERNAL;
    }
    if (status == CLI_EXIT_INTERNAL && !ferror(f))
        fprintf(stderr, CLI_NAME ": out of memory reading --mailboxes\n");
    free(line);
    if (!from_stdin)
        fclose(f);
    if (!status && l->count == 0) {
        fprintf(stderr, CLI_NAME ": --mailboxes: no addresses\n");
        status = CLI_EXIT_USAGE;
    }
    if (status)
        export_list_free(l);
    return status;
}

static char *lower_dup(const char *s)
{
    char *d = strdup(s);
    for (char *p = d; p && *p; p++)
        *p = (char)tolower((unsigned char)*p);
    return d;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int export_out_has(const export_out *out, const char *mailbox)
{
    if (!out->done_count)
        return 0;
    char *key = lower_dup(mailbox);
    if (!key)
        return 0;
    int found = bsearch(&key, out->done, out->done_count, sizeof *out->done, cmp_str) != NULL;
    free(key);
    return found;
}

/* The mailboxes of the complete lines in data[0, len). */
static int scan_lines(export_out *out, const char *data, size_t len)
{
    size_t alloc = 0, lineno = 0;
    for (size_t pos = 0; pos < len;) {
        const char *nl = memchr(data + pos, '\n', len - pos);
        size_t n = (size_t)(nl - (data + pos));
        lineno++;
        json_error_t je;
        json_t *v = json_loadb(data + pos, n, 0, &je);
        const char *mbx = v ? json_string_value(json_object_get(v, "mailbox")) : NULL;
        if (!mbx) {
            json_decref(v);
            fprintf(stderr, CLI_NAME ": --resume: %.200s line %zu is not an export line; not "
                                     "appending to it\n", out->name, lineno);
            return CLI_EXIT_INVALID;
        }
        if (out->done_count == alloc) {
            size_t na = alloc ? alloc * 2 : 256;
            char **nd = realloc(out->done, na * sizeof *nd);
            if (!nd) {
                json_decref(v);
                return CLI_EXIT_INTERNAL;
            }
            out->done = nd;
            alloc = na;
        }
        out->done[out->done_count] = lower_dup(mbx);
        json_decref(v);
        if (!out->done[out->done_count])
            return CLI_EXIT_INTERNAL;
        out->done_count++;
        pos += n + 1;
    }
    if (out->done_count)
        qsort(out->done, out->done_count, sizeof *out->done, cmp_str);
    return 0;
}

/* --resume: reads what the file holds, then cuts a partial last line. */
static int resume_file(export_out *out, int rfd)
{
    struct stat st;
    if (fstat(rfd, &st) != 0 || !S_ISREG(st.st_mode)) {
        fprintf(stderr, CLI_NAME ": --resume needs --output to be a regular file\n");
        return CLI_EXIT_USAGE;
    }
    size_t size = (size_t)st.st_size;
    char *data = malloc(size ? size : 1);
    if (!data) {
        fprintf(stderr, CLI_NAME ": out of memory reading %.200s\n", out->name);
        return CLI_EXIT_INTERNAL;
    }
    size_t got = 0;
    while (got < size) {
        ssize_t r = pread(rfd, data + got, size - got, (off_t)got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    size_t complete = got;
    while (complete > 0 && data[complete - 1] != '\n')
        complete--;
    int status = scan_lines(out, data, complete);
    free(data);
    if (status == CLI_EXIT_INTERNAL)
        fprintf(stderr, CLI_NAME ": out of memory reading %.200s\n", out->name);
    if (status)
        return status;
    if (complete < (size_t)st.st_size) {
        /* A line cut short by a crash: never data. */
        if (ftruncate(out->fd, (off_t)complete) != 0) {
            fprintf(stderr, CLI_NAME ": --resume: cannot remove the partial last line of "
                                     "%.200s: %s\n", out->name, strerror(errno));
            return CLI_EXIT_INTERNAL;
        }
        out->dropped = (size_t)st.st_size - complete;
    }
    return 0;
}

int export_out_open(export_out *out, const cli_options *o)
{
    memset(out, 0, sizeof *out);
    out->last_sync_ms = export_now_ms();
    if (!o->output) {
        out->fd = STDOUT_FILENO;
        out->name = "standard output";
        return 0;
    }
    out->name = o->output;
    out->is_file = 1;
    /* 0600: the lists name people and their contacts. */
    out->fd = open(o->output, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (out->fd < 0) {
        fprintf(stderr, CLI_NAME ": --output '%.200s': %s\n", o->output, strerror(errno));
        return CLI_EXIT_USAGE;
    }
    int status = 0;
    if (o->resume) {
        /* O_APPEND writes go to the end whatever the descriptor; reading
         * needs its own descriptor. */
        int rfd = open(o->output, O_RDONLY | O_CLOEXEC);
        if (rfd < 0) {
            fprintf(stderr, CLI_NAME ": --output '%.200s': %s\n", o->output, strerror(errno));
            status = CLI_EXIT_USAGE;
        } else {
            status = resume_file(out, rfd);
            close(rfd);
        }
    } else {
        struct stat st;
        if (fstat(out->fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
            fprintf(stderr, CLI_NAME ": --output '%.200s' is not empty: add --resume to "
                                     "continue it, or remove it\n", o->output);
            status = CLI_EXIT_USAGE;
        }
    }
    if (status) {
        close(out->fd);
        out->fd = -1;
    }
    return status;
}

int export_out_line(export_out *out, const char *line, size_t len)
{
    if (out->failed)
        return -1;
    size_t done = 0;
    while (done < len) {
        ssize_t w = write(out->fd, line + done, len - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            fprintf(stderr, CLI_NAME ": writing %.200s: %s\n", out->name,
                    w < 0 ? strerror(errno) : "nothing written");
            out->failed = 1;
            return -1;
        }
        done += (size_t)w;
    }
    if (out->is_file) {
        int64_t now = export_now_ms();
        if (now - out->last_sync_ms >= 1000) {
            fdatasync(out->fd);
            out->last_sync_ms = now;
        }
    }
    return 0;
}

int export_out_close(export_out *out)
{
    int rc = 0;
    for (size_t i = 0; i < out->done_count; i++)
        free(out->done[i]);
    free(out->done);
    out->done = NULL;
    if (out->is_file && out->fd >= 0) {
        if (fdatasync(out->fd) != 0 || close(out->fd) != 0) {
            fprintf(stderr, CLI_NAME ": writing %.200s: %s\n", out->name, strerror(errno));
            rc = -1;
        }
        out->fd = -1;
    }
    return out->failed ? -1 : rc;
}
