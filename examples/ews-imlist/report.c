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
    if (!flat) {
        fputc('?', f);
        return;
    }
    for (char *q = flat; *q; q++)
        if (*q == '\n' || *q == '\r' || *q == '\t')
            *q = ' ';
    char *clean = cli_text_clean(flat);
    free(flat);
    const char *p = clean ? clean : "?";
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

static void put_details(FILE *f, const ews_error *e)
{
    const char *sep = " (";
    if (e->http_status > 0) {
        fprintf(f, "%sHTTP %ld", sep, e->http_status);
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
    if (e->element && !(e->message && strstr(e->message, e->element))) {
        fputs(sep, f);
        fputs("element ", f);
        put_text(f, e->element);
        sep = ", ";
    }
    if (e->attempts > 1) {
        fprintf(f, "%s%d attempts", sep, e->attempts);
        sep = ", ";
    }
    if (sep[0] == ',')
        fputc(')', f);
}

static void put_cause(FILE *f, int rc, const ews_error *e)
{
    if (!e) {
        put_text(f, ews_strerror(rc));
        return;
    }
    if (e->response_code || e->soap_faultcode) {
        put_text(f, e->response_code ? e->response_code : local_name(e->soap_faultcode));
        fputs(": ", f);
        const char *text = e->message_text ? e->message_text
                           : e->soap_faultstring ? e->soap_faultstring : e->message;
        put_text(f, text);
        return;
    }
    put_text(f, e->message ? e->message : ews_strerror(rc));
}

void cli_report_error(FILE *f, int rc, const ews_error *e)
{
    fputs(CLI_NAME ": ", f);
    put_cause(f, rc, e);
    if (e)
        put_details(f, e);
    fputc('\n', f);
    fflush(f);
}

void cli_report_warning(FILE *f, const ews_error *w)
{
    fputs(CLI_NAME ": warning: ", f);
    put_cause(f, 0, w);
    put_details(f, w);
    fputc('\n', f);
    fflush(f);
}
