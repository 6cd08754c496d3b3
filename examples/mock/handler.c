/* What the mock answers, as libmicrohttpd's request handler:
 * authentication, injected faults, routing to EWS and POX Autodiscover.
 * MHD owns the sockets, TLS, parsing and keep-alive; each connection has
 * its own thread, so a delay or a stall here holds that connection only. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "answer.h"
#include "autodiscover.h"
#include "mock_internal.h"
#include "request_checks.h"
#include "util.h"

/* Bytes of an over-long body still read (and dropped) so the 413 can be
 * sent once the request is whole: MHD cannot answer in the middle of an
 * upload. Past this the client is not listening, and the connection is
 * closed without an answer. */
#define MOCK_DISCARD_MAX (MOCK_MAX_REQUEST_BYTES * 4)

/* Per request (MHD's request context). */
typedef struct mock_request {
    ews_buf body;
    size_t dropped;         /* body bytes beyond the limit */
} mock_request;

/* Sleeps for timeout_ms (< 0: without limit). 1 when the time ran out; 0
 * when the server stops or the client hung up (POLLRDHUP notices that
 * without consuming a request it may have pipelined). */
static int wait_on_client(answer_ctx *a, long timeout_ms)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(a->c, MHD_CONNECTION_INFO_CONNECTION_FD);
    struct pollfd p[2] = {
        { .fd = ci ? ci->connect_fd : -1, .events = POLLRDHUP },
        { .fd = a->m->wake[0], .events = POLLIN },
    };
    int ms = timeout_ms < 0 ? -1 : timeout_ms > 3600000 ? 3600000 : (int)timeout_ms;
    for (;;) {
        int n = poll(p, 2, ms);
        if (n < 0 && errno == EINTR)
            continue;
        return n == 0;
    }
}

/* The request stops counting against the cap once its answer is made,
 * before it is sent: else a client that hears the answer and starts its
 * next request on another connection at once could find the slot still
 * taken. */
static void answered(ews_mock *m, int *counted)
{
    if (*counted)
        mock_load_leave(m);
    *counted = 0;
}

static enum MHD_Result serve_planned(answer_ctx *a, const ews_buf *body, mock_plan plan,
                                     long long start_us, int *counted)
{
    ews_mock *m = a->m;
    if (plan.delay_ms > 0) {
        if (!wait_on_client(a, plan.delay_ms))
            return MHD_NO;
        /* The wait was ours, not the client's: restart MHD's inactivity
         * clock (it restarts when the timeout is set from none), or a
         * delay longer than the timeout would drop the answer. */
        MHD_set_connection_option(a->c, MHD_CONNECTION_OPTION_TIMEOUT, 0U);
        MHD_set_connection_option(a->c, MHD_CONNECTION_OPTION_TIMEOUT,
                                  (unsigned int)MOCK_IDLE_TIMEOUT_S);
    }
    if (plan.action == MOCK_ACT_STALL) {
        wait_on_client(a, -1);
        return MHD_NO;
    }
    if (plan.action == MOCK_ACT_HTTP503) {
        answered(m, counted);
        mock_load_log(m, a->conn, start_us, 503, NULL);
        char seconds[32];
        snprintf(seconds, sizeof seconds, "%ld", plan.retry_after_s);
        const char *extra[] = { "Retry-After", seconds, NULL };
        return mock_answer_error(a, 503, "injected by the mock's fault settings",
                                 plan.retry_after_s >= 0 ? extra : NULL);
    }
    ews_buf out = EWS_BUF_INIT;
    mock_service_result res = { 500, "" };
    int rc = plan.action == MOCK_ACT_BUSY
                 ? mock_service_busy(plan.back_off_ms, &out, &res)
                 : mock_service_handle(&m->service, m->username, body->data ? body->data : "",
                                       body->len, &out, &res);
    answered(m, counted);
    if (plan.action == MOCK_ACT_BUSY)
        atomic_fetch_add(&m->busy, 1);
    mock_load_log(m, a->conn, start_us, rc ? 500 : res.status, rc ? NULL : res.code);
    enum MHD_Result next;
    if (rc) {
        a->close = 1;
        next = mock_answer_error(a, 500, "out of memory", NULL);
    } else {
        int cut = plan.action == MOCK_ACT_CLOSE_MID_BODY;
        if (cut)
            a->close = 1;
        next = mock_answer(a, res.status, "text/xml; charset=utf-8", out.data, out.len,
                           cut ? out.len / 2 : out.len, NULL);
    }
    ews_buf_free(&out);
    return next;
}

/* 1 when the request may go on; else the 401 is queued in *next. */
static int authenticate(answer_ctx *a, long long start_us, enum MHD_Result *next)
{
    ews_mock *m = a->m;
    const char *authorization = MHD_lookup_connection_value(a->c, MHD_HEADER_KIND, "Authorization");
    mock_auth_result ar = mock_auth_check(&m->auth, authorization);
    if (ar == MOCK_AUTH_OK) {
        if (m->auth.kind != EWS_MOCK_AUTH_NONE && !a->conn->authenticated) {
            a->conn->authenticated = 1;
            atomic_fetch_add(&m->handshakes, 1);
        }
        return 1;
    }
    char challenge[128];
    mock_auth_challenge(&m->auth, ar, challenge, sizeof challenge);
    const char *extra[] = { "WWW-Authenticate", challenge, NULL };
    if (start_us) {
        atomic_fetch_add(&m->challenges, 1);
        mock_load_log(m, a->conn, start_us, 401, NULL);
    }
    *next = mock_answer_error(a, 401,
                              ar == MOCK_AUTH_MISSING ? "credentials required"
                                                      : "the credentials were not accepted",
                              extra);
    return 0;
}

static enum MHD_Result serve_ews(answer_ctx *a, const ews_buf *body)
{
    ews_mock *m = a->m;
    atomic_fetch_add(&m->requests, 1);
    long long start_us = mock_now_us();
    enum MHD_Result next = MHD_NO;
    if (!authenticate(a, start_us, &next))
        return next;
    mock_plan plan = inject_next(&m->inject);
    /* Over the concurrency cap: refused at once, as Exchange does. */
    int counted = plan.action == MOCK_ACT_SERVE;
    if (counted && mock_load_enter(m)) {
        counted = 0;
        plan.action = MOCK_ACT_BUSY;
        plan.back_off_ms = m->busy_back_off_ms;
        plan.delay_ms = 0;
    }
    next = serve_planned(a, body, plan, start_us, &counted);
    answered(m, &counted);
    return next;
}

/* POX Autodiscover: the same authentication as EWS. */
static enum MHD_Result serve_autodiscover(answer_ctx *a, const ews_buf *body)
{
    ews_mock *m = a->m;
    atomic_fetch_add(&m->requests, 1);
    enum MHD_Result next = MHD_NO;
    if (!authenticate(a, 0, &next))
        return next;
    ews_buf out = EWS_BUF_INIT;
    int status;
    const char *host = MHD_lookup_connection_value(a->c, MHD_HEADER_KIND, "Host");
    if (mock_autodiscover_answer(&m->mailboxes, m->ad_redirects, m->https ? "https" : "http",
                                 host, body->data ? body->data : "", body->len, &out, &status)) {
        a->close = 1;
        next = mock_answer_error(a, 500, "out of memory", NULL);
    } else {
        next = mock_answer(a, status, "text/xml; charset=utf-8", out.data, out.len, out.len,
                           NULL);
    }
    ews_buf_free(&out);
    return next;
}

/* The path of an origin-form ("/p") or absolute-form ("http://host/p")
 * target; MHD has taken the query off already. NULL for anything else. */
static const char *target_path(const char *url)
{
    if (url[0] == '/')
        return url;
    if (strncasecmp(url, "http://", 7) != 0 && strncasecmp(url, "https://", 8) != 0)
        return NULL;
    const char *p = strchr(strstr(url, "://") + 3, '/');
    return p ? p : "/";
}

static enum MHD_Result route(answer_ctx *a, const char *url, const char *method,
                             const ews_buf *body)
{
    const char *path = target_path(url);
    if (!path)
        return mock_answer_error(a, 400,
                                 "the request target is neither a path nor an http(s) URL", NULL);
    /* Paths are case-insensitive, as on IIS. */
    if (strcasecmp(path, MOCK_AUTODISCOVER_PATH) == 0 && strcmp(method, "POST") == 0)
        return serve_autodiscover(a, body);
    if (strcasecmp(path, MOCK_EWS_PATH) != 0)
        return mock_answer_error(a, 404, "this server has only " MOCK_EWS_PATH, NULL);
    if (strcmp(method, "POST") != 0) {
        const char *extra[] = { "Allow", "POST", NULL };
        return mock_answer_error(a, 405, "EWS takes POST requests only", extra);
    }
    return serve_ews(a, body);
}

/* The first call, once the head is in: refuse what cannot be served
 * before any of the body is read (MHD then skips the 100 Continue and
 * closes the connection after the answer). */
static enum MHD_Result begin(answer_ctx *a, const char *method, const char *version,
                             void **req_cls)
{
    const char *why = "";
    int status = mock_check_request(a->c, method, version, &why);
    if (status)
        return mock_answer_error(a, status, why, NULL);
    const char *length = MHD_lookup_connection_value(a->c, MHD_HEADER_KIND, "Content-Length");
    if (length && strtoull(length, NULL, 10) > MOCK_MAX_REQUEST_BYTES)
        return mock_answer_error(a, 413, "the request body is larger than 1 MiB", NULL);
    mock_request *rq = calloc(1, sizeof *rq);
    if (!rq)
        return MHD_NO;
    rq->body = (ews_buf)EWS_BUF_INIT;
    rq->body.limit = MOCK_MAX_REQUEST_BYTES;
    *req_cls = rq;
    return MHD_YES;
}

enum MHD_Result mock_handle(void *cls, struct MHD_Connection *connection, const char *url,
                            const char *method, const char *version, const char *upload_data,
                            size_t *upload_data_size, void **req_cls)
{
    ews_mock *m = cls;
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(connection, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    answer_ctx a = { m, connection, ci ? ci->socket_context : NULL, 0 };
    if (!a.conn)
        return MHD_NO;
    mock_request *rq = *req_cls;
    if (!rq)
        return begin(&a, method, version, req_cls);
    if (*upload_data_size) {
        size_t n = *upload_data_size;
        *upload_data_size = 0;
        if (rq->dropped || ews_buf_append(&rq->body, upload_data, n)) {
            rq->dropped += n;
            if (rq->dropped > MOCK_DISCARD_MAX)
                return MHD_NO;
        }
        return MHD_YES;
    }
    if (rq->dropped && rq->body.len + rq->dropped > MOCK_MAX_REQUEST_BYTES)
        return mock_answer_error(&a, 413, "the request body is larger than 1 MiB", NULL);
    if (rq->dropped) {
        a.close = 1;
        return mock_answer_error(&a, 500, "out of memory", NULL);
    }
    return route(&a, url, method, &rq->body);
}

void mock_request_done(void *cls, struct MHD_Connection *connection, void **req_cls,
                       enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)connection;
    (void)toe;
    mock_request *rq = *req_cls;
    if (!rq)
        return;
    ews_buf_wipe(&rq->body); /* may hold credentials */
    free(rq);
    *req_cls = NULL;
}

void mock_conn_event(void *cls, struct MHD_Connection *connection, void **socket_context,
                     enum MHD_ConnectionNotificationCode toe)
{
    ews_mock *m = cls;
    (void)connection;
    if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
        mock_conn *c = calloc(1, sizeof *c);
        if (c)
            c->id = atomic_fetch_add(&m->connections, 1) + 1;
        *socket_context = c; /* NULL: mock_handle drops the connection */
    } else if (toe == MHD_CONNECTION_NOTIFY_CLOSED) {
        free(*socket_context);
        *socket_context = NULL;
    }
}
