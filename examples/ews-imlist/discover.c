/* ews-imlist: --email without --url. The EWS URL comes from the endpoint
 * cache or from ews_autodiscover(), and a new one goes into the cache.
 * Copyright (C) the ews-c authors. SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The cache is one file, $XDG_CACHE_HOME/ews-c/endpoints (else
 * ~/.cache/ews-c/endpoints), a line per address:
 *   v1 <TAB> address <TAB> expiry (seconds since the epoch) <TAB> EWS URL
 * in a folder only the user can enter, written to a temporary file and
 * renamed over the old one, so a reader sees the old file or the new one
 * and never half of one. A file another user could have written is not
 * read.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

#define CACHE_TTL_S (24L * 3600L) /* endpoints move rarely; a day, as Outlook re-checks */
#define CACHE_MAX_BYTES (256 * 1024)
#define CACHE_MAX_LINE 2048

/* ---- the cache ------------------------------------------------------------- */

/* The folder (created 0700 when create is set) and the file's path. */
static int cache_paths(char *dir, size_t dirlen, char *file, size_t filelen, int create)
{
    const char *xdg = getenv("XDG_CACHE_HOME");
    const char *home = getenv("HOME");
    int n;
    if (xdg && xdg[0] == '/')
        n = snprintf(dir, dirlen, "%s/ews-c", xdg);
    else if (home && home[0] == '/')
        n = snprintf(dir, dirlen, "%s/.cache/ews-c", home);
    else
        return -1;
    if (n < 0 || (size_t)n >= dirlen)
        return -1;
    n = snprintf(file, filelen, "%s/endpoints", dir);
    if (n < 0 || (size_t)n >= filelen)
        return -1;
    if (!create)
        return 0;
    char parent[4096];
    snprintf(parent, sizeof parent, "%s", dir);
    char *slash = strrchr(parent, '/');
    if (slash && slash != parent) {
        *slash = '\0';
        if (mkdir(parent, 0700) != 0 && errno != EEXIST)
            return -1;
    }
    if (mkdir(dir, 0700) != 0 && errno != EEXIST)
        return -1;
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode) || st.st_uid != geteuid() ||
        (st.st_mode & 022))
        return -1;
    return 0;
}

/* The whole file, if it is ours and nobody else may write it. */
static char *cache_read(const char *file)
{
    int fd = open(file, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
        return NULL;
    struct stat st;
    char *data = NULL;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == geteuid() &&
        !(st.st_mode & 022) && st.st_size < CACHE_MAX_BYTES &&
        (data = malloc((size_t)st.st_size + 1))) {
        ssize_t got = read(fd, data, (size_t)st.st_size);
        if (got < 0) {
            free(data);
            data = NULL;
        } else {
            data[got] = '\0';
        }
    }
    close(fd);
    return data;
}

typedef struct entry {
    char *email;
    long long expiry;
    char *url;
} entry;

/* Splits one line in place; 0 when it has the v1 shape. */
static int parse_line(char *line, entry *e)
{
    char *f[4];
    char *p = line;
    for (int i = 0; i < 4; i++) {
        f[i] = p;
        char *tab = strchr(p, '\t');
        if (i < 3) {
            if (!tab)
                return -1;
            *tab = '\0';
            p = tab + 1;
        } else if (tab) {
            return -1;
        }
    }
    char *end;
    if (strcmp(f[0], "v1") != 0)
        return -1;
    e->email = f[1];
    e->expiry = strtoll(f[2], &end, 10);
    if (*end || end == f[2])
        return -1;
    e->url = f[3];
    /* Only what this code writes: an https URL of printable ASCII. */
    if (strncmp(e->url, "https://", 8) != 0)
        return -1;
    for (const char *c = e->url; *c; c++)
        if ((unsigned char)*c <= 0x20 || (unsigned char)*c >= 0x7f)
            return -1;
    return 0;
}

static char *cache_lookup(const char *email)
{
    char dir[4096], file[4200];
    if (cache_paths(dir, sizeof dir, file, sizeof file, 0))
        return NULL;
    char *data = cache_read(file);
    char *found = NULL;
    long long now = (long long)time(NULL);
    for (char *line = data ? strtok(data, "\n") : NULL; line && !found;
         line = strtok(NULL, "\n")) {
        entry e;
        if (parse_line(line, &e) == 0 && strcasecmp(e.email, email) == 0 && e.expiry > now)
            found = strdup(e.url);
    }
    free(data);
    return found;
}

/* Rewrites the file with email -> url, keeping the other live entries. */
static int cache_store(const char *email, const char *url)
{
    if (strncmp(url, "https://", 8) != 0 || strchr(email, '\t') || strchr(url, '\t') ||
        strchr(url, '\n') ||
        strlen(email) + strlen(url) > CACHE_MAX_LINE)
        return -1;
    char dir[4096], file[4200], tmp[4300];
    if (cache_paths(dir, sizeof dir, file, sizeof file, 1))
        return -1;
    snprintf(tmp, sizeof tmp, "%s/.endpoints.XXXXXX", dir);
    int fd = mkstemp(tmp); /* 0600 */
    if (fd < 0)
        return -1;
    FILE *f = fdopen(fd, "w");
    if (!f) {
        close(fd);
        unlink(tmp);
        return -1;
    }
    long long now = (long long)time(NULL);
    char *data = cache_read(file);
    for (char *line = data ? strtok(data, "\n") : NULL; line; line = strtok(NULL, "\n")) {
        entry e;
        if (parse_line(line, &e) == 0 && e.expiry > now && strcasecmp(e.email, email) != 0)
            fprintf(f, "v1\t%s\t%lld\t%s\n", e.email, e.expiry, e.url);
    }
    free(data);
    fprintf(f, "v1\t%s\t%lld\t%s\n", email, now + CACHE_TTL_S, url);
    int bad = fflush(f) != 0 || fsync(fileno(f)) != 0;
    bad |= fclose(f) != 0;
    if (bad || rename(tmp, file) != 0) {
        unlink(tmp);
        return -1;
    }
    return 0;
}

/* ---- Autodiscover ----------------------------------------------------------- */

/* Credentials to a host outside the address's domain: asked on the
 * terminal, refused without one. */
static int confirm_host(const char *host, const char *url, void *userdata)
{
    (void)url;
    const cli_options *o = userdata;
    if (!isatty(STDIN_FILENO) || !isatty(STDERR_FILENO))
        return 0;
    FILE *tty = fopen("/dev/tty", "r+");
    if (!tty)
        return 0;
    char *h = cli_text_clean(host);
    fprintf(tty, CLI_NAME ": Autodiscover for %s was redirected to %s, outside the address's "
                 "domain.\nSend your credentials there? [y/N] ",
            o->email, h ? h : "?");
    free(h);
    fflush(tty);
    char answer[16] = "";
    int yes = fgets(answer, sizeof answer, tty) && (answer[0] == 'y' || answer[0] == 'Y');
    fclose(tty);
    return yes;
}

static void report_failure(int rc, const ews_autodiscover_result *r, const char *email)
{
    const ews_error *e = r ? ews_autodiscover_last_error(r) : NULL;
    fprintf(stderr, CLI_NAME ": Autodiscover for %s failed: %s (%s)\n", email,
            ews_strerror(rc), ews_err_name(rc));
    size_t n = ews_autodiscover_candidate_count(r);
    if (!n && e && e->message) {
        char *m = cli_text_clean(e->message);
        fprintf(stderr, "  %s\n", m ? m : "");
        free(m);
    }
    for (size_t i = 0; i < n; i++) {
        const ews_autodiscover_candidate *c = ews_autodiscover_candidate_at(r, i);
        char *u = cli_text_clean(c->url), *w = cli_text_clean(c->why);
        fprintf(stderr, "  tried %s (%s): %s\n", u ? u : "?",
                ews_autodiscover_source_name(c->source), w ? w : "?");
        free(u);
        free(w);
    }
}

/* -v: the library names each candidate tried in an EWS_TRACE_INFO line
 * "ews: autodiscover: ..."; those go to stderr, and every trace line still
 * goes on to --trace's callback, if any. */
typedef struct verbose_trace {
    ews_trace_fn next;
    void *next_userdata;
} verbose_trace;

static void discover_trace(ews_trace_kind kind, const char *data, size_t len, void *userdata)
{
    const verbose_trace *v = userdata;
    static const char prefix[] = "ews: autodiscover: ";
    if (kind == EWS_TRACE_INFO && len > sizeof prefix - 1 &&
        memcmp(data, prefix, sizeof prefix - 1) == 0) {
        char *line = strndup(data + sizeof prefix - 1, len - (sizeof prefix - 1));
        char *clean = line ? cli_text_clean(line) : NULL;
        fprintf(stderr, CLI_NAME ": autodiscover: %s\n", clean ? clean : "?");
        fflush(stderr);
        free(clean);
        free(line);
    }
    if (v->next)
        v->next(kind, data, len, v->next_userdata);
}

int cli_discover(const cli_options *o, const ews_client_options *co, char **url)
{
    *url = NULL;
    if (!o->no_cache && (*url = cache_lookup(o->email)) != NULL) {
        if (o->verbose) {
            char *u = cli_text_clean(*url);
            fprintf(stderr, CLI_NAME ": autodiscover: %s from the endpoint cache\n",
                    u ? u : "?");
            free(u);
        }
        return 0;
    }
    ews_client_options vco = *co;
    verbose_trace vt = { co->trace, co->trace_userdata };
    if (o->verbose) {
        vco.trace = discover_trace;
        vco.trace_userdata = &vt;
        co = &vco;
    }
    ews_autodiscover_options ao;
    ews_autodiscover_options_init(&ao, EWS_AUTODISCOVER_OPTIONS_VERSION);
    ao.client = co;
    ao.confirm = confirm_host;
    ao.confirm_userdata = (void *)(uintptr_t)o;
    ews_autodiscover_result *r = NULL;
    int rc = ews_autodiscover(&r, o->email, &ao);
    if (rc) {
        report_failure(rc, r, o->email);
        ews_autodiscover_result_free(r);
        if (rc == EWS_EDISCOVER || rc == EWS_EREDIRECT)
            return CLI_EXIT_TRANSPORT;
        return cli_exit_status(rc, NULL);
    }
    *url = strdup(ews_autodiscover_ews_url(r));
    ews_autodiscover_result_free(r);
    if (!*url) {
        fprintf(stderr, CLI_NAME ": out of memory\n");
        return CLI_EXIT_INTERNAL;
    }
    if (!o->no_cache && cache_store(o->email, *url) != 0)
        fprintf(stderr, CLI_NAME ": warning: could not write the endpoint cache\n");
    return 0;
}
