/* ews-imlist: turning a library failure into an exit status and one line.
 * Copyright (C) the ews-c authors. SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* Server text can be long and multi-line; scripts that read our stderr rely
 * on exactly one line per failure. */
#define TEXT_MAX 600

int cli_exit_status(int rc, const ews_error *e)
{
    if (rc == 0)
        return CLI_EXIT_OK;
    ews_error_category cat = e ? e->category : ews_err_category(rc);
    /* Throttled or unavailable (ErrorServerBusy, 429, 502-504, transient EWS
     * codes) for the whole retry budget: one code that says "try later",
     * whichever layer answered. A saved answer (--from-file, no attempts)
     * is not a server to try again. */
    if (rc == EWS_EBUSY || (cat == EWS_CAT_RETRYABLE && e && e->attempts > 0))
        return CLI_EXIT_BUSY;
    /* Whatever its category, an answer with an EWS ResponseCode is an EWS
     * error (4): the code printed is what an administrator looks up, also
     * for permission codes such as ErrorImpersonateUserDenied. Exit 3 is
     * for credentials the HTTP layer refused. */
    if (e && (e->response_code || e->soap_faultcode))
        return CLI_EXIT_EWS;
    /* our only callback supplies bearer tokens; a token that cannot be had
     * (a refresh whose file vanished) is an authentication failure */
    if (rc == EWS_ECALLBACK)
        return CLI_EXIT_AUTH;
    switch (cat) {
    case EWS_CAT_AUTH:
        return CLI_EXIT_AUTH;
    case EWS_CAT_CONFIG:
        return CLI_EXIT_USAGE;
    case EWS_CAT_TRANSPORT:
        return CLI_EXIT_TRANSPORT;
    case EWS_CAT_INVALID_RESPONSE:
        return CLI_EXIT_INVALID;
    case EWS_CAT_VERSION:
    case EWS_CAT_PERMANENT:
    case EWS_CAT_RETRYABLE:
        /* An HTTP answer that is not EWS (404 from a wrong path, a 503 from
         * a proxy, a redirect) means the endpoint was not reached. */
        if (e && e->http_status > 0)
            return CLI_EXIT_TRANSPORT;
        /* Refused before sending: the arguments asked for something the
         * operation cannot do (e.g. a RequestServerVersion too old). */
        if (cat == EWS_CAT_VERSION || rc == EWS_EINVAL || rc == EWS_ECONFIG)
            return CLI_EXIT_USAGE;
        if (cat == EWS_CAT_RETRYABLE)
            return CLI_EXIT_TRANSPORT;
        return CLI_EXIT_INTERNAL;
    case EWS_CAT_OK:
        break;
    }
    return CLI_EXIT_INTERNAL;
}

/* Writes s as part of one line: line breaks and tabs become spaces, runs
 * of blanks shrink to one, other controls are masked (cli_text_clean), and
 * the result is cut at TEXT_MAX bytes. */
static void put_text(FILE *f, const char *s)
{
    char *flat = strdup(s);
    char *clean = NULL;
    if (flat) {
        for (char *q = flat; *q; q++)
            if (*q == '\n' || *q == '\r' || *q == '\t')
                *q = ' ';
        clean = cli_text_clean(flat);
        free(flat);
    }
    if (!clean) {
        /* Out of memory (the message is often about just that): printable
         * ASCII as it is, anything else as '?', with nothing allocated. */
        size_t n = 0;
        for (; *s && n < TEXT_MAX; s++, n++)
            fputc(*s >= 0x20 && *s < 0x7f ? *s : *s == '\n' || *s == '\t' ? ' ' : '?', f);
        if (*s)
            fputs("...", f);
        return;
    }
    const char *p = clean;
    while (*p == ' ')
        p++;
    size_t n = 0;
    /* past the limit only to finish a UTF-8 sequence */
    for (; *p && (n < TEXT_MAX || ((unsigned char)*p & 0xC0) == 0x80); p++) {
        if (*p == ' ' && (p[1] == ' ' || p[1] == '\0'))
            continue;
        fputc(*p, f);
        n++;
    }
    if (*p)
        fputs("...", f);
    free(clean);
}

/* "ErrorFoo" from a faultcode "a:ErrorFoo". */
static const char *local_name(const char *qname)
{
    const char *colon = strrchr(qname, ':');
    return colon ? colon + 1 : qname;
}

/* Removes every occurrence of cut from s, in place. */
static void remove_all(char *s, const char *cut)
{
    size_t n = strlen(cut);
    char *hit;
    if (!n)
        return;
    while ((hit = strstr(s, cut)) != NULL)
        memmove(hit, hit + n, strlen(hit + n) + 1);
}

/* The library's message without what the line says elsewhere: the
 * operation ("GetImItemList: ", also inside a quoted earlier message) and
 * the HTTP status. NULL if no memory. */
static char *plain_message(const char *msg, const char *op, long http_status)
{
    char *m = strdup(msg);
    if (!m)
        return NULL;
    char cut[96];
    if (op) {
        snprintf(cut, sizeof cut, "%s: ", op);
        remove_all(m, cut);
    }
    if (http_status > 0) {
        snprintf(cut, sizeof cut, " (HTTP %ld)", http_status);
        remove_all(m, cut);
        snprintf(cut, sizeof cut, "HTTP %ld, ", http_status);
        remove_all(m, cut);
        snprintf(cut, sizeof cut, ", HTTP %ld", http_status);
        remove_all(m, cut);
    }
    return m;
}

static void put_details(FILE *f, const ews_error *e, const char *what)
{
    const char *sep = " (";
    if (e->http_status > 0) {
        fprintf(f, "%sHTTP %ld", sep, e->http_status);
        sep = ", ";
    }
    if (e->response_code || e->soap_faultcode) {
        fputs(sep, f);
        put_text(f, e->response_code ? e->response_code : local_name(e->soap_faultcode));
        sep = ", ";
    }
    if (e->server_request_id) {
        fputs(sep, f);
        fputs("request-id ", f);
        put_text(f, e->server_request_id);
        sep = ", ";
    } else if (e->client_request_id) {
        fputs(sep, f);
        fputs("client-request-id ", f);
        put_text(f, e->client_request_id);
        sep = ", ";
    }
    if (e->element && !(what && strstr(what, e->element))) {
        fputs(sep, f);
        fputs("element ", f);
        put_text(f, e->element);
        sep = ", ";
    }
    if (e->attempts > 1 && !(what && strstr(what, "attempt"))) {
        fprintf(f, "%s%d attempts", sep, e->attempts);
        sep = ", ";
    }
    if (sep[0] == ',')
        fputc(')', f);
}

/* "OP: what happened (details)". */
static void put_line(FILE *f, const char *op, int rc, const ews_error *e)
{
    if (op) {
        fputs(op, f);
        fputs(": ", f);
    }
    if (!e) {
        put_text(f, ews_strerror(rc));
        return;
    }
    const char *text = e->message;
    if (e->response_code || e->soap_faultcode)
        text = e->message_text ? e->message_text
               : e->soap_faultstring ? e->soap_faultstring : e->message;
    if (!text || !*text)
        text = ews_strerror(rc ? rc : e->code);
    char *what = plain_message(text, op, e->http_status);
    put_text(f, what ? what : text);
    put_details(f, e, what ? what : text);
    free(what);
}

void cli_report_error(FILE *f, const char *op, int rc, const ews_error *e)
{
    fputs(CLI_NAME ": ", f);
    put_line(f, op, rc, e);
    fputc('\n', f);
    fflush(f);
}

void cli_report_warning(FILE *f, const char *op, const ews_error *w)
{
    fputs(CLI_NAME ": warning: ", f);
    put_line(f, op, 0, w);
    fputc('\n', f);
    fflush(f);
}

/* "2.5 s", "30 s", "400 ms" */
static void put_delay(FILE *f, long ms)
{
    if (ms < 1000)
        fprintf(f, "%ld ms", ms < 0 ? 0 : ms);
    else if (ms % 1000 == 0)
        fprintf(f, "%ld s", ms / 1000);
    else
        fprintf(f, "%.1f s", (double)ms / 1000.0);
}

void cli_event_cb(const ews_event *ev, void *userdata)
{
    (void)userdata;
    FILE *f = stderr;
    fputs(CLI_NAME ": ", f);
    if (ev->operation) {
        put_text(f, ev->operation);
        fputs(": ", f);
    }
    switch (ev->kind) {
    case EWS_EVENT_RETRY:
        fputs("server busy", f);
        if (ev->response_code) {
            fputs(" (", f);
            put_text(f, local_name(ev->response_code));
            fputc(')', f);
        } else if (ev->http_status > 0) {
            fprintf(f, " (HTTP %ld)", ev->http_status);
        }
        fputs(", retrying in ", f);
        put_delay(f, ev->delay_ms);
        fprintf(f, ", attempt %d of %d", ev->attempt, ev->max_attempts);
        break;
    case EWS_EVENT_AUTH_LEG:
        fputs("authenticating with ", f);
        put_text(f, ev->method ? ev->method : "?");
        if (ev->leg > 0)
            fprintf(f, ", leg %d", ev->leg);
        break;
    case EWS_EVENT_REDIRECT_REFUSED:
        fputs("not following the redirect to ", f);
        put_text(f, ev->location ? ev->location : "(no Location)");
        fputs(": ", f);
        put_text(f, ev->reason ? ev->reason : "refused");
        break;
    default:
        fputs("event", f);
        break;
    }
    fputc('\n', f);
    fflush(f);
}
