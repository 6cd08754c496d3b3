/* One client connection: reads HTTP requests, applies authentication and
 * injected faults, hands SOAP bodies to the service and writes answers. */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>

#include "autodiscover.h"
#include "mock_internal.h"
#include "util.h"

enum { SESSION_CONTINUE = 0, SESSION_CLOSE = 1 };

/* Headers every answer to a parsed request carries. */
typedef struct answer_ctx {
    const http_request *req;   /* NULL when the request could not be parsed */
    int keep_alive;
} answer_ctx;

static void http_date(char *out, size_t outlen)
{
    /* Names spelled out: strftime would follow the process locale. */
    static const char days[7][4] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
    static const char months[12][4] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    snprintf(out, outlen, "%s, %02d %s %04d %02d:%02d:%02d GMT", days[tm.tm_wday % 7],
             tm.tm_mday, months[tm.tm_mon % 12], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
             tm.tm_sec);
}

/* Builds the head of a response: status, our standard headers, and the
 * extra ones (name/value pairs, NULL-terminated). */
static int build_head(ews_buf *out, const answer_ctx *a, int status, const char *content_type,
                      size_t content_length, const char *const *extra)
{
    char date[40], uuid[37], number[32];
    http_date(date, sizeof date);
    mock_uuid(uuid);
    snprintf(number, sizeof number, "%zu", content_length);
    int rc = http_status_line(out, status) || http_add_header(out, "Date", date) ||
             http_add_header(out, "Server", "ews-mock") ||
             http_add_header(out, "Cache-Control", "private") ||
             http_add_header(out, "request-id", uuid);
    if (!rc && a->req) {
        /* Exchange echoes the caller's id only when asked to. */
        const char *want = http_header_get(a->req, "return-client-request-id");
        const char *id = http_header_get(a->req, "client-request-id");
        if (want && strcasecmp(want, "true") == 0 && id && *id && strlen(id) <= 256)
            rc = http_add_header(out, "client-request-id", id);
        char backend[8];
        snprintf(backend, sizeof backend, "%d", status);
        rc = rc || http_add_header(out, "X-BackEndHttpStatus", backend);
    }
    for (const char *const *e = extra; !rc && e && e[0]; e += 2)
        rc = http_add_header(out, e[0], e[1]);
    if (!rc && content_type)
        rc = http_add_header(out, "Content-Type", content_type);
    rc = rc || http_add_header(out, "Content-Length", number) ||
         http_add_header(out, "Connection", a->keep_alive ? "keep-alive" : "close") ||
         ews_buf_puts(out, "\r\n");
    return rc;
}

/* Sends a complete response. send_len < body_len cuts the body short
 * (the close-mid-body fault). */
static int send_answer(mock_session *s, const answer_ctx *a, int status, const char *content_type,
                       const char *body, size_t body_len, size_t send_len,
                       const char *const *extra)
{
    ews_buf head = EWS_BUF_INIT;
    int rc = build_head(&head, a, status, content_type, body_len, extra);
    /* The answer to HEAD has the headers of a GET answer and no body. */
    if (a->req && strcmp(a->req->method, "HEAD") == 0)
        send_len = 0;
    if (!rc)
        rc = conn_write(&s->conn, head.data, head.len);
    if (!rc && send_len)
        rc = conn_write(&s->conn, body, send_len);
    ews_buf_free(&head);
    if (rc)
        return SESSION_CLOSE;
    if (!a->keep_alive)
        s->linger = 1;
    return a->keep_alive ? SESSION_CONTINUE : SESSION_CLOSE;
}

/* A short text/plain answer for HTTP-level errors: says what was wrong. */
static int send_error(mock_session *s, answer_ctx *a, int status, const char *why,
                      const char *const *extra)
{
    char text[512];
    int n = snprintf(text, sizeof text, "%d %s%s%s\n", status, http_reason(status),
                     why && *why ? ": " : "", why ? why : "");
    if (n < 0 || (size_t)n >= sizeof text)
        n = (int)strlen(text);
    /* After a framing error the rest of the stream cannot be trusted. */
    if (status == 400 || status == 408 || status == 413 || status == 414 || status == 417 ||
        status == 431 || status == 501 || status == 505)
        a->keep_alive = 0;
    return send_answer(s, a, status, "text/plain; charset=utf-8", text, (size_t)n, (size_t)n,
                       extra);
}

static long long now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* A request must arrive whole within MOCK_REQUEST_TIMEOUT_MS of its first
 * byte, so a client trickling bytes cannot hold a thread forever. Reads
 * more within what is left of that time. */
static int fill_in_time(mock_session *s)
{
    long long left = s->deadline - now_ms();
    if (left <= 0)
        return CONN_TIMEOUT;
    return conn_fill(&s->conn, left > MOCK_REQUEST_TIMEOUT_MS ? MOCK_REQUEST_TIMEOUT_MS : (int)left);
}

/* Reads until the head is complete. Returns its length, 0 when the
 * connection should end quietly, or -(HTTP status) to answer. */
static long read_head(mock_session *s, const char **why)
{
    mock_conn *c = &s->conn;
    s->deadline = 0;
    for (;;) {
        int started = conn_avail(c) > 0;
        if (started && !s->deadline)
            s->deadline = now_ms() + MOCK_REQUEST_TIMEOUT_MS;
        size_t n = http_head_length(conn_data(c), conn_avail(c));
        if (n)
            return (long)n;
        int rc = started ? fill_in_time(s) : conn_fill(c, MOCK_IDLE_TIMEOUT_MS);
        if (rc == CONN_OK)
            continue;
        if (rc == CONN_FULL) {
            *why = "the request head is larger than 16 KiB";
            return -431;
        }
        if (rc == CONN_TIMEOUT && started) {
            *why = "the request head did not arrive in time";
            return -408;
        }
        if (rc == CONN_EOF && started) {
            *why = "the connection closed inside the request head";
            return -400;
        }
        return 0;
    }
}

/* Reads the body the head announced into body. 0, or an HTTP status to
 * answer (-1: the connection is gone, answer nothing). */
static int read_body(mock_session *s, const http_request *req, ews_buf *body, const char **why)
{
    mock_conn *c = &s->conn;
    if (req->has_content_length) {
        if (req->content_length > MOCK_MAX_REQUEST_BYTES) {
            *why = "the request body is larger than 1 MiB";
            return 413;
        }
        size_t left = (size_t)req->content_length;
        while (left) {
            if (!conn_avail(c)) {
                int rc = fill_in_time(s);
                if (rc == CONN_TIMEOUT) {
                    *why = "the request body did not arrive in time";
                    return 408;
                }
                if (rc)
                    return -1;
            }
            size_t n = conn_avail(c) < left ? conn_avail(c) : left;
            if (ews_buf_append(body, conn_data(c), n)) {
                *why = "out of memory";
                return 500;
            }
            conn_consume(c, n);
            left -= n;
        }
        return 0;
    }
    if (!req->chunked)
        return 0; /* no framing header: an empty body (RFC 9112 section 6.3) */
    http_chunked ch;
    memset(&ch, 0, sizeof ch);
    for (;;) {
        if (conn_avail(c)) {
            size_t used = 0;
            int rc = http_chunked_feed(&ch, conn_data(c), conn_avail(c), &used, body);
            conn_consume(c, used);
            if (rc == HTTP_CHUNKED_DONE)
                return 0;
            if (rc != HTTP_CHUNKED_MORE) {
                *why = rc == 413 ? "the request body is larger than 1 MiB"
                       : rc == 400 ? "malformed chunked encoding" : "out of memory";
                return rc;
            }
        }
        int rc = fill_in_time(s);
        if (rc == CONN_TIMEOUT) {
            *why = "the request body did not arrive in time";
            return 408;
        }
        if (rc)
            return -1;
    }
}

static int serve_planned(mock_session *s, answer_ctx *a, const ews_buf *body, mock_plan *pp,
                         long long start_us, int *counted);

static int serve_ews(mock_session *s, answer_ctx *a, const ews_buf *body)
{
    ews_mock *m = s->mock;
    const http_request *req = a->req;
    atomic_fetch_add(&m->requests, 1);
    long long start_us = mock_now_us();

    mock_auth_result ar = mock_auth_check(&m->auth, http_header_get(req, "Authorization"));
    if (ar != MOCK_AUTH_OK) {
        char challenge[128];
        mock_auth_challenge(&m->auth, ar, challenge, sizeof challenge);
        const char *extra[] = { "WWW-Authenticate", challenge, NULL };
        atomic_fetch_add(&m->challenges, 1);
        mock_load_log(m, s, start_us, 401, NULL);
        return send_error(s, a, 401,
                          ar == MOCK_AUTH_MISSING ? "credentials required"
                                                  : "the credentials were not accepted",
                          extra);
    }
    if (m->auth.kind != EWS_MOCK_AUTH_NONE && !s->authenticated) {
        s->authenticated = 1;
        atomic_fetch_add(&m->handshakes, 1);
    }

    mock_plan plan = inject_next(&m->inject);
    /* Over the concurrency cap: refused at once, as Exchange does. */
    int counted = plan.action == MOCK_ACT_SERVE;
    if (counted && mock_load_enter(m)) {
        counted = 0;
        plan.action = MOCK_ACT_BUSY;
        plan.back_off_ms = m->busy_back_off_ms;
        plan.delay_ms = 0;
    }
    int next = serve_planned(s, a, body, &plan, start_us, &counted);
    if (counted)
        mock_load_leave(m);
    return next;
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

static int serve_planned(mock_session *s, answer_ctx *a, const ews_buf *body, mock_plan *pp,
                         long long start_us, int *counted)
{
    ews_mock *m = s->mock;
    mock_plan plan = *pp;
    if (plan.delay_ms > 0) {
        int rc = conn_wait(&s->conn, plan.delay_ms > 3600000 ? 3600000 : (int)plan.delay_ms);
        if (rc != CONN_TIMEOUT)
            return SESSION_CLOSE;
    }
    if (plan.action == MOCK_ACT_STALL) {
        conn_wait(&s->conn, -1);
        return SESSION_CLOSE;
    }
    if (plan.action == MOCK_ACT_HTTP503) {
        answered(m, counted);
        mock_load_log(m, s, start_us, 503, NULL);
        char seconds[32];
        snprintf(seconds, sizeof seconds, "%ld", plan.retry_after_s);
        const char *extra[] = { "Retry-After", seconds, NULL };
        return send_error(s, a, 503, "injected by the mock's fault settings",
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
    mock_load_log(m, s, start_us, rc ? 500 : res.status, rc ? NULL : res.code);
    int next;
    if (rc) {
        a->keep_alive = 0;
        next = send_error(s, a, 500, "out of memory", NULL);
    } else {
        size_t send_len = plan.action == MOCK_ACT_CLOSE_MID_BODY ? out.len / 2 : out.len;
        if (plan.action == MOCK_ACT_CLOSE_MID_BODY)
            a->keep_alive = 0;
        next = send_answer(s, a, res.status, "text/xml; charset=utf-8", out.data, out.len,
                           send_len, NULL);
    }
    ews_buf_free(&out);
    return next;
}

/* POX Autodiscover: the same authentication as EWS. */
static int serve_autodiscover(mock_session *s, answer_ctx *a, const ews_buf *body)
{
    ews_mock *m = s->mock;
    const http_request *req = a->req;
    atomic_fetch_add(&m->requests, 1);
    mock_auth_result ar = mock_auth_check(&m->auth, http_header_get(req, "Authorization"));
    if (ar != MOCK_AUTH_OK) {
        char challenge[128];
        mock_auth_challenge(&m->auth, ar, challenge, sizeof challenge);
        const char *extra[] = { "WWW-Authenticate", challenge, NULL };
        return send_error(s, a, 401, "credentials required", extra);
    }
    ews_buf out = EWS_BUF_INIT;
    int status;
    int next;
    if (mock_autodiscover_answer(&m->mailboxes, m->ad_redirects, m->tls ? "https" : "http",
                                 http_header_get(req, "Host"), body->data ? body->data : "",
                                 body->len, &out, &status)) {
        a->keep_alive = 0;
        next = send_error(s, a, 500, "out of memory", NULL);
    } else {
        next = send_answer(s, a, status, "text/xml; charset=utf-8", out.data, out.len, out.len,
                           NULL);
    }
    ews_buf_free(&out);
    return next;
}

static int handle_request(mock_session *s)
{
    const char *why = "";
    answer_ctx a = { NULL, 0 };
    long head_len = read_head(s, &why);
    if (head_len == 0)
        return SESSION_CLOSE;
    if (head_len < 0)
        return send_error(s, &a, (int)-head_len, why, NULL);

    memcpy(s->head, conn_data(&s->conn), (size_t)head_len);
    conn_consume(&s->conn, (size_t)head_len);
    http_request req;
    int status = http_parse_head(&req, s->head, (size_t)head_len, &why);
    if (status)
        return send_error(s, &a, status, why, NULL);
    a.req = &req;
    a.keep_alive = req.keep_alive;

    /* A body announced too large is refused below without reading it. */
    if (req.expect_continue && (req.chunked || (req.has_content_length &&
                                                req.content_length <= MOCK_MAX_REQUEST_BYTES &&
                                                req.content_length > 0))) {
        static const char cont[] = "HTTP/1.1 100 Continue\r\n\r\n";
        if (conn_write(&s->conn, cont, sizeof cont - 1))
            return SESSION_CLOSE;
    }
    ews_buf body = EWS_BUF_INIT;
    body.limit = MOCK_MAX_REQUEST_BYTES;
    status = read_body(s, &req, &body, &why);
    int next;
    if (status < 0) {
        next = SESSION_CLOSE;
    } else if (status) {
        next = send_error(s, &a, status, why, NULL);
    } else if (strcasecmp(req.path, MOCK_AUTODISCOVER_PATH) == 0 &&
               strcmp(req.method, "POST") == 0) {
        next = serve_autodiscover(s, &a, &body);
    } else if (strcasecmp(req.path, MOCK_EWS_PATH) != 0) {
        next = send_error(s, &a, 404, "this server has only " MOCK_EWS_PATH, NULL);
    } else if (strcmp(req.method, "POST") != 0) {
        const char *extra[] = { "Allow", "POST", NULL };
        next = send_error(s, &a, 405, "EWS takes POST requests only", extra);
    } else {
        next = serve_ews(s, &a, &body);
    }
    ews_buf_wipe(&body); /* may hold credentials */
    return next;
}

/* After answering early (413 before the body, a framing error), closing
 * at once would make the kernel reset the connection over the unread
 * input, and the client could lose our answer. So: stop sending, and
 * discard what still arrives for a short while. */
static void linger(mock_session *s)
{
    char sink[4096];
    size_t total = 0;
    shutdown(s->fd, SHUT_WR);
    struct timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (;;) {
        clock_gettime(CLOCK_MONOTONIC, &now);
        long spent = (now.tv_sec - start.tv_sec) * 1000L + (now.tv_nsec - start.tv_nsec) / 1000000L;
        if (spent >= MOCK_LINGER_MS || total > MOCK_MAX_REQUEST_BYTES * 4)
            return;
        s->conn.start = s->conn.end = 0;
        if (conn_wait_input(&s->conn, (int)(MOCK_LINGER_MS - spent)) != CONN_OK)
            return;
        ssize_t n = recv(s->fd, sink, sizeof sink, 0);
        if (n <= 0)
            return;
        total += (size_t)n;
    }
}

void *mock_session_main(void *arg)
{
    mock_session *s = arg;
    ews_mock *m = s->mock;
    mock_conn *c = &s->conn;
    s->id = atomic_fetch_add(&m->connections, 1) + 1;
    c->fd = s->fd;
    c->wake_fd = m->wake[0];
    if (m->tls) {
        char why[256];
        c->ssl = mock_tls_accept(m->tls, c->fd, why, sizeof why);
    }
    if (!m->tls || c->ssl)
        while (handle_request(s) == SESSION_CONTINUE)
            ;
    mock_tls_close(c->ssl, !c->tls_failed);
    c->ssl = NULL;
    if (s->linger)
        linger(s);
    mock_session_close_fd(s);
    pthread_mutex_lock(&m->lock);
    s->done = 1;
    pthread_mutex_unlock(&m->lock);
    return NULL;
}
