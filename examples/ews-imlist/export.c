/* ews-imlist export: every mailbox of a list through impersonation, with
 * --jobs workers sharing one throttle, one NDJSON line per mailbox.
 * Copyright (C) the ews-c authors. SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Each worker has its own client, so its connection (and the
 * authentication handshake on it) is kept for every mailbox it exports.
 * The workers share an ews_throttle: a busy answer to one pauses them all.
 * The first SIGINT or SIGTERM stops handing out mailboxes; the calls in
 * flight finish and are written, then the summary says what was written.
 */
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "export.h"

#define EXPORT_MAX_JOBS 64

typedef struct export_run {
    const cli_options *o;
    const ews_client_options *co;
    ews_throttle *throttle;
    export_list list;
    export_out out;
    export_progress progress;
    size_t *todo;               /* indexes into list of the mailboxes to fetch */
    size_t todo_count;
    atomic_size_t next;         /* next index into todo */
    pthread_mutex_t lock;       /* out, the counters below, stderr lines, token_cb */
    size_t done, errors, written;
    int fail_status;            /* exit status of the failures; -1 when they differ */
    atomic_int write_failed;
    int running;                /* workers not yet finished */
} export_run;

/* Read by the workers: a lock-free atomic, which a handler may store. */
static atomic_int stop_requested;
/* Wakes the main thread: a worker finished, or a stop was asked for
 * (sem_post is async-signal-safe). Without a progress line to redraw, the
 * main thread sleeps on it alone: a periodic wake-up cost 2% of a
 * one-worker export's CPU on the machine measured. */
static sem_t main_wake;

static void on_stop(int sig)
{
    (void)sig;
    atomic_store(&stop_requested, 1);
    sem_post(&main_wake);
}

/* The token source re-reads its file: one worker at a time. */
static pthread_mutex_t token_lock = PTHREAD_MUTEX_INITIALIZER;
static ews_token_fn token_inner;

static int token_serialised(char **token, int force_refresh, void *userdata)
{
    pthread_mutex_lock(&token_lock);
    int rc = token_inner(token, force_refresh, userdata);
    pthread_mutex_unlock(&token_lock);
    return rc;
}

static void put_member(FILE *m, const char *key, const char *value)
{
    fprintf(m, ",\"%s\":", key);
    cli_json_write_string(m, value);
}

/* One NDJSON line for the mailbox: the list, or the failure. *line is new. */
static int make_line(char **line, size_t *len, const char *mailbox, int rc, const ews_error *e,
                     const ews_imlist *list)
{
    *line = NULL;
    *len = 0;
    FILE *m = open_memstream(line, len);
    if (!m)
        return -1;
    int bad = 0;
    if (rc == 0) {
        char *lead = NULL;
        size_t lead_len = 0;
        FILE *l = open_memstream(&lead, &lead_len);
        if (!l) {
            fclose(m);
            free(*line);
            *line = NULL;
            return -1;
        }
        fputs("\"mailbox\":", l);
        bad |= cli_json_write_string(l, mailbox);
        fputs(",\"ok\":true", l);
        bad |= fclose(l) != 0;
        if (!bad)
            bad |= cli_json_write_list(m, list, lead, 1);
        free(lead);
    } else {
        fputs("{\"mailbox\":", m);
        bad |= cli_json_write_string(m, mailbox);
        fputs(",\"ok\":false,\"error\":{\"code\":", m);
        cli_json_write_string(m, ews_err_name(rc));
        put_member(m, "category", ews_category_name(e ? e->category : ews_err_category(rc)));
        if (e && e->http_status)
            fprintf(m, ",\"http_status\":%ld", e->http_status);
        else
            fputs(",\"http_status\":null", m);
        put_member(m, "response_code", e ? (e->response_code ? e->response_code
                                                              : e->soap_faultcode) : NULL);
        put_member(m, "message", e && e->message ? e->message : ews_strerror(rc));
        put_member(m, "request_id", e ? (e->server_request_id ? e->server_request_id
                                                              : e->client_request_id) : NULL);
        fputs("}}", m);
    }
    fputc('\n', m);
    bad |= fclose(m) != 0;
    if (bad) {
        free(*line);
        *line = NULL;
        return -1;
    }
    return 0;
}

static void record(export_run *r, const char *mailbox, int rc, const ews_error *e,
                   const char *line, size_t len)
{
    pthread_mutex_lock(&r->lock);
    int wrote = line && export_out_line(&r->out, line, len) == 0;
    if (!line && !r->write_failed)
        fprintf(stderr, CLI_NAME ": export: out of memory building the line of %s\n", mailbox);
    if (!wrote)
        r->write_failed = 1;
    r->written += wrote;
    r->done++;
    if (rc) {
        int st = cli_exit_status(rc, e);
        r->errors++;
        r->fail_status = r->errors == 1 ? st : r->fail_status == st ? st : -1;
    }
    if (r->o->verbose) {
        export_progress_clear(&r->progress);
        char *clean = cli_text_clean(mailbox);
        if (rc)
            fprintf(stderr, CLI_NAME ": export: %s: failed: %s\n", clean ? clean : "?",
                    e && e->message ? e->message : ews_strerror(rc));
        else
            fprintf(stderr, CLI_NAME ": export: %s: ok\n", clean ? clean : "?");
        free(clean);
    }
    pthread_mutex_unlock(&r->lock);
}

static void *worker(void *arg)
{
    export_run *r = arg;
    ews_client_options co = *r->co;
    co.throttle = r->throttle;
    ews_client *client = NULL;
    int crc = ews_client_new(&client, &co);
    for (;;) {
        if (stop_requested || r->write_failed)
            break;
        size_t i = atomic_fetch_add(&r->next, 1);
        if (i >= r->todo_count)
            break;
        const char *mailbox = r->list.items[r->todo[i]];
        ews_imlist *l = NULL;
        int rc = crc;
        const ews_error *e = client ? ews_client_last_error(client) : NULL;
        if (!crc) {
            ews_call_options call = EWS_CALL_OPTIONS_INIT;
            call.impersonation.kind = r->o->impersonate_kind;
            call.impersonation.value = mailbox;
            rc = ews_get_im_item_list(&l, client, &call);
            e = ews_client_last_error(client);
        }
        char *line = NULL;
        size_t len = 0;
        make_line(&line, &len, mailbox, rc, e, l);
        record(r, mailbox, rc, e, line, len);
        free(line);
        ews_imlist_free(l);
    }
    ews_client_free(client);
    pthread_mutex_lock(&r->lock);
    r->running--;
    pthread_mutex_unlock(&r->lock);
    sem_post(&main_wake);
    return NULL;
}

/* Workers take no signals: the main thread's handler sees them. */
static int start_workers(export_run *r, pthread_t *threads, int jobs)
{
    sigset_t all, saved;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &saved);
    int started = 0;
    for (; started < jobs; started++)
        if (pthread_create(&threads[started], NULL, worker, r) != 0)
            break;
    pthread_sigmask(SIG_SETMASK, &saved, NULL);
    return started;
}

static void summary(export_run *r, int interrupted, int64_t ms, size_t skipped)
{
    double secs = (double)ms / 1000.0;
    fprintf(stderr, CLI_NAME " export: %zu mailbox%s in %.1f s (%.1f/s): %zu ok, %zu failed",
            r->done, r->done == 1 ? "" : "es", secs, secs > 0 ? (double)r->done / secs : 0.0,
            r->done - r->errors, r->errors);
    if (skipped)
        fprintf(stderr, ", %zu skipped (already in %s)", skipped, r->out.name);
    fputc('\n', stderr);
    if (interrupted)
        fprintf(stderr, CLI_NAME " export: interrupted: %zu of %zu lines written to %s%s\n",
                r->written, r->todo_count, r->out.name,
                r->out.is_file ? "; run it again with --resume to continue" : "");
}

int cli_export(const cli_options *o, const ews_client_options *co_in)
{
    export_run r;
    memset(&r, 0, sizeof r);
    r.o = o;
    ews_client_options co = *co_in;
    if (co.token_cb) {
        token_inner = co.token_cb;
        co.token_cb = token_serialised;
    }
    r.co = &co;
    int status = export_list_read(&r.list, o->mailboxes);
    if (status)
        return status;
    if ((status = export_out_open(&r.out, o))) {
        export_list_free(&r.list);
        return status;
    }
    if (r.out.dropped)
        fprintf(stderr, CLI_NAME " export: removed a partial last line (%zu bytes) from %s\n",
                r.out.dropped, r.out.name);
    r.todo = malloc((r.list.count ? r.list.count : 1) * sizeof *r.todo);
    ews_throttle_options to = EWS_THROTTLE_OPTIONS_INIT;
    int trc = r.todo ? ews_throttle_new(&r.throttle, &to) : EWS_ENOMEM;
    if (trc) {
        fprintf(stderr, CLI_NAME ": out of memory\n");
        free(r.todo);
        export_out_close(&r.out);
        export_list_free(&r.list);
        return CLI_EXIT_INTERNAL;
    }
    for (size_t i = 0; i < r.list.count; i++)
        if (!export_out_has(&r.out, r.list.items[i]))
            r.todo[r.todo_count++] = i;
    size_t skipped = r.list.count - r.todo_count;
    atomic_init(&r.next, 0);
    atomic_init(&r.write_failed, 0);
    pthread_mutex_init(&r.lock, NULL);

    atomic_store(&stop_requested, 0);
    sem_init(&main_wake, 0, 0);
    struct sigaction sa, old_int, old_term;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop;
    sa.sa_flags = SA_RESETHAND | SA_RESTART; /* a second Ctrl-C ends it at once */
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);

    int jobs = o->jobs > 0 ? o->jobs : 1;
    if ((size_t)jobs > r.todo_count)
        jobs = r.todo_count ? (int)r.todo_count : 1;
    pthread_t threads[EXPORT_MAX_JOBS];
    export_progress_init(&r.progress, r.todo_count);
    int64_t start = export_now_ms();
    pthread_mutex_lock(&r.lock);
    int started = r.todo_count ? start_workers(&r, threads, jobs) : 0;
    r.running = started;
    pthread_mutex_unlock(&r.lock);
    if (r.todo_count && started == 0) {
        fprintf(stderr, CLI_NAME ": export: cannot start a thread\n");
        r.write_failed = 1;
    }
    /* The main thread watches: progress, and the stop request. */
    int said_stopping = 0;
    for (;;) {
        pthread_mutex_lock(&r.lock);
        size_t done = r.done, errors = r.errors;
        int all = r.running == 0;
        if (stop_requested && !said_stopping) {
            export_progress_clear(&r.progress);
            fprintf(stderr, CLI_NAME " export: stopping after the calls in flight (Ctrl-C "
                                     "again to quit at once)\n");
            said_stopping = 1;
        }
        export_progress_draw(&r.progress, done, errors);
        pthread_mutex_unlock(&r.lock);
        if (all)
            break;
        if (r.progress.enabled) {
            struct timespec until;
            clock_gettime(CLOCK_REALTIME, &until);
            until.tv_nsec += 200 * 1000000L;
            if (until.tv_nsec >= 1000000000L) {
                until.tv_sec++;
                until.tv_nsec -= 1000000000L;
            }
            sem_timedwait(&main_wake, &until);
        } else {
            sem_wait(&main_wake);
        }
    }
    for (int i = 0; i < started; i++)
        pthread_join(threads[i], NULL);
    export_progress_clear(&r.progress);
    int64_t ms = export_now_ms() - start;
    int interrupted = stop_requested && r.done < r.todo_count;
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);

    int closed = export_out_close(&r.out);
    summary(&r, interrupted, ms, skipped);
    if (o->verbose) {
        ews_throttle_stats ts;
        ews_throttle_get_stats(&ts, r.throttle);
        fprintf(stderr, CLI_NAME " export: throttle: %lu busy answers, %lu waits (%ld ms), "
                        "peak %u in flight\n", ts.busy, ts.waits, ts.waited_ms,
                ts.peak_in_flight);
    }
    if (r.write_failed || closed)
        status = CLI_EXIT_INTERNAL;
    else if (interrupted)
        status = 128 + SIGINT;
    else if (r.errors)
        status = r.fail_status > 0 ? r.fail_status : CLI_EXIT_EWS;
    pthread_mutex_destroy(&r.lock);
    sem_destroy(&main_wake);
    ews_throttle_free(r.throttle);
    free(r.todo);
    export_list_free(&r.list);
    return status;
}
