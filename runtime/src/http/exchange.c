/* One HTTP exchange over libcurl: the curl handle's settings, one
 * curl_easy_perform with its header/body/progress/debug callbacks, the
 * mapping of libcurl's failures to EWS_E... codes, and the helpers every
 * transport file reports through, which keep secrets out of errors,
 * traces and events. */
#include "http/transport_internal.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/retry.h"
#include "http/auth_token.h"
#include "http/challenge.h"
#include "http/redact.h"

/* libcurl 7.88 builds its AUTHENTICATE message in 1024 bytes: 88 of header
 * and LM response, 48 + the target info of NTLMv2 response (vauth/ntlm.c). */
#define CURL_NTLM_MAX_TARGET_INFO 888

/* ---- helpers ------------------------------------------------------------- */

void ews_http_free_secret(char *s)
{
    if (s) {
        ews_secure_zero(s, strlen(s));
        free(s);
    }
}

/* Replaces every occurrence of secret in b by "***" (defence in depth for
 * texts that libcurl or a server composed). On ENOMEM the text is masked in
 * place instead. */
static void scrub(ews_buf *b, const char *secret)
{
    size_t n = secret ? strlen(secret) : 0;
    if (!n || !b->data || !strstr(b->data, secret))
        return;
    ews_buf out = EWS_BUF_INIT;
    int rc = 0;
    const char *p = b->data;
    const char *hit;
    while (!rc && (hit = strstr(p, secret)) != NULL) {
        rc = ews_buf_append(&out, p, (size_t)(hit - p));
        if (!rc)
            rc = ews_buf_puts(&out, "***");
        p = hit + n;
    }
    if (!rc)
        rc = ews_buf_puts(&out, p);
    if (rc) {
        for (char *h = b->data; (h = strstr(h, secret)) != NULL; h += n)
            memset(h, '*', n);
        ews_buf_wipe(&out);
        return;
    }
    ews_buf_wipe(b);
    *b = out;
}

/* Sets err with a message scrubbed of the transport's secrets and of extra
 * (a per-request token). */
int ews_http_fail(const ews_transport *t, ews_err *err, int code, const char *extra,
                const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *text = n < 0 ? NULL : malloc((size_t)n + 1);
    if (!text)
        return ews_err_set(err, code, "%s", ews_strerror(code));
    va_start(ap, fmt);
    vsnprintf(text, (size_t)n + 1, fmt, ap);
    va_end(ap);
    ews_buf b = { text, (size_t)n, (size_t)n + 1, 0 };
    if (t) {
        scrub(&b, t->o->password);
        scrub(&b, t->o->proxy_password);
    }
    scrub(&b, extra);
    ews_err_set(err, code, "%s", b.data);
    ews_buf_wipe(&b);
    return code;
}

/* Every block goes to the trace through here. A server can reflect what
 * it received anywhere (a header, the body, a Location that libcurl's text
 * repeats): each form of the configured secrets and extra (this request's
 * bearer token) becomes "***". Without memory to mask, nothing is traced. */
static void emit(const ews_transport *t, const char *extra, ews_trace_kind kind, const char *data,
                 size_t len)
{
    size_t out_len;
    char *clean = ews_secrets_mask(&t->secrets, extra, data, len, &out_len);
    if (clean)
        t->o->trace(kind, clean, out_len, t->o->trace_userdata);
    if (clean) {
        ews_secure_zero(clean, out_len);
        free(clean);
    }
}

void ews_http_trace_info(const ews_transport *t, const char *fmt, ...)
{
    if (!t->o->trace)
        return;
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    size_t len = (size_t)n < sizeof line ? (size_t)n : sizeof line - 1;
    emit(t, NULL, EWS_TRACE_INFO, line, len);
}

void ews_http_auth_leg_event(const ews_transport *t, const char *method, int leg)
{
    if (!t->o->event)
        return;
    ews_event ev = { .kind = EWS_EVENT_AUTH_LEG, .operation = t->operation, .method = method,
                     .leg = leg };
    t->o->event(&ev, t->o->event_userdata);
}


/* location is server text, which may quote what the request carried. */
void ews_http_redirect_refused_event(const ews_transport *t, const char *location,
                                   const char *reason)
{
    if (!t->o->event)
        return;
    ews_buf b = EWS_BUF_INIT;
    if (location && ews_buf_puts(&b, location) != 0) {
        ews_buf_wipe(&b);
        return;
    }
    scrub(&b, t->o->password);
    scrub(&b, t->o->proxy_password);
    ews_event ev = { .kind = EWS_EVENT_REDIRECT_REFUSED, .operation = t->operation,
                     .location = b.data, .reason = reason };
    t->o->event(&ev, t->o->event_userdata);
    ews_buf_wipe(&b);
}

/* ---- one HTTP exchange ---------------------------------------------------- */

static void exchange_clear_response(exchange *ex)
{
    ews_buf_clear(&ex->body);
    ews_buf_clear(&ex->www_authenticate);
    free(ex->content_type);
    free(ex->request_id);
    free(ex->backend_status);
    free(ex->location);
    free(ex->retry_after);
    ex->content_type = ex->request_id = ex->backend_status = ex->location = ex->retry_after =
        NULL;
}

void ews_http_exchange_init(exchange *ex, ews_transport *t)
{
    memset(ex, 0, sizeof *ex);
    ex->t = t;
    ex->body.limit = t->o->max_response_bytes;
    ews_err_init(&ex->token_err);
}

void ews_http_exchange_free(exchange *ex)
{
    exchange_clear_response(ex);
    ews_buf_free(&ex->body);
    ews_buf_free(&ex->www_authenticate);
    ews_buf_free(&ex->trace_headers);
    ews_err_free(&ex->token_err);
}

static void set_field(exchange *ex, char **slot, const char *v, size_t len)
{
    char *copy = malloc(len + 1);
    if (!copy) {
        ex->nomem = 1;
        return;
    }
    memcpy(copy, v, len);
    copy[len] = '\0';
    free(*slot);
    *slot = copy;
}

static int name_is(const char *line, size_t name_len, const char *name)
{
    return strlen(name) == name_len && strncasecmp(line, name, name_len) == 0;
}

/* The NTLM / Negotiate tokens of one WWW-Authenticate line that libcurl's
 * own NTLM or Negotiate will answer: checked as ews_gss_ctx_step checks
 * them (libcurl parses a header before this callback sees it, but builds
 * its answer only at the next request, which a refusal here prevents).
 * -1 with ex->token_err set when one is malformed. */
static int check_curl_tokens(exchange *ex, const char *v, size_t vlen)
{
    char *line = malloc(vlen + 1);
    if (!line) {
        ex->nomem = 1;
        return -1;
    }
    memcpy(line, v, vlen);
    line[vlen] = '\0';
    ews_auth_challenge ch[EWS_AUTH_MAX_CHALLENGES];
    size_t n = ews_auth_parse_challenges(line, ch, EWS_AUTH_MAX_CHALLENGES);
    int rc = 0;
    for (size_t i = 0; !rc && i < n; i++) {
        int ntlm = ch[i].scheme_len == 4 && strncasecmp(ch[i].scheme, "NTLM", 4) == 0;
        int nego = ch[i].scheme_len == 9 && strncasecmp(ch[i].scheme, "Negotiate", 9) == 0;
        if (!ch[i].token || !(ntlm || nego))
            continue;
        ex->curl_challenges++;
        size_t raw_len;
        int bad, selects_ntlm;
        unsigned char *raw = ews_base64_decode(ch[i].token, ch[i].token_len, &raw_len, &bad);
        if (!raw)
            rc = bad ? ews_err_set(&ex->token_err, EWS_EAUTH, "the server's %s token is not "
                                   "base64", ntlm ? "NTLM" : "Negotiate")
                     : (ex->nomem = 1, -1);
        else if (!ntlm)
            rc = ews_spnego_check_resp(raw, raw_len, 0, &selects_ntlm, &ex->token_err);
        else if (!(rc = ews_ntlm_check_challenge(raw, raw_len, &ex->token_err)) &&
                 ews_ntlm_target_info_len(raw) > CURL_NTLM_MAX_TARGET_INFO)
            /* libcurl would fail it as out of memory, and leak. */
            rc = ews_err_set(&ex->token_err, EWS_EAUTH,
                             "the server's NTLM challenge carries %zu bytes of target info; "
                             "libcurl's NTLM can answer at most %d (the GSSAPI provider, "
                             "gss-ntlmssp, has no such limit)",
                             ews_ntlm_target_info_len(raw), CURL_NTLM_MAX_TARGET_INFO);
        free(raw);
    }
    free(line);
    if (rc && !ex->nomem)
        ex->bad_token = 1;
    return rc ? -1 : 0;
}

/* The status code of a status line ("HTTP/1.1 401 ..."), or 0. */
static long status_of(const char *line, size_t len)
{
    const char *sp = memchr(line, ' ', len);
    if (!sp || (size_t)(sp - line) + 4 > len)
        return 0;
    long code = 0;
    for (int i = 1; i <= 3; i++) {
        if (sp[i] < '0' || sp[i] > '9')
            return 0;
        code = code * 10 + (sp[i] - '0');
    }
    return code;
}

/* One response header line. libcurl calls this for every response of the
 * perform (401 legs of its own NTLM, 100 Continue): a status line starts a
 * new response, so only the final one's headers and body remain. */
static size_t on_header(char *data, size_t size, size_t nmemb, void *userdata)
{
    exchange *ex = userdata;
    size_t len = size * nmemb;
    if (len >= 5 && memcmp(data, "HTTP/", 5) == 0) {
        exchange_clear_response(ex);
        ex->headers_done = 0;
        /* libcurl's own NTLM answers every fresh challenge: a server that
         * keeps sending them would get the body again and again. As many
         * requests as ews-c's own legs may take, no more. */
        if (status_of(data, len) == 401 && ++ex->responses_401 >= MAX_AUTH_LEGS) {
            ex->too_many_legs = 1;
            return 0;
        }
        return len;
    }
    if ((len == 2 && data[0] == '\r') || (len == 1 && data[0] == '\n'))
        ex->headers_done = 1;
    const char *colon = memchr(data, ':', len);
    if (!colon)
        return len;
    size_t name_len = (size_t)(colon - data);
    const char *v = colon + 1;
    const char *end = data + len;
    while (v < end && (*v == ' ' || *v == '\t'))
        v++;
    while (end > v && (end[-1] == '\r' || end[-1] == '\n' || end[-1] == ' ' || end[-1] == '\t'))
        end--;
    size_t vlen = (size_t)(end - v);

    if (name_is(data, name_len, "Content-Type"))
        set_field(ex, &ex->content_type, v, vlen);
    else if (name_is(data, name_len, "request-id"))
        set_field(ex, &ex->request_id, v, vlen);
    else if (name_is(data, name_len, "X-BackEndHttpStatus"))
        set_field(ex, &ex->backend_status, v, vlen);
    else if (name_is(data, name_len, "Location"))
        set_field(ex, &ex->location, v, vlen);
    else if (name_is(data, name_len, "Retry-After"))
        set_field(ex, &ex->retry_after, v, vlen);
    else if (name_is(data, name_len, "WWW-Authenticate")) {
        if (ex->t->curl_answers_tokens && check_curl_tokens(ex, v, vlen))
            return 0;
        if ((ex->www_authenticate.len && ews_buf_puts(&ex->www_authenticate, ", ")) ||
            ews_buf_append(&ex->www_authenticate, v, vlen))
            ex->nomem = 1;
    } else if (name_is(data, name_len, "Content-Length") && ex->t->o->max_response_bytes) {
        /* Refuse a body announced too large before any of it arrives. */
        char *stop;
        errno = 0;
        unsigned long long n = strtoull(v, &stop, 10);
        if (stop != v && (errno == ERANGE || n > ex->t->o->max_response_bytes)) {
            ex->too_big = 1;
            return 0;
        }
    }
    return ex->nomem ? 0 : len;
}

/* The decoded body (libcurl undoes gzip/deflate first), so the size limit
 * also stops decompression bombs. */
static size_t on_body(char *data, size_t size, size_t nmemb, void *userdata)
{
    exchange *ex = userdata;
    size_t len = size * nmemb;
    int rc = ews_buf_append(&ex->body, data, len);
    if (rc == EWS_ETOOBIG)
        ex->too_big = 1;
    else if (rc)
        ex->nomem = 1;
    return rc ? 0 : len;
}

static long elapsed_ms(const struct timespec *since)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (long)((now.tv_sec - since->tv_sec) * 1000 + (now.tv_nsec - since->tv_nsec) / 1000000);
}

/* The stall timeout: no byte in either direction for stall_timeout_ms.
 * libcurl's LOW_SPEED check alone averages over a window of about five
 * seconds, so a server that goes silent right after the request is noticed
 * seconds late; this callback runs at least once a second. */
static int on_progress(void *userdata, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
                       curl_off_t ulnow)
{
    (void)dltotal;
    (void)ultotal;
    exchange *ex = userdata;
    if (dlnow != ex->last_down || ulnow != ex->last_up) {
        ex->last_down = dlnow;
        ex->last_up = ulnow;
        clock_gettime(CLOCK_MONOTONIC, &ex->last_progress);
        return 0;
    }
    if (elapsed_ms(&ex->last_progress) >= ex->t->o->stall_timeout_ms) {
        ex->stalled = 1;
        return 1;
    }
    return 0;
}

/* libcurl's cookie engine reports cookie values in its informational
 * text; those lines are left out of the trace. */
static int mentions_cookie(const char *data, size_t size)
{
    for (size_t i = 0; i + 6 <= size; i++)
        if (strncasecmp(data + i, "cookie", 6) == 0)
            return 1;
    return 0;
}

static void trace_redacted(const exchange *ex, ews_trace_kind kind, const char *data, size_t len)
{
    size_t out_len;
    char *clean = ews_redact_headers(data, len, &out_len);
    if (clean) /* without memory to redact, trace nothing rather than secrets */
        emit(ex->t, ex->bearer, kind, clean, out_len);
    free(clean);
}

static int on_debug(CURL *curl, curl_infotype type, char *data, size_t size, void *userdata)
{
    (void)curl;
    exchange *ex = userdata;
    const ews_transport *t = ex->t;
    switch (type) {
    case CURLINFO_TEXT:
        if (!mentions_cookie(data, size))
            emit(t, ex->bearer, EWS_TRACE_INFO, data, size);
        break;
    case CURLINFO_HEADER_OUT: /* the whole request head in one piece */
        trace_redacted(ex, EWS_TRACE_REQUEST_HEADERS, data, size);
        break;
    case CURLINFO_DATA_OUT: /* may come in pieces: a secret cut in two is not seen */
        emit(t, ex->bearer, EWS_TRACE_REQUEST_BODY, data, size);
        break;
    case CURLINFO_HEADER_IN: /* one line at a time: gather the block */
        if (ews_buf_append(&ex->trace_headers, data, size)) {
            /* The trace loses this block; the request goes on. */
            ews_buf_free(&ex->trace_headers);
            break;
        }
        if ((size == 2 && data[0] == '\r') || (size == 1 && data[0] == '\n')) {
            trace_redacted(ex, EWS_TRACE_RESPONSE_HEADERS, ex->trace_headers.data,
                           ex->trace_headers.len);
            ews_buf_clear(&ex->trace_headers);
        }
        break;
    default: /* raw (still compressed) body and TLS records: not useful */
        break;
    }
    return 0;
}

/* Runs once a transfer's connection is up, new or reused, before the request
 * goes out: the channel binding of exactly the connection this request
 * (and the server's answer to it) travels on. */
#if LIBCURL_VERSION_NUM >= 0x075000
static int on_prereq(void *userdata, char *primary_ip, char *local_ip, int primary_port,
                     int local_port)
{
    (void)primary_ip;
    (void)local_ip;
    (void)primary_port;
    (void)local_port;
    ews_transport *t = userdata;
    t->conn_cb_why = NULL;
    t->conn_cb_rc = ews_tls_cb_from_curl(t->curl, &t->conn_cb, &t->conn_cb_why);
    return CURL_PREREQFUNC_OK;
}
#endif

/* Builds the request headers of one perform. auth is a whole
 * "Authorization: ..." line or NULL. */
static struct curl_slist *request_headers(const ews_http_request *req, const char *auth)
{
    ews_buf line = EWS_BUF_INIT;
    struct curl_slist *list = NULL;
    int ok = 1;
#define ADD(...)                                                                 \
    do {                                                                         \
        ews_buf_clear(&line);                                                    \
        struct curl_slist *n_;                                                   \
        if (ok && (ews_buf_printf(&line, __VA_ARGS__) ||                         \
                   !(n_ = curl_slist_append(list, line.data))))                  \
            ok = 0;                                                              \
        else if (ok)                                                             \
            list = n_;                                                           \
    } while (0)
    if (!req->get)
        ADD("Content-Type: text/xml; charset=utf-8");
    if (req->soap_action) {
        int quoted = req->soap_action[0] == '"';
        ADD("SOAPAction: %s%s%s", quoted ? "" : "\"", req->soap_action, quoted ? "" : "\"");
    }
    if (req->anchor_mailbox)
        ADD("X-AnchorMailbox: %s", req->anchor_mailbox);
    if (req->client_request_id) {
        ADD("client-request-id: %s", req->client_request_id);
        ADD("return-client-request-id: true");
    }
    /* The body goes with the headers: no round trip waiting for 100. */
    ADD("Expect:");
    if (auth)
        ADD("%s", auth);
#undef ADD
    ews_buf_wipe(&line);
    if (!ok && list) {
        for (struct curl_slist *n = list; n; n = n->next)
            ews_secure_zero(n->data, strlen(n->data));
        curl_slist_free_all(list);
        list = NULL;
    }
    return list;
}

static void free_headers(struct curl_slist *list)
{
    for (struct curl_slist *n = list; n; n = n->next)
        ews_secure_zero(n->data, strlen(n->data)); /* bearer and NTLM tokens */
    curl_slist_free_all(list);
}

/* Credentials libcurl itself sends in the next perform (plan NULL: none). */
void ews_http_set_curl_auth(ews_transport *t, const auth_plan *plan)
{
    CURL *c = t->curl;
    t->curl_answers_tokens = plan && plan->engine == ENGINE_CURL &&
                             plan->curlauth != CURLAUTH_BASIC;
    if (!plan || plan->engine != ENGINE_CURL) {
        curl_easy_setopt(c, CURLOPT_HTTPAUTH, (unsigned long)CURLAUTH_BASIC);
        curl_easy_setopt(c, CURLOPT_USERNAME, (char *)NULL);
        curl_easy_setopt(c, CURLOPT_PASSWORD, (char *)NULL);
        return;
    }
    curl_easy_setopt(c, CURLOPT_HTTPAUTH, plan->curlauth);
    if (plan->curlauth == CURLAUTH_NEGOTIATE) {
        /* libcurl authenticates only with a user set; its Negotiate then
         * uses the default credentials whatever the user is. */
        curl_easy_setopt(c, CURLOPT_USERNAME, "");
        curl_easy_setopt(c, CURLOPT_PASSWORD, "");
    } else {
        curl_easy_setopt(c, CURLOPT_USERNAME, t->o->username);
        curl_easy_setopt(c, CURLOPT_PASSWORD, t->o->password);
    }
}

deadline ews_http_deadline_in(long ms)
{
    deadline d = { 0, { 0, 0 } };
    if (ms <= 0)
        return d;
    clock_gettime(CLOCK_MONOTONIC, &d.at);
    d.set = 1;
    d.at.tv_sec += ms / 1000; /* at most LONG_MAX / 1000 s: cannot wrap */
    d.at.tv_nsec += (ms % 1000) * 1000000L;
    if (d.at.tv_nsec >= 1000000000L) {
        d.at.tv_sec++;
        d.at.tv_nsec -= 1000000000L;
    }
    return d;
}

/* Milliseconds left (at least 1 while any remain), 0 when there is no
 * deadline, -1 when it has passed. */
static long deadline_left(const deadline *d)
{
    if (!d->set)
        return 0;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    long long s = (long long)(d->at.tv_sec - now.tv_sec);
    /* A deadline of LONG_MAX ms is one second past what s * 1000 holds. */
    if (s >= LLONG_MAX / 1000 - 1)
        return LONG_MAX;
    long long ms = s * 1000 + (d->at.tv_nsec - now.tv_nsec) / 1000000L;
    if (ms <= 0)
        return -1;
    return ms > LONG_MAX ? LONG_MAX : (long)ms;
}

static int is_tls_error(CURLcode cc)
{
    switch (cc) {
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_ENGINE_INITFAILED:
    case CURLE_SSL_SHUTDOWN_FAILED:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_CLIENTCERT:
    case CURLE_USE_SSL_FAILED:
        return 1;
    default:
        return 0;
    }
}

/* The last perform reached the server (a connection was up). */
static int connected(ews_transport *t)
{
    char *ip = NULL;
    return curl_easy_getinfo(t->curl, CURLINFO_PRIMARY_IP, &ip) == CURLE_OK && ip && *ip;
}

static int curl_failure(ews_transport *t, CURLcode cc, const exchange *ex, const char *secret,
                        ews_err *err)
{
    const char *why = t->errbuf[0] ? t->errbuf : curl_easy_strerror(cc);
    const char *h = t->host;
    long p = t->port;
    if (ex->bad_token)
        return ews_http_fail(t, err, EWS_EAUTH, secret, "authentication with %s:%ld failed: %s", h, p,
                    ex->token_err.pub.message);
    if (ex->too_many_legs)
        return ews_http_fail(t, err, EWS_EAUTH, secret,
                    "authentication with %s:%ld failed: the server answered %d requests "
                    "with 401 and went on asking", h, p, ex->responses_401);
    /* libcurl 7.88's NTLM fails a challenge whose answer would not fit its
     * 1 KiB buffer (a large target-info block) as out of memory: the
     * server's doing, not ours. */
    if (cc == CURLE_OUT_OF_MEMORY && !ex->nomem && ex->curl_challenges && t->errbuf[0])
        return ews_http_fail(t, err, EWS_EAUTH, secret,
                    "authentication with %s:%ld failed: libcurl cannot answer the server's "
                    "challenge: %s", h, p, why);
    if (ex->too_big || cc == CURLE_FILESIZE_EXCEEDED)
        return ews_http_fail(t, err, EWS_ETOOBIG,
                    secret, "the response from %s:%ld exceeds the limit of %zu bytes", h, p,
                    t->o->max_response_bytes);
    if (ex->stalled)
        return ews_http_fail(t, err, EWS_ETIMEDOUT, secret,
                    "request to %s:%ld timed out: no data for %ld ms", h, p,
                    t->o->stall_timeout_ms);
    /* libcurl before 8.6 fails a response header line over its 100 KB
     * limit as out of memory: a server can send that at will. */
    if (cc == CURLE_OUT_OF_MEMORY && !ex->nomem && !ex->headers_done)
        return ews_http_fail(t, err, EWS_ETRANSPORT, secret,
                    "connection to %s:%ld failed: libcurl gave up on the response headers "
                    "(a header line over its limit, or out of memory)", h, p);
    if (ex->nomem || cc == CURLE_OUT_OF_MEMORY)
        return ews_http_fail(t, err, EWS_ENOMEM, secret, "out of memory receiving from %s:%ld", h, p);
    if (is_tls_error(cc))
        return ews_http_fail(t, err, EWS_ETLS, secret,
                    "TLS handshake or certificate verification with %s:%ld failed: %s", h, p,
                    why);
    switch (cc) {
    case CURLE_COULDNT_CONNECT:
        return ews_http_fail(t, err, EWS_ECONNECT, secret, "cannot connect to %s%s:%ld: %s",
                    (t->o->proxy != NULL) ? "the proxy for " : "", h, p, why);
    case CURLE_COULDNT_RESOLVE_HOST:
        return ews_http_fail(t, err, EWS_ERESOLVE, secret, "cannot resolve %s: %s", h, why);
    case CURLE_COULDNT_RESOLVE_PROXY:
        return ews_http_fail(t, err, EWS_ERESOLVE, secret, "cannot resolve the proxy: %s", why);
    case CURLE_OPERATION_TIMEDOUT:
        return ews_http_fail(t, err, EWS_ETIMEDOUT, secret, "request to %s:%ld timed out: %s", h, p,
                    why);
    case CURLE_AUTH_ERROR:
        return ews_http_fail(t, err, EWS_EAUTH, secret, "authentication with %s:%ld failed: %s", h, p,
                    why);
    case CURLE_UNSUPPORTED_PROTOCOL:
        /* After a connection this is the server's answer (HTTP/0.9, an
         * impossible status code), not our URL, which was checked. */
        if (connected(t))
            return ews_http_fail(t, err, EWS_ETRANSPORT, secret,
                        "the answer from %s:%ld is not HTTP/1.x: %s", h, p, why);
        return ews_http_fail(t, err, EWS_EINVAL, secret, "libcurl refused the URL: %s", why);
    case CURLE_URL_MALFORMAT:
        return ews_http_fail(t, err, EWS_EINVAL, secret, "libcurl refused the URL: %s", why);
    default:
        /* SEND/RECV errors, GOT_NOTHING, PARTIAL_FILE, bad encodings, proxy
         * failures: the connection broke or the peer spoke nonsense. */
        return ews_http_fail(t, err, EWS_ETRANSPORT, secret, "connection to %s:%ld failed: %s", h, p,
                    why);
    }
}

/* One curl_easy_perform of the request to url with an optional
 * Authorization line; the callbacks fill ex. */
int ews_http_perform(ews_transport *t, const char *url, const ews_http_request *req,
                   const char *auth, const char *secret, exchange *ex, const deadline *dl,
                   ews_err *err)
{
    long left = deadline_left(dl);
    if (left < 0)
        return ews_http_fail(t, err, EWS_ETIMEDOUT, secret,
                    "request to %s:%ld timed out between authentication legs or redirects",
                    t->host, t->port);
    struct curl_slist *headers = request_headers(req, auth);
    if (!headers)
        return ews_http_fail(t, err, EWS_ENOMEM, secret, "out of memory building the request");

    CURL *c = t->curl;
    exchange_clear_response(ex);
    ews_buf_clear(&ex->trace_headers);
    ex->too_big = ex->nomem = ex->stalled = ex->headers_done = 0;
    ex->bearer = req->bearer_token;
    ex->responses_401 = ex->too_many_legs = ex->bad_token = ex->curl_challenges = 0;
    ews_err_reset(&ex->token_err);
    ex->last_down = ex->last_up = 0;
    clock_gettime(CLOCK_MONOTONIC, &ex->last_progress);
    t->errbuf[0] = '\0';
    if (t->bind) {
        /* Until on_prereq has seen this request's connection. */
        t->conn_cb.len = 0;
        t->conn_cb_why = "the request did not reach a TLS connection";
        t->conn_cb_rc = EWS_ETLS;
    }
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
    if (req->get) {
        curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
    } else {
        /* The whole body, not a read callback: auth legs resend it. */
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, req->body ? req->body : "");
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)req->body_len);
    }
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, left);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, ex);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, ex);
    curl_easy_setopt(c, CURLOPT_DEBUGDATA, ex);
    curl_easy_setopt(c, CURLOPT_XFERINFODATA, ex);

    CURLcode cc = curl_easy_perform(c);

    /* The handle outlives this call: it keeps no pointer to the caller's
     * body or to the freed header list. */
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, (struct curl_slist *)NULL);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, (char *)NULL);
    free_headers(headers);
    if (cc != CURLE_OK)
        return curl_failure(t, cc, ex, secret, err);
    if (ex->nomem)
        return ews_http_fail(t, err, EWS_ENOMEM, secret, "out of memory receiving from %s:%ld", t->host,
                    t->port);
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &ex->status);
    curl_easy_getinfo(c, CURLINFO_NUM_CONNECTS, &ex->new_connections);
    if (t->o->trace && ex->body.len)
        emit(t, ex->bearer, EWS_TRACE_RESPONSE_BODY, ex->body.data, ex->body.len);
    return 0;
}

/* ---- the curl handle ------------------------------------------------------ */

/* A libcurl list from a caller's NULL-terminated one, each entry checked. */
static int override_list(struct curl_slist **out, const char *const *entries, int connect_to,
                         ews_err *err)
{
    for (size_t i = 0; entries[i]; i++) {
        const char *why;
        if (ews_transport_check_override(entries[i], connect_to, &why))
            return ews_err_set(err, EWS_EINVAL, "%s entry %zu: %s",
                               connect_to ? "connect_to" : "resolve", i + 1, why);
        struct curl_slist *n = curl_slist_append(*out, entries[i]);
        if (!n)
            return ews_err_set(err, EWS_ENOMEM, "out of memory");
        *out = n;
    }
    return 0;
}

/* localhost, 127.0.0.0/8, ::1 (host as in the URL: "[::1]"). */
static int is_loopback(const char *host)
{
    if (strcasecmp(host, "localhost") == 0 || strcasecmp(host, "localhost.") == 0 ||
        strcmp(host, "[::1]") == 0 || strcmp(host, "::1") == 0)
        return 1;
    unsigned a, b, c, d;
    char tail;
    return sscanf(host, "%u.%u.%u.%u%c", &a, &b, &c, &d, &tail) == 4 && a == 127 && b < 256 &&
           c < 256 && d < 256;
}

int ews_http_setup_curl(ews_transport *t, const ews_client_options *o, ews_err *err)
{
    CURL *c = curl_easy_init();
    if (!c)
        return ews_err_set(err, EWS_ENOMEM, "cannot create a libcurl handle");
    t->curl = c;
    CURLcode cc = CURLE_OK;
    const char *opt = NULL;
#define SET(option, value)                                                          \
    do {                                                                            \
        if (cc == CURLE_OK && (cc = curl_easy_setopt(c, option, value)) != CURLE_OK) \
            opt = #option;                                                          \
    } while (0)
    /* Never a signal handler, so no process-wide disposition changes; with
     * OpenSSL libcurl writes with MSG_NOSIGNAL, so a peer closing mid-request
     * gives an error, not SIGPIPE. */
    SET(CURLOPT_NOSIGNAL, 1L);
    SET(CURLOPT_ERRORBUFFER, t->errbuf);
    /* Connection-bound authentication (NTLM, Negotiate on IIS) needs
     * HTTP/1.1: one connection, one authenticated context. */
    SET(CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1);
#if LIBCURL_VERSION_NUM >= 0x075500
    SET(CURLOPT_PROTOCOLS_STR, t->https ? "https" : "http,https");
    SET(CURLOPT_REDIR_PROTOCOLS_STR, "https");
#else
    SET(CURLOPT_PROTOCOLS, t->https ? CURLPROTO_HTTPS : (CURLPROTO_HTTP | CURLPROTO_HTTPS));
    SET(CURLOPT_REDIR_PROTOCOLS, (long)CURLPROTO_HTTPS);
#endif
    /* Redirects are ours to judge (see redirect_target). */
    SET(CURLOPT_FOLLOWLOCATION, 0L);
    SET(CURLOPT_POST, 1L);
    SET(CURLOPT_SSL_VERIFYPEER, 1L);
    SET(CURLOPT_SSL_VERIFYHOST, 2L);
    SET(CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_TLSv1_2);
    if (o->cafile)
        SET(CURLOPT_CAINFO, o->cafile);
    if (o->capath)
        SET(CURLOPT_CAPATH, o->capath);
    if (is_loopback(t->host)) {
        /* A proxy cannot reach our loopback (and a proxy variable meant
         * for the Internet must not break a local server or --demo): ""
         * turns off the configured proxy and libcurl's proxy variables. */
        SET(CURLOPT_PROXY, "");
    } else if (o->proxy) {
        SET(CURLOPT_PROXY, o->proxy);
        SET(CURLOPT_PROXY_SSL_VERIFYPEER, 1L);
        SET(CURLOPT_PROXY_SSL_VERIFYHOST, 2L);
        if (o->proxy_username) {
            SET(CURLOPT_PROXYUSERNAME, o->proxy_username);
            SET(CURLOPT_PROXYPASSWORD, o->proxy_password ? o->proxy_password : "");
            SET(CURLOPT_PROXYAUTH, (unsigned long)CURLAUTH_ANY);
        }
        SET(CURLOPT_SUPPRESS_CONNECT_HEADERS, 1L);
    }
    if (o->noproxy)
        SET(CURLOPT_NOPROXY, o->noproxy);
    SET(CURLOPT_USERAGENT, t->user_agent);
    SET(CURLOPT_ACCEPT_ENCODING, ""); /* every encoding libcurl can decode */
    SET(CURLOPT_COOKIEFILE, "");      /* in-memory cookies for this transport only */
    SET(CURLOPT_TCP_KEEPALIVE, 1L);
    /* 0 leaves libcurl's built-in connect limit (300 s, longer than the
     * kernel's own SYN retries): effectively none. */
    if (o->connect_timeout_ms > 0)
        SET(CURLOPT_CONNECTTIMEOUT_MS, o->connect_timeout_ms);
    if (o->stall_timeout_ms > 0) {
        /* "No progress": under 1 byte/s for the whole period (a backstop
         * for on_progress, which is more punctual). */
        SET(CURLOPT_LOW_SPEED_LIMIT, 1L);
        /* libcurl multiplies this by 1000 unchecked: past INT_MAX s (68
         * years) its timer wraps and fires at once. */
        long stall_s = ews_ms_to_s_ceil(o->stall_timeout_ms);
        SET(CURLOPT_LOW_SPEED_TIME, stall_s > INT_MAX ? (long)INT_MAX : stall_s);
        SET(CURLOPT_XFERINFOFUNCTION, on_progress);
        SET(CURLOPT_NOPROGRESS, 0L);
    }
    SET(CURLOPT_HEADERFUNCTION, on_header);
    SET(CURLOPT_WRITEFUNCTION, on_body);
#if LIBCURL_VERSION_NUM >= 0x075000
    if (t->bind) {
        SET(CURLOPT_PREREQFUNCTION, on_prereq);
        SET(CURLOPT_PREREQDATA, t);
    }
#endif
    if (o->trace) {
        SET(CURLOPT_DEBUGFUNCTION, on_debug);
        SET(CURLOPT_VERBOSE, 1L);
    }
    if (cc == CURLE_OK && o->resolve) {
        int rc = override_list(&t->resolve, o->resolve, 0, err);
        if (rc)
            return rc;
        SET(CURLOPT_RESOLVE, t->resolve);
    }
    if (cc == CURLE_OK && o->connect_to) {
        int rc = override_list(&t->connect_to, o->connect_to, 1, err);
        if (rc)
            return rc;
        SET(CURLOPT_CONNECT_TO, t->connect_to);
    }
#undef SET
    if (cc == CURLE_OUT_OF_MEMORY)
        return ews_err_set(err, EWS_ENOMEM, "out of memory");
    if (cc != CURLE_OK)
        return ews_err_set(err, EWS_ENOTSUP, "libcurl refused %s: %s", opt,
                           curl_easy_strerror(cc));
    return 0;
}
