/* One EWS call: request headers from client and call options, the HTTP
 * exchange with bearer refresh, HTTP status mapping, and retries of
 * throttled and transient failures within the caller's budget. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ops/call_throttle.h"
#include "ops/client.h"
#include "ops/response.h"
#include "core/retry.h"
#include "core/secrets.h"
#include "core/uuid.h"

static ews_request_headers merge_headers(const ews_client *c, const ews_call_options *call)
{
    ews_request_headers h = { c->opts.server_version ? c->opts.server_version : "Exchange2013",
                              c->opts.culture, c->opts.impersonation };
    if (call) {
        if (call->server_version)
            h.server_version = call->server_version;
        if (call->culture)
            h.culture = call->culture;
        if (call->impersonation.kind != EWS_IMPERSONATE_INHERIT)
            h.impersonation = call->impersonation;
    }
    return h;
}

/* X-AnchorMailbox routes the request to the mailbox's server. */
static const char *anchor_mailbox(const ews_client *c, const ews_request_headers *h)
{
    switch (h->impersonation.kind) {
    case EWS_IMPERSONATE_PRIMARY_SMTP:
    case EWS_IMPERSONATE_SMTP:
    case EWS_IMPERSONATE_PRINCIPAL_NAME:
        return h->impersonation.value;
    case EWS_IMPERSONATE_SID: /* a SID is no mailbox address; let the server route */
        return NULL;
    default:
        return c->opts.username && strchr(c->opts.username, '@') ? c->opts.username : NULL;
    }
}

static int is_retryable_status(long s)
{
    return s == 429 || s == 502 || s == 503 || s == 504;
}

/* Turns a received HTTP response into a result or an error. */
static int handle_response(ews_client *c, const ews_op_descriptor *op, ews_http_response *r,
                           ews_response **out)
{
    ews_err *e = &c->err;
    long s = r->status;
    if (s == 401)
        return ews_err_set(e, EWS_EAUTH, "%s: authentication failed (HTTP 401%s%s)",
                           op->op.name, r->www_authenticate ? ", server offers " : "",
                           r->www_authenticate ? r->www_authenticate : "");
    if (s == 403)
        return ews_err_set(e, EWS_EFORBIDDEN, "%s: access denied (HTTP 403)", op->op.name);
    if (s >= 300 && s < 400)
        return ews_err_set(e, EWS_EREDIRECT, "%s: server redirected (HTTP %ld) to %.200s",
                           op->op.name, s, r->location ? r->location : "(no Location)");
    if (is_retryable_status(s)) {
        ews_err_set(e, EWS_EHTTP, "%s: server unavailable or throttling (HTTP %ld)",
                    op->op.name, s);
        e->pub.category = EWS_CAT_RETRYABLE;
        e->pub.back_off_ms = r->retry_after_ms;
        return EWS_EHTTP;
    }
    if (s == 200 || s == 500) {
        /* 500 is how EWS delivers SOAP faults; parse both. The body is
         * ours and freed unread afterwards: the parse may give it back. */
        int rc = ews_response_parse(out, op, r->body.data ? r->body.data : "", r->body.len,
                                    r->body.data != NULL, &c->limits, e);
        if (rc == 0 || rc == EWS_EFAULT || rc == EWS_EEWS || s == 200)
            return rc;
        /* A 500 that is not SOAP (an HTML error page, say) */
        if (rc == EWS_ENOTSOAP || rc == EWS_EPARSE)
            return ews_err_set(e, rc, "%s: HTTP 500 without a SOAP fault (Content-Type %.80s)",
                               op->op.name, r->content_type ? r->content_type : "none");
        return rc;
    }
    return ews_err_set(e, EWS_EHTTP, "%s: unexpected HTTP status %ld", op->op.name, s);
}

static void note_response_ids(ews_err *e, const ews_http_response *r, const char *client_rid,
                              int attempts)
{
    e->pub.http_status = r ? r->status : 0;
    ews_err_field_set(e, EWS_ERRF_CLIENT_REQUEST_ID, client_rid);
    ews_err_field_set(e, EWS_ERRF_SERVER_REQUEST_ID, r ? r->request_id : NULL);
    ews_err_field_set(e, EWS_ERRF_BACKEND_STATUS, r ? r->backend_status : NULL);
    e->pub.attempts = attempts;
}

static void wipe_token(char **token)
{
    if (*token) {
        ews_secure_zero(*token, strlen(*token));
        free(*token);
        *token = NULL;
    }
}

static int fetch_token(ews_client *c, char **token, int refresh)
{
    wipe_token(token);
    if (c->opts.token_cb(token, refresh, c->opts.token_userdata) != 0 || !*token || !**token) {
        wipe_token(token);
        return ews_err_set(&c->err, EWS_ECALLBACK, "the token callback gave no token");
    }
    return 0;
}

/* The record quotes server text (fault strings, Location, MessageText),
 * which may quote the credentials the request carried. */
static void mask_secrets(ews_client *c, const char *token)
{
    ews_secrets s;
    ews_secrets_init(&s, c->opts.username, c->opts.password, c->opts.proxy_username,
                     c->opts.proxy_password);
    ews_secrets_add(&s, token);
    if (s.incomplete) {
        /* Cannot tell what to mask: keep no server text at all. */
        for (int f = 0; f < EWS_ERRF_COUNT_; f++)
            if (f != EWS_ERRF_CLIENT_REQUEST_ID)
                ews_err_field_set(&c->err, (ews_err_field)f, NULL);
    } else {
        for (int i = 0; i < s.count; i++)
            ews_err_mask(&c->err, s.form[i]);
    }
    ews_secrets_free(&s);
}

/* Tells the caller about the wait before attempt `next`. */
static void retry_event(const ews_client *c, const ews_op_descriptor *op,
                        const ews_retry_policy *policy, int next, long delay)
{
    if (!c->opts.event)
        return;
    const ews_error *e = &c->err.pub;
    ews_event ev = { .kind = EWS_EVENT_RETRY, .operation = op->op.name, .delay_ms = delay,
                     .attempt = next, .max_attempts = policy->max_attempts,
                     .http_status = e->http_status,
                     .response_code = e->response_code ? e->response_code : e->soap_faultcode };
    c->opts.event(&ev, c->opts.event_userdata);
}

int ews_client_call(ews_client *c, const ews_op_descriptor *op, const void *request,
                    const ews_call_options *call, ews_response **out)
{
    if (out)
        *out = NULL;
    if (!c || !op || !out)
        return EWS_EINVAL;
    ews_err_reset(&c->err);
    if (!c->usable)
        return ews_err_set(&c->err, EWS_ECONFIG, "the client was not created successfully");
    if (!c->transport)
        return ews_err_set(&c->err, EWS_ECONFIG, "the client has no URL (parse-only client)");
    if (call && call->version != EWS_CALL_OPTIONS_VERSION)
        return ews_err_set(&c->err, EWS_EOPTVERSION, "call options version %u is not supported",
                           call->version);

    ews_request_headers h = merge_headers(c, call);
    ews_buf body = EWS_BUF_INIT;
    int rc = ews_request_write(&body, &h, op, request, &c->err);
    if (rc) {
        ews_buf_free(&body);
        return rc;
    }
    ews_retry_policy policy = call && call->retry ? *call->retry : c->opts.retry;

    char rid[37];
    ews_uuid4(rid);
    ews_http_request req = {
        .body = body.data,
        .body_len = body.len,
        .soap_action = op->op.soap_action,
        .anchor_mailbox = anchor_mailbox(c, &h),
        .client_request_id = rid,
        .operation = op->op.name,
        .timeout_ms = call ? call->timeout_ms : 0,
    };
    char *token = NULL;
    if (c->opts.auth == EWS_AUTH_BEARER && (rc = fetch_token(c, &token, 0)))
        goto done;

    int64_t start = ews_now_ms();
    int attempts = 0, refreshed = 0;
    for (;;) {
        ews_http_response resp = { 0 };
        resp.retry_after_ms = -1;
        req.bearer_token = token;
        attempts++;
        ews_err_reset(&c->err);
        ews_throttle_ticket turn;
        if ((rc = ews_call_throttle_enter(c, op->op.name, &policy,
                                          (long)(ews_now_ms() - start), &turn)))
            break;
        rc = ews_transport_post(c->transport, &req, &resp, &c->err);
        int answered = rc == 0;
        if (answered)
            rc = handle_response(c, op, &resp, out);
        ews_call_throttle_leave(c, &turn, rc, resp.status);
        if (answered) {
            /* A rejected bearer token may only have expired: ask once. */
            if (rc == EWS_EAUTH && c->opts.auth == EWS_AUTH_BEARER && !refreshed) {
                refreshed = 1;
                ews_http_response_free(&resp);
                if ((rc = fetch_token(c, &token, 1)))
                    break;
                attempts--; /* a refresh is not a retry */
                continue;
            }
        }
        note_response_ids(&c->err, rc == 0 || resp.status ? &resp : NULL, rid, attempts);
        ews_http_response_free(&resp);
        if (rc == 0 || c->err.pub.category != EWS_CAT_RETRYABLE)
            break;

        long hint = c->err.pub.back_off_ms;
        long delay = ews_retry_delay_ms(&policy, attempts + 1, hint, &c->rng);
        long elapsed = (long)(ews_now_ms() - start);
        ews_retry_verdict v = ews_retry_check(&policy, attempts, elapsed, delay);
        if (v != EWS_RETRY_GO) {
            if (v == EWS_RETRY_OVER_BUDGET && hint >= 0) {
                /* Ends now: sleeping first would only end the same way. */
                ews_err_set(&c->err, EWS_EBUSY,
                            "%s: server busy: it asked for %ld s before a retry, more than the "
                            "retry budget (%ld s left of %ld s)",
                            op->op.name, ews_ms_to_s_ceil(hint),
                            ews_ms_to_s_ceil(policy.max_total_ms - elapsed),
                            ews_ms_to_s_ceil(policy.max_total_ms));
                c->err.pub.back_off_ms = hint;
                rc = EWS_EBUSY;
            } else if (attempts > 1 || policy.max_attempts > 1) {
                char last[400];
                snprintf(last, sizeof last, "%s", c->err.pub.message);
                ews_err_set(&c->err, EWS_EBUSY, "%s: server still busy after %d attempt%s: %s",
                            op->op.name, attempts, attempts == 1 ? "" : "s", last);
                c->err.pub.back_off_ms = hint;
                rc = EWS_EBUSY;
            }
            break;
        }
        retry_event(c, op, &policy, attempts + 1, delay);
        ews_sleep_ms(delay);
    }
    if (rc == 0 && (*out)->has_warning) {
        /* A warning the caller cannot see would be a silent success. */
        if (ews_err_copy(&c->err, &(*out)->warning) != 0) {
            ews_response_free(*out);
            *out = NULL;
            rc = ews_err_set(&c->err, EWS_ENOMEM, "out of memory recording the server's warning");
        }
    }
    if (c->err.pub.code != 0 || c->err.pub.response_class)
        mask_secrets(c, token);
done:
    wipe_token(&token);
    ews_buf_free(&body);
    return rc;
}
