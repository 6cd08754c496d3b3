/* HTTP over libcurl: configuration, one POST with its authentication legs
 * and redirects, response capture, error mapping.
 *
 * gSOAP's own HTTP stack is never used (it cuts long bearer tokens, dies of
 * SIGPIPE, has no timeouts and no NTLMv2); everything that touches the
 * network is here. Secrets (password, proxy password, bearer token,
 * NTLM/SPNEGO tokens) never reach a trace or an error message: traces pass
 * through ews_redact_headers() and messages are scrubbed once more.
 */
#include "http/transport.h"

#include <curl/curl.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "http/auth_token.h"
#include "core/retry.h"
#include "core/secrets.h"
#include "http/challenge.h"
#include "http/gss.h"
#include "http/channel_binding.h"
#include "http/redact.h"
#include "ews/version.h"

/* A loop of same-host redirects ends here; the 3xx is returned as is. */
#define MAX_REDIRECTS 5
/* NTLM takes two legs, SPNEGO two or three; more means a confused server. */
#define MAX_AUTH_LEGS 4
/* libcurl 7.88 builds its AUTHENTICATE message in 1024 bytes: 88 of header
 * and LM response, 48 + the target info of NTLMv2 response (vauth/ntlm.c). */
#define CURL_NTLM_MAX_TARGET_INFO 888

typedef enum auth_engine {
    ENGINE_NONE,   /* send no credentials */
    ENGINE_CURL,   /* libcurl: Basic, NTLM, Negotiate with default credentials */
    ENGINE_BEARER, /* our own Authorization: Bearer header */
    ENGINE_GSS     /* our own NTLM / SPNEGO legs through GSSAPI */
} auth_engine;

/* How requests authenticate: fixed at creation, or (EWS_AUTH_AUTO) chosen
 * from the first 401's offers. */
typedef struct auth_plan {
    auth_engine engine;
    unsigned long curlauth; /* ENGINE_CURL */
    ews_gss_mech mech;      /* ENGINE_GSS */
    const char *label;      /* for traces and messages */
} auth_plan;

struct ews_transport {
    const ews_client_options *o; /* borrowed: the caller keeps it alive and unchanged */
    const char *user_agent;   /* o's, or default_agent */
    char default_agent[32];
    CURL *curl;
    char *url;
    char *host;               /* as in the URL ("[::1]" for IPv6) */
    long port;
    int https;

    auth_plan plan;
    int plan_known;           /* AUTO: 0 until a 401 said what the server offers */
    int gss_conn_authed;      /* ENGINE_GSS: this connection passed the handshake */
    ews_gss_cred *gss_cred[2];/* ENGINE_GSS, by ews_gss_mech; acquired at first use */
    int bind;                 /* https and channel binding not OFF: GSSAPI legs carry
                                 bindings */
    ews_tls_cb conn_cb;       /* binding of the connection of the last request; len 0:
                                 none (why in conn_cb_why, code in conn_cb_rc) */
    const char *conn_cb_why;
    int conn_cb_rc;
    ews_secrets secrets;      /* what a trace must not show (secrets.h) */
    int curl_answers_tokens;  /* libcurl's own NTLM / Negotiate answers this perform's
                                 challenges: on_header checks them first */
    struct curl_slist *resolve;    /* CURLOPT_RESOLVE, kept for the handle's life */
    struct curl_slist *connect_to; /* CURLOPT_CONNECT_TO */
    const char *operation;    /* of the request under way, for events */

    char errbuf[CURL_ERROR_SIZE];
};

/* ---- small helpers ------------------------------------------------------ */

static void free_secret(char *s)
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
static int fail(const ews_transport *t, ews_err *err, int code, const char *extra,
                const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static int fail(const ews_transport *t, ews_err *err, int code, const char *extra,
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

static void trace_info(const ews_transport *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
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

static void trace_info(const ews_transport *t, const char *fmt, ...)
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

static void auth_leg_event(const ews_transport *t, const char *method, int leg)
{
    if (!t->o->event)
        return;
    ews_event ev = { .kind = EWS_EVENT_AUTH_LEG, .operation = t->operation, .method = method,
                     .leg = leg };
    t->o->event(&ev, t->o->event_userdata);
}

static void scrub(ews_buf *b, const char *secret);

/* location is server text, which may quote what the request carried. */
static void redirect_refused_event(const ews_transport *t, const char *location,
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

/* A header value that would let a caller's string add header lines. */
static int has_control_chars(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            return 1;
    return 0;
}

static const char *method_name(ews_auth_method m)
{
    switch (m) {
    case EWS_AUTH_NONE: return "no";
    case EWS_AUTH_AUTO: return "automatic";
    case EWS_AUTH_BASIC: return "Basic";
    case EWS_AUTH_BEARER: return "bearer";
    case EWS_AUTH_NTLM: return "NTLM";
    case EWS_AUTH_NEGOTIATE: return "Negotiate";
    }
    return "unknown";
}

/* ---- URLs --------------------------------------------------------------- */

typedef struct origin {
    char *scheme;
    char *host;
    long port;
    int has_userinfo;
} origin;

static void origin_free(origin *o)
{
    curl_free(o->scheme);
    curl_free(o->host);
    memset(o, 0, sizeof *o);
}

/* Parses url, relative to base when base is not NULL. *full receives the
 * resolved URL (curl_free) when full is not NULL. */
static int parse_url(const char *base, const char *url, origin *o, char **full)
{
    memset(o, 0, sizeof *o);
    CURLU *u = curl_url();
    if (!u)
        return EWS_ENOMEM;
    int rc = EWS_EINVAL;
    char *port = NULL, *user = NULL, *password = NULL;
    if (base && curl_url_set(u, CURLUPART_URL, base, 0) != CURLUE_OK)
        goto done;
    if (curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME) != CURLUE_OK)
        goto done;
    if (curl_url_get(u, CURLUPART_SCHEME, &o->scheme, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_HOST, &o->host, 0) != CURLUE_OK)
        goto done;
    /* An unknown scheme has no default port: report the scheme, not this. */
    if (curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) == CURLUE_OK)
        o->port = strtol(port, NULL, 10);
    o->has_userinfo = curl_url_get(u, CURLUPART_USER, &user, 0) == CURLUE_OK ||
                      curl_url_get(u, CURLUPART_PASSWORD, &password, 0) == CURLUE_OK;
    if (full && curl_url_get(u, CURLUPART_URL, full, 0) != CURLUE_OK)
        goto done;
    rc = 0;
done:
    curl_free(port);
    if (user)
        ews_secure_zero(user, strlen(user));
    if (password)
        ews_secure_zero(password, strlen(password));
    curl_free(user);
    curl_free(password);
    curl_url_cleanup(u);
    if (rc)
        origin_free(o);
    return rc;
}

/* The URL to follow a redirect to, or NULL with *why set. Only https on the
 * same host (and port, but for the http -> https upgrade) is followed, so
 * credentials and cookies never reach another server. */
static char *redirect_target(const char *base, const char *location, const char **why)
{
    origin from, to;
    char *full = NULL;
    if (parse_url(NULL, base, &from, NULL)) {
        *why = "cannot parse the current URL";
        return NULL;
    }
    if (parse_url(base, location, &to, &full)) {
        origin_free(&from);
        *why = "the Location is not a valid URL";
        return NULL;
    }
    *why = NULL;
    if (strcmp(to.scheme, "https") != 0)
        *why = "it is not https";
    else if (to.has_userinfo)
        *why = "the Location carries credentials";
    else if (strcasecmp(to.host, from.host) != 0)
        *why = "it points to another host";
    else if (to.port != from.port && !(strcmp(from.scheme, "http") == 0 && to.port == 443))
        *why = "it points to another port";
    origin_free(&from);
    origin_free(&to);
    if (*why) {
        curl_free(full);
        return NULL;
    }
    char *copy = strdup(full);
    curl_free(full);
    if (!copy)
        *why = "out of memory";
    return copy;
}

/* ---- one HTTP exchange ---------------------------------------------------- */

/* What the callbacks gather during one curl_easy_perform. */
typedef struct exchange {
    ews_transport *t;
    long status;
    long new_connections;
    ews_buf body;
    ews_buf www_authenticate; /* offers, comma-joined */
    char *content_type;
    char *request_id;
    char *backend_status;
    char *location;
    char *retry_after;
    const char *bearer;       /* the request's token, masked in traces */
    ews_buf trace_headers;    /* response header block being gathered */
    struct timespec last_progress;
    curl_off_t last_down, last_up;
    int too_big;
    int nomem;
    int stalled;
    int headers_done; /* the last header block seen has ended */
    int responses_401;    /* 401s in this perform (libcurl's own NTLM legs) */
    int too_many_legs;    /* aborted: the server kept challenging */
    int bad_token;        /* aborted: a challenge failed auth_token.h's checks */
    int curl_challenges;  /* NTLM / Negotiate tokens libcurl received */
    ews_err token_err;    /* what is wrong with it */
} exchange;

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

static void exchange_init(exchange *ex, ews_transport *t)
{
    memset(ex, 0, sizeof *ex);
    ex->t = t;
    ex->body.limit = t->o->max_response_bytes;
    ews_err_init(&ex->token_err);
}

static void exchange_free(exchange *ex)
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
static void set_curl_auth(ews_transport *t, const auth_plan *plan)
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

typedef struct deadline {
    int set;
    struct timespec at;
} deadline;

static deadline deadline_in(long ms)
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
        return fail(t, err, EWS_EAUTH, secret, "authentication with %s:%ld failed: %s", h, p,
                    ex->token_err.pub.message);
    if (ex->too_many_legs)
        return fail(t, err, EWS_EAUTH, secret,
                    "authentication with %s:%ld failed: the server answered %d requests "
                    "with 401 and went on asking", h, p, ex->responses_401);
    /* libcurl 7.88's NTLM fails a challenge whose answer would not fit its
     * 1 KiB buffer (a large target-info block) as out of memory: the
     * server's doing, not ours. */
    if (cc == CURLE_OUT_OF_MEMORY && !ex->nomem && ex->curl_challenges && t->errbuf[0])
        return fail(t, err, EWS_EAUTH, secret,
                    "authentication with %s:%ld failed: libcurl cannot answer the server's "
                    "challenge: %s", h, p, why);
    if (ex->too_big || cc == CURLE_FILESIZE_EXCEEDED)
        return fail(t, err, EWS_ETOOBIG,
                    secret, "the response from %s:%ld exceeds the limit of %zu bytes", h, p,
                    t->o->max_response_bytes);
    if (ex->stalled)
        return fail(t, err, EWS_ETIMEDOUT, secret,
                    "request to %s:%ld timed out: no data for %ld ms", h, p,
                    t->o->stall_timeout_ms);
    /* libcurl before 8.6 fails a response header line over its 100 KB
     * limit as out of memory: a server can send that at will. */
    if (cc == CURLE_OUT_OF_MEMORY && !ex->nomem && !ex->headers_done)
        return fail(t, err, EWS_ETRANSPORT, secret,
                    "connection to %s:%ld failed: libcurl gave up on the response headers "
                    "(a header line over its limit, or out of memory)", h, p);
    if (ex->nomem || cc == CURLE_OUT_OF_MEMORY)
        return fail(t, err, EWS_ENOMEM, secret, "out of memory receiving from %s:%ld", h, p);
    if (is_tls_error(cc))
        return fail(t, err, EWS_ETLS, secret,
                    "TLS handshake or certificate verification with %s:%ld failed: %s", h, p,
                    why);
    switch (cc) {
    case CURLE_COULDNT_CONNECT:
        return fail(t, err, EWS_ECONNECT, secret, "cannot connect to %s%s:%ld: %s",
                    (t->o->proxy != NULL) ? "the proxy for " : "", h, p, why);
    case CURLE_COULDNT_RESOLVE_HOST:
        return fail(t, err, EWS_ERESOLVE, secret, "cannot resolve %s: %s", h, why);
    case CURLE_COULDNT_RESOLVE_PROXY:
        return fail(t, err, EWS_ERESOLVE, secret, "cannot resolve the proxy: %s", why);
    case CURLE_OPERATION_TIMEDOUT:
        return fail(t, err, EWS_ETIMEDOUT, secret, "request to %s:%ld timed out: %s", h, p,
                    why);
    case CURLE_AUTH_ERROR:
        return fail(t, err, EWS_EAUTH, secret, "authentication with %s:%ld failed: %s", h, p,
                    why);
    case CURLE_UNSUPPORTED_PROTOCOL:
        /* After a connection this is the server's answer (HTTP/0.9, an
         * impossible status code), not our URL, which was checked. */
        if (connected(t))
            return fail(t, err, EWS_ETRANSPORT, secret,
                        "the answer from %s:%ld is not HTTP/1.x: %s", h, p, why);
        return fail(t, err, EWS_EINVAL, secret, "libcurl refused the URL: %s", why);
    case CURLE_URL_MALFORMAT:
        return fail(t, err, EWS_EINVAL, secret, "libcurl refused the URL: %s", why);
    default:
        /* SEND/RECV errors, GOT_NOTHING, PARTIAL_FILE, bad encodings, proxy
         * failures: the connection broke or the peer spoke nonsense. */
        return fail(t, err, EWS_ETRANSPORT, secret, "connection to %s:%ld failed: %s", h, p,
                    why);
    }
}

/* One curl_easy_perform of the request to url with an optional
 * Authorization line; the callbacks fill ex. */
static int perform(ews_transport *t, const char *url, const ews_http_request *req,
                   const char *auth, const char *secret, exchange *ex, const deadline *dl,
                   ews_err *err)
{
    long left = deadline_left(dl);
    if (left < 0)
        return fail(t, err, EWS_ETIMEDOUT, secret,
                    "request to %s:%ld timed out between authentication legs or redirects",
                    t->host, t->port);
    struct curl_slist *headers = request_headers(req, auth);
    if (!headers)
        return fail(t, err, EWS_ENOMEM, secret, "out of memory building the request");

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
        return fail(t, err, EWS_ENOMEM, secret, "out of memory receiving from %s:%ld", t->host,
                    t->port);
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &ex->status);
    curl_easy_getinfo(c, CURLINFO_NUM_CONNECTS, &ex->new_connections);
    if (t->o->trace && ex->body.len)
        emit(t, ex->bearer, EWS_TRACE_RESPONSE_BODY, ex->body.data, ex->body.len);
    return 0;
}

/* ---- authentication ------------------------------------------------------- */

static int curl_has(int feature)
{
    const curl_version_info_data *v = curl_version_info(CURLVERSION_NOW);
    return v && (v->features & feature);
}

static void plan_set(auth_plan *p, auth_engine e, unsigned long curlauth, ews_gss_mech mech,
                     const char *label)
{
    p->engine = e;
    p->curlauth = curlauth;
    p->mech = mech;
    p->label = label;
}

/* Channel binding is required over this connection (https). */
static int cb_required(const ews_transport *t)
{
    return t->bind && t->o->channel_binding == EWS_CHANNEL_BINDING_REQUIRE;
}

static int plan_ntlm(const ews_transport *t, auth_plan *p, ews_err *err)
{
    const char *why = NULL;
    int have_pw = t->o->username && t->o->password;
    int curl_ok = curl_has(CURL_VERSION_NTLM);
    switch (t->o->gss_provider) {
    case EWS_GSS_CURL:
        if (cb_required(t))
            return ews_err_set(err, EWS_ENOTSUP,
                               "channel binding is required, but libcurl's NTLM cannot send "
                               "it; use the GSSAPI provider (gss-ntlmssp)");
        if (!curl_ok)
            return ews_err_set(err, EWS_ENOTSUP,
                               "this libcurl has no NTLM; use the GSSAPI provider "
                               "(install gss-ntlmssp)");
        if (!have_pw)
            return ews_err_set(err, EWS_ECONFIG, "NTLM needs a username and a password");
        plan_set(p, ENGINE_CURL, CURLAUTH_NTLM, EWS_GSS_MECH_NTLM, "NTLM (libcurl)");
        return 0;
    case EWS_GSS_GSSAPI:
        if (!ews_gss_available(EWS_GSS_MECH_NTLM, &why))
            return ews_err_set(err, EWS_ENOTSUP, "NTLM through GSSAPI: %s", why);
        plan_set(p, ENGINE_GSS, 0, EWS_GSS_MECH_NTLM, "NTLM (GSSAPI)");
        return 0;
    case EWS_GSS_AUTO:
        break;
    }
    int gss_ok = ews_gss_available(EWS_GSS_MECH_NTLM, &why);
    /* Only our GSSAPI legs can bind: over https they go first, so servers
     * with Extended Protection accept NTLM. */
    if (gss_ok && t->bind) {
        plan_set(p, ENGINE_GSS, 0, EWS_GSS_MECH_NTLM, "NTLM (GSSAPI)");
        return 0;
    }
    if (cb_required(t))
        return ews_err_set(err, EWS_ENOTSUP,
                           "channel binding is required, but libcurl's NTLM cannot send it "
                           "and %s", why);
    if (curl_ok && have_pw) {
        plan_set(p, ENGINE_CURL, CURLAUTH_NTLM, EWS_GSS_MECH_NTLM, "NTLM (libcurl)");
        return 0;
    }
    if (gss_ok) {
        plan_set(p, ENGINE_GSS, 0, EWS_GSS_MECH_NTLM, "NTLM (GSSAPI)");
        return 0;
    }
    if (curl_ok)
        return ews_err_set(err, EWS_ECONFIG, "NTLM needs a username and a password");
    return ews_err_set(err, EWS_ENOTSUP,
                       "NTLM is not available: this libcurl has no NTLM and %s", why);
}

static int plan_negotiate(const ews_transport *t, auth_plan *p, ews_err *err)
{
    const char *why = NULL;
    int curl_ok = curl_has(CURL_VERSION_SPNEGO);
    switch (t->o->gss_provider) {
    case EWS_GSS_CURL:
        /* libcurl would silently ignore it and use the ticket cache. */
        if (t->o->password)
            return ews_err_set(err, EWS_ECONFIG,
                               "libcurl's Negotiate uses the default credentials (Kerberos "
                               "ticket cache) and cannot use a password; use the GSSAPI "
                               "provider");
        if (cb_required(t))
            return ews_err_set(err, EWS_ENOTSUP,
                               "channel binding is required, but libcurl's Negotiate cannot "
                               "send it; use the GSSAPI provider");
        if (!curl_ok)
            return ews_err_set(err, EWS_ENOTSUP, "this libcurl has no Negotiate (SPNEGO)");
        plan_set(p, ENGINE_CURL, CURLAUTH_NEGOTIATE, EWS_GSS_MECH_SPNEGO,
                 "Negotiate (libcurl)");
        return 0;
    case EWS_GSS_GSSAPI:
        if (!ews_gss_available(EWS_GSS_MECH_SPNEGO, &why))
            return ews_err_set(err, EWS_ENOTSUP, "Negotiate through GSSAPI: %s", why);
        plan_set(p, ENGINE_GSS, 0, EWS_GSS_MECH_SPNEGO, "Negotiate (GSSAPI)");
        return 0;
    case EWS_GSS_AUTO:
        break;
    }
    /* Ours also with the default credentials when binding: libcurl's
     * SPNEGO cannot bind. */
    if (ews_gss_available(EWS_GSS_MECH_SPNEGO, &why) && (t->o->password || !curl_ok || t->bind)) {
        plan_set(p, ENGINE_GSS, 0, EWS_GSS_MECH_SPNEGO, "Negotiate (GSSAPI)");
        return 0;
    }
    if (cb_required(t))
        return ews_err_set(err, EWS_ENOTSUP,
                           "channel binding is required, but libcurl's Negotiate cannot send "
                           "it and %s", why);
    if (t->o->password)
        return ews_err_set(err, EWS_ENOTSUP, "Negotiate with a password needs GSSAPI: %s", why);
    if (!curl_ok)
        return ews_err_set(err, EWS_ENOTSUP, "Negotiate is not available: %s", why);
    plan_set(p, ENGINE_CURL, CURLAUTH_NEGOTIATE, EWS_GSS_MECH_SPNEGO, "Negotiate (libcurl)");
    return 0;
}

static int plan_for(const ews_transport *t, ews_auth_method m, auth_plan *p, ews_err *err)
{
    switch (m) {
    case EWS_AUTH_NONE:
    case EWS_AUTH_AUTO:
        plan_set(p, ENGINE_NONE, 0, EWS_GSS_MECH_NTLM, "none");
        return 0;
    case EWS_AUTH_BASIC:
        if (!t->o->username || !t->o->password)
            return ews_err_set(err, EWS_ECONFIG, "Basic needs a username and a password");
        plan_set(p, ENGINE_CURL, CURLAUTH_BASIC, EWS_GSS_MECH_NTLM, "Basic");
        return 0;
    case EWS_AUTH_BEARER:
        plan_set(p, ENGINE_BEARER, 0, EWS_GSS_MECH_NTLM, "Bearer");
        return 0;
    case EWS_AUTH_NTLM:
        return plan_ntlm(t, p, err);
    case EWS_AUTH_NEGOTIATE:
        return plan_negotiate(t, p, err);
    }
    return ews_err_set(err, EWS_EINVAL, "unknown authentication method %d", (int)m);
}

/* Feeds the server's token of a 401 to the context. A token the mechanism
 * refuses (SPNEGO's reject, a wrong target) makes that 401 the answer, as
 * for any rejected credentials: *rejected is set and 0 returned. A token
 * that is malformed fails the call with EWS_EAUTH saying what is wrong. */
static int answer_challenge(const ews_transport *t, const auth_plan *plan, ews_gss_ctx *g,
                            const ews_auth_challenge *c, char **token, int *complete,
                            int *rejected, ews_err *err)
{
    ews_err why;
    ews_err_init(&why);
    int rc = ews_gss_ctx_step(g, c->token, c->token_len, token, complete, &why);
    if (rc && ews_gss_ctx_malformed(g)) {
        fail(t, err, rc, NULL, "%s from %s:%ld: %s", plan->label, t->host, t->port,
             why.pub.message);
        ews_err_free(&why);
        *rejected = 0;
        return rc;
    }
    *rejected = rc == EWS_EAUTH;
    if (*rejected)
        trace_info(t, "ews: %s: %s", plan->label, why.pub.message);
    else if (rc)
        ews_err_set(err, rc, "%s", why.pub.message);
    ews_err_free(&why);
    return *rejected ? 0 : rc;
}

/* The server's last token on the final response (mutual authentication).
 * The response has arrived and TLS already authenticated the server, so a
 * failure is traced, not fatal. */
static void verify_server(const ews_transport *t, const auth_plan *plan, ews_gss_ctx *g,
                          const ews_auth_challenge *c)
{
    char *unused = NULL;
    int complete;
    ews_err why;
    ews_err_init(&why);
    if (ews_gss_ctx_step(g, c->token, c->token_len, &unused, &complete, &why))
        trace_info(t, "ews: %s: %s", plan->label, why.pub.message);
    free_secret(unused);
    ews_err_free(&why);
}

/* Gives g the channel binding of the connection the last request went out
 * on (which delivered the challenge being answered, and which the next leg
 * reuses); *used receives it (len 0: unbound). needed: this leg's token
 * carries a binding (NTLM binds in its AUTHENTICATE message, Kerberos in
 * SPNEGO's first token). Without one REQUIRE fails the call rather than send
 * unbound credentials; AUTO says so in the trace and goes on. */
static int bind_leg(ews_transport *t, const auth_plan *plan, ews_gss_ctx *g, int needed,
                    ews_tls_cb *used, ews_err *err)
{
    used->len = 0;
    if (!t->bind || !needed)
        return 0;
    if (t->conn_cb.len) {
        *used = t->conn_cb;
        trace_info(t, "ews: %s: channel binding tls-server-end-point (%s)", plan->label,
                   used->hash);
        return ews_gss_ctx_set_binding(g, used->data, used->len, err);
    }
    int rc = ews_gss_ctx_set_binding(g, NULL, 0, err);
    if (rc)
        return rc;
    const char *why = t->conn_cb_why ? t->conn_cb_why : "no TLS connection yet";
    if (t->o->channel_binding == EWS_CHANNEL_BINDING_REQUIRE)
        return fail(t, err, t->conn_cb_rc ? t->conn_cb_rc : EWS_ETLS, NULL,
                    "%s: channel binding is required but unavailable: %s", plan->label, why);
    trace_info(t, "ews: %s: sending without channel binding: %s", plan->label, why);
    return 0;
}

/* The token just sent was bound to another certificate than that of the
 * connection it went out on (a reconnect reached a server with another
 * certificate): the server's 401 may be about that. */
static int binding_changed(const ews_transport *t, const ews_tls_cb *used)
{
    return used->len &&
           (t->conn_cb.len != used->len || memcmp(t->conn_cb.data, used->data, used->len) != 0);
}

/* One NTLM / SPNEGO handshake: a token in "Authorization: <scheme>" on each
 * request, the whole body each time, the server's answer in the 401's
 * WWW-Authenticate, all on one kept-alive connection. *replaced is set when
 * libcurl had to open a new connection mid-way, which loses the server's
 * half of the handshake. */
static int gss_legs(ews_transport *t, const auth_plan *plan, const char *url,
                    const ews_http_request *req, exchange *ex, const deadline *dl, int *sent,
                    int *replaced, ews_err *err)
{
    const char *scheme = ews_gss_mech_scheme(plan->mech);
    ews_gss_cred **cred = &t->gss_cred[plan->mech];
    int rc = *cred ? 0 : ews_gss_cred_acquire(cred, plan->mech, t->o->username, t->o->password, err);
    ews_gss_ctx *g = NULL;
    if (!rc)
        rc = ews_gss_ctx_new(&g, *cred, t->host, err);
    if (rc)
        return rc;
    *replaced = 0;
    char *token = NULL;
    int complete = 0;
    ews_tls_cb used;
    rc = bind_leg(t, plan, g, plan->mech == EWS_GSS_MECH_SPNEGO, &used, err);
    if (rc) {
        ews_gss_ctx_free(g);
        return rc;
    }
    rc = ews_gss_ctx_step(g, NULL, 0, &token, &complete, err);
    if (rc) {
        /* Expired or unusable credentials: acquire them afresh next time. */
        ews_gss_cred_free(*cred);
        *cred = NULL;
    }
    ews_buf header = EWS_BUF_INIT;
    for (int leg = 0; !rc && token && leg < MAX_AUTH_LEGS; leg++) {
        ews_buf_wipe(&header);
        rc = ews_buf_printf(&header, "Authorization: %s %s", scheme, token);
        free_secret(token);
        token = NULL;
        if (rc) {
            rc = fail(t, err, EWS_ENOMEM, NULL, "out of memory");
            break;
        }
        auth_leg_event(t, plan->label, leg + 1);
        rc = perform(t, url, req, header.data, NULL, ex, dl, err);
        *sent = 1;
        if (rc)
            break;
        if (leg > 0 && ex->new_connections > 0 && ex->status == 401) {
            *replaced = 1;
            break;
        }
        if (ex->status == 401 && binding_changed(t, &used)) {
            trace_info(t, "ews: %s: the connection has another certificate than the binding",
                       plan->label);
            *replaced = 1;
            break;
        }
        ews_auth_challenge ch[EWS_AUTH_MAX_CHALLENGES];
        size_t nch = ews_auth_parse_challenges(ex->www_authenticate.data, ch,
                                               EWS_AUTH_MAX_CHALLENGES);
        const ews_auth_challenge *c = ews_auth_find_challenge(ch, nch, scheme);
        if (ex->status != 401) {
            t->gss_conn_authed = 1;
            if (c && c->token && !complete)
                verify_server(t, plan, g, c);
            break;
        }
        if (!c || !c->token)
            break; /* a 401 without a continuation: credentials rejected */
        rc = bind_leg(t, plan, g, 1, &used, err);
        if (rc)
            break;
        int rejected;
        rc = answer_challenge(t, plan, g, c, &token, &complete, &rejected, err);
        if (rejected)
            break;
    }
    /* Out of legs or of things to say while the server wants more: the last
     * 401 stands as the answer. */
    free_secret(token);
    ews_buf_wipe(&header);
    ews_gss_ctx_free(g);
    return rc;
}

/* Our own NTLM / SPNEGO through GSSAPI. *sent says whether any request
 * went out (AUTO tries the next offer when GSSAPI fails before that). */
static int gss_handshake(ews_transport *t, const auth_plan *plan, const char *url,
                         const ews_http_request *req, exchange *ex, const deadline *dl,
                         int *sent, ews_err *err)
{
    *sent = 0;
    set_curl_auth(t, NULL);
    if (t->gss_conn_authed) {
        /* NTLM and (on IIS) Kerberos authenticate the connection, not each
         * request: try without a token, authenticate again on a 401. */
        int rc = perform(t, url, req, NULL, NULL, ex, dl, err);
        *sent = 1;
        if (rc || ex->status != 401)
            return rc;
        t->gss_conn_authed = 0;
        ews_auth_challenge ch[EWS_AUTH_MAX_CHALLENGES];
        size_t nch = ews_auth_parse_challenges(ex->www_authenticate.data, ch,
                                               EWS_AUTH_MAX_CHALLENGES);
        if (!ews_auth_find_challenge(ch, nch, ews_gss_mech_scheme(plan->mech)))
            return 0;
        trace_info(t, "ews: connection no longer authenticated; %s again", plan->label);
    } else if (t->bind && plan->mech == EWS_GSS_MECH_SPNEGO && !t->conn_cb.len) {
        /* Kerberos binds its first token, which must wait for a
         * connection to bind to: the request goes out once without
         * credentials (the server may even accept it). */
        int rc = perform(t, url, req, NULL, NULL, ex, dl, err);
        *sent = 1;
        if (rc || ex->status != 401)
            return rc;
    }
    int replaced;
    int rc = gss_legs(t, plan, url, req, ex, dl, sent, &replaced, err);
    if (!rc && replaced) {
        /* Once: a server that closes every connection after a 401 cannot
         * do connection-bound authentication at all. */
        trace_info(t, "ews: connection replaced during %s; starting over", plan->label);
        rc = gss_legs(t, plan, url, req, ex, dl, sent, &replaced, err);
    }
    return rc;
}

static int run_plan(ews_transport *t, const auth_plan *plan, const char *url,
                    const ews_http_request *req, exchange *ex, const deadline *dl, int *sent,
                    ews_err *err)
{
    *sent = 1;
    switch (plan->engine) {
    case ENGINE_NONE:
    case ENGINE_CURL:
        set_curl_auth(t, plan);
        /* libcurl runs NTLM's and Negotiate's legs inside one perform */
        if (plan->engine == ENGINE_CURL)
            auth_leg_event(t, plan->label, plan->curlauth == CURLAUTH_BASIC ? 1 : 0);
        return perform(t, url, req, NULL, NULL, ex, dl, err);
    case ENGINE_BEARER: {
        ews_buf line = EWS_BUF_INIT;
        set_curl_auth(t, NULL);
        auth_leg_event(t, plan->label, 1);
        if (ews_buf_printf(&line, "Authorization: Bearer %s", req->bearer_token))
            return fail(t, err, EWS_ENOMEM, NULL, "out of memory");
        int rc = perform(t, url, req, line.data, req->bearer_token, ex, dl, err);
        ews_buf_wipe(&line);
        return rc;
    }
    case ENGINE_GSS:
        return gss_handshake(t, plan, url, req, ex, dl, sent, err);
    }
    return fail(t, err, EWS_EINTERNAL, NULL, "unknown authentication engine");
}

/* EWS_AUTH_AUTO: ask without credentials, then use the best offer of the
 * 401 we can serve: Negotiate, NTLM, Basic. The choice is kept for the
 * following requests. */
static int auto_authenticate(ews_transport *t, const char *url, const ews_http_request *req,
                             exchange *ex, const deadline *dl, ews_err *err)
{
    int sent;
    int rc = run_plan(t, &t->plan, url, req, ex, dl, &sent, err);
    if (rc || ex->status != 401)
        return rc;

    static const struct {
        const char *scheme;
        ews_auth_method method;
    } order[] = { { "Negotiate", EWS_AUTH_NEGOTIATE },
                  { "NTLM", EWS_AUTH_NTLM },
                  { "Basic", EWS_AUTH_BASIC } };
    ews_auth_challenge ch[EWS_AUTH_MAX_CHALLENGES];
    char *offers = strdup(ex->www_authenticate.data ? ex->www_authenticate.data : "");
    if (!offers)
        return fail(t, err, EWS_ENOMEM, NULL, "out of memory");
    size_t nch = ews_auth_parse_challenges(offers, ch, EWS_AUTH_MAX_CHALLENGES);
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        if (!ews_auth_find_challenge(ch, nch, order[i].scheme))
            continue;
        auth_plan p;
        ews_err why;
        ews_err_init(&why);
        if (plan_for(t, order[i].method, &p, &why)) {
            trace_info(t, "ews: server offers %s; cannot use it: %s", order[i].scheme,
                       why.pub.message);
            ews_err_free(&why);
            continue;
        }
        trace_info(t, "ews: server offers %s; authenticating with %s", offers, p.label);
        ews_err_reset(&why);
        rc = run_plan(t, &p, url, req, ex, dl, &sent, &why);
        if (rc && !sent) {
            /* GSSAPI could not even start (no credentials for this
             * mechanism): the next offer may still work. */
            trace_info(t, "ews: %s unusable: %s", p.label, why.pub.message);
            ews_err_free(&why);
            continue;
        }
        if (rc)
            ews_err_set(err, rc, "%s", why.pub.message);
        else {
            t->plan = p;
            t->plan_known = 1;
        }
        ews_err_free(&why);
        free(offers);
        return rc;
    }
    free(offers);
    return 0; /* nothing we can answer: the 401 is the result */
}

static int authenticated_exchange(ews_transport *t, const char *url,
                                  const ews_http_request *req, exchange *ex, const deadline *dl,
                                  ews_err *err)
{
    if (t->o->auth == EWS_AUTH_AUTO && !t->plan_known)
        return auto_authenticate(t, url, req, ex, dl, err);
    int sent;
    return run_plan(t, &t->plan, url, req, ex, dl, &sent, err);
}

/* ---- public entry points -------------------------------------------------- */

static int check_request(const ews_transport *t, const ews_http_request *req, ews_err *err)
{
    if (!req->body && req->body_len)
        return fail(t, err, EWS_EINVAL, NULL, "request body is NULL");
    const struct {
        const char *name;
        const char *value;
    } fields[] = { { "SOAPAction", req->soap_action },
                   { "X-AnchorMailbox", req->anchor_mailbox },
                   { "client-request-id", req->client_request_id } };
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        if (fields[i].value && has_control_chars(fields[i].value))
            return fail(t, err, EWS_EINVAL, NULL, "%s value contains control characters",
                        fields[i].name);
    if (t->o->auth == EWS_AUTH_BEARER) {
        if (!req->bearer_token || !req->bearer_token[0])
            return fail(t, err, EWS_EINVAL, NULL, "bearer authentication needs a token");
        if (has_control_chars(req->bearer_token) || strchr(req->bearer_token, ' '))
            return fail(t, err, EWS_EINVAL, req->bearer_token,
                        "the bearer token contains spaces or control characters");
    }
    return 0;
}

static long parse_retry_after(const char *v)
{
    if (!v || !*v)
        return -1;
    if (*v >= '0' && *v <= '9') {
        char *end;
        errno = 0;
        unsigned long long s = strtoull(v, &end, 10);
        if (*end)
            return -1;
        if (errno == ERANGE || s > (unsigned long long)(LONG_MAX / 1000))
            return LONG_MAX;
        return (long)s * 1000;
    }
    time_t when = curl_getdate(v, NULL);
    if (when == (time_t)-1)
        return -1;
    double ms = difftime(when, time(NULL)) * 1000.0;
    if (ms <= 0)
        return 0;
    return ms >= (double)LONG_MAX ? LONG_MAX : (long)ms;
}

static void take_response(exchange *ex, ews_http_response *resp)
{
    resp->status = ex->status;
    resp->body = ex->body;
    resp->body.limit = 0;
    memset(&ex->body, 0, sizeof ex->body);
    resp->content_type = ex->content_type;
    resp->request_id = ex->request_id;
    resp->backend_status = ex->backend_status;
    ex->content_type = ex->request_id = ex->backend_status = NULL;
    if (ex->status >= 300 && ex->status < 400) {
        resp->location = ex->location;
        ex->location = NULL;
    }
    if (ex->status == 401 && ex->www_authenticate.data)
        resp->www_authenticate = ews_buf_detach(&ex->www_authenticate, NULL);
    resp->retry_after_ms = parse_retry_after(ex->retry_after);
}

static int is_followable(long status)
{
    /* 303 means "fetch something else with GET": not a place to re-POST. */
    return status == 301 || status == 302 || status == 307 || status == 308;
}

int ews_transport_post(ews_transport *t, const ews_http_request *req, ews_http_response *resp,
                       ews_err *err)
{
    if (!t || !req || !resp)
        return ews_err_set(err, EWS_EINVAL, "ews_transport_post: NULL argument");
    memset(resp, 0, sizeof *resp);
    resp->retry_after_ms = -1;
    int rc = check_request(t, req, err);
    if (rc)
        return rc;

    deadline dl = deadline_in(req->timeout_ms > 0 ? req->timeout_ms : t->o->timeout_ms);
    exchange ex;
    exchange_init(&ex, t);
    char *url = strdup(t->url);
    if (!url)
        return fail(t, err, EWS_ENOMEM, NULL, "out of memory");
    t->operation = req->operation;
    for (int redirects = 0;; redirects++) {
        rc = authenticated_exchange(t, url, req, &ex, &dl, err);
        if (rc || ex.status < 300 || ex.status >= 400 || ex.status == 304)
            break;
        if (!is_followable(ex.status) || !ex.location || !t->o->follow_redirects) {
            redirect_refused_event(t, ex.location,
                                   !ex.location ? "the answer names no Location"
                                   : !is_followable(ex.status)
                                       ? "the status does not allow repeating the POST"
                                       : "following redirects is off");
            break;
        }
        if (redirects == MAX_REDIRECTS) {
            trace_info(t, "ews: not following more than %d redirects", MAX_REDIRECTS);
            redirect_refused_event(t, ex.location, "too many redirects");
            break;
        }
        const char *why = NULL;
        char *next = redirect_target(url, ex.location, &why);
        if (!next) {
            trace_info(t, "ews: not following the redirect to %s: %s", ex.location, why);
            redirect_refused_event(t, ex.location, why);
            break;
        }
        trace_info(t, "ews: following the redirect to %s", next);
        free(url);
        url = next;
    }
    free(url);
    t->operation = NULL;
    if (!rc)
        take_response(&ex, resp);
    exchange_free(&ex);
    return rc;
}

void ews_http_response_free(ews_http_response *r)
{
    if (!r)
        return;
    ews_buf_free(&r->body);
    free(r->content_type);
    free(r->request_id);
    free(r->backend_status);
    free(r->www_authenticate);
    free(r->location);
    memset(r, 0, sizeof *r);
    r->retry_after_ms = -1;
}

/* ---- creation ---------------------------------------------------------------- */

static int check_url(ews_transport *t, const ews_client_options *opts, ews_err *err)
{
    origin o;
    int rc = parse_url(NULL, opts->url, &o, NULL);
    if (rc == EWS_ENOMEM)
        return ews_err_set(err, rc, "out of memory");
    if (rc)
        return ews_err_set(err, EWS_EINVAL, "the endpoint URL is not a valid absolute URL");
    if (strcmp(o.scheme, "https") == 0) {
        t->https = 1;
    } else if (strcmp(o.scheme, "http") == 0) {
        if (!opts->allow_insecure_http)
            rc = ews_err_set(err, EWS_ECONFIG,
                             "refusing plain http:// to %s: the endpoint should be https:// "
                             "(allow_insecure_http accepts it)", o.host);
    } else {
        rc = ews_err_set(err, EWS_EINVAL, "unsupported URL scheme '%s' (expected https://)",
                         o.scheme);
    }
    if (!rc && o.has_userinfo)
        rc = ews_err_set(err, EWS_ECONFIG,
                         "the endpoint URL must not carry credentials; use username and "
                         "password");
    if (!rc && !t->https && opts->auth != EWS_AUTH_NONE && !opts->allow_credentials_over_http)
        rc = ews_err_set(err, EWS_ECONFIG,
                         "refusing to send %s credentials over plain http:// to %s "
                         "(allow_credentials_over_http permits it)",
                         method_name(opts->auth), o.host);
    if (!rc) {
        t->port = o.port;
        t->host = strdup(o.host);
        t->url = strdup(opts->url);
        if (!t->host || !t->url)
            rc = ews_err_set(err, EWS_ENOMEM, "out of memory");
    }
    origin_free(&o);
    return rc;
}

/* Whether requests bind (t->bind); REQUIRE fails here when they cannot. */
static int check_binding(ews_transport *t, ews_err *err)
{
    const char *why = NULL;
    if (t->o->channel_binding == EWS_CHANNEL_BINDING_OFF)
        return 0;
    if (!t->https) {
        if (t->o->channel_binding == EWS_CHANNEL_BINDING_REQUIRE)
            return ews_err_set(err, EWS_ECONFIG,
                               "channel binding is required, but a plain http:// endpoint "
                               "has no TLS channel to bind to");
        return 0; /* AUTO: nothing to bind over http */
    }
#if LIBCURL_VERSION_NUM < 0x075000
    why = "this libcurl is older than 7.80 (no CURLOPT_PREREQFUNCTION)";
#else
    if (ews_tls_cb_supported(&why)) {
        t->bind = 1;
        return 0;
    }
#endif
    if (t->o->channel_binding == EWS_CHANNEL_BINDING_REQUIRE)
        return ews_err_set(err, EWS_ENOTSUP, "channel binding is required, but %s", why);
    return 0; /* AUTO: NTLM/Negotiate go unbound, as libcurl's would */
}

int ews_transport_check_override(const char *entry, int connect_to, const char **why)
{
    *why = NULL;
    if (!entry || !*entry)
        *why = "an empty entry";
    else if (has_control_chars(entry) || strpbrk(entry, " \t"))
        *why = "spaces or control characters";
    if (*why)
        return EWS_EINVAL;
    /* HOST:PORT:... where a [bracketed] IPv6 host may hold colons. */
    const char *p = entry;
    if (!connect_to && (*p == '+' || *p == '-'))
        p++;
    if (*p == '[') {
        p = strchr(p, ']');
        if (!p) {
            *why = "an unclosed [";
            return EWS_EINVAL;
        }
    }
    const char *c1 = strchr(p, ':');
    const char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
    if (!c1 || !c2) {
        *why = connect_to ? "not HOST:PORT:HOST2:PORT2" : "not HOST:PORT:ADDRESS";
        return EWS_EINVAL;
    }
    const char *port = c1 + 1;
    size_t digits = strspn(port, "0123456789");
    long n = digits ? strtol(port, NULL, 10) : 0;
    /* --connect-to may leave HOST and PORT empty: "any". */
    if (port + digits != c2 || digits > 5 || (!connect_to && (n < 1 || n > 65535)) ||
        (connect_to && digits && (n < 1 || n > 65535))) {
        *why = "the PORT is not a number from 1 to 65535";
        return EWS_EINVAL;
    }
    if (!connect_to && (entry[0] == '-'))
        return 0; /* removal: HOST:PORT alone is enough */
    if (!c2[1] && !connect_to) {
        *why = "no ADDRESS";
        return EWS_EINVAL;
    }
    return 0;
}

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

static int setup_curl(ews_transport *t, const ews_client_options *o, ews_err *err)
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

int ews_transport_new(ews_transport **out, const ews_client_options *o, ews_err *err)
{
    if (out)
        *out = NULL;
    if (!out || !o || !o->url)
        return ews_err_set(err, EWS_EINVAL, "ews_transport_new: missing argument");
    if (o->connect_timeout_ms < 0 || o->stall_timeout_ms < 0 || o->timeout_ms < 0)
        return ews_err_set(err, EWS_EINVAL, "timeouts must not be negative");
    if (o->auth < EWS_AUTH_NONE || o->auth > EWS_AUTH_NEGOTIATE)
        return ews_err_set(err, EWS_EINVAL, "unknown authentication method %d", (int)o->auth);
    if (o->gss_provider < EWS_GSS_AUTO || o->gss_provider > EWS_GSS_GSSAPI)
        return ews_err_set(err, EWS_EINVAL, "unknown GSS provider %d", (int)o->gss_provider);
    if (o->channel_binding < EWS_CHANNEL_BINDING_AUTO ||
        o->channel_binding > EWS_CHANNEL_BINDING_REQUIRE)
        return ews_err_set(err, EWS_EINVAL, "unknown channel binding setting %d",
                           (int)o->channel_binding);
    if (o->user_agent && has_control_chars(o->user_agent))
        return ews_err_set(err, EWS_EINVAL, "the user agent contains control characters");

    ews_transport *t = calloc(1, sizeof *t);
    if (!t)
        return ews_err_set(err, EWS_ENOMEM, "out of memory");
    t->o = o;
    snprintf(t->default_agent, sizeof t->default_agent, "ews-c/%s", ews_version());
    t->user_agent = o->user_agent ? o->user_agent : t->default_agent;
    int rc = ews_secrets_init(&t->secrets, o->username, o->password, o->proxy_username,
                              o->proxy_password)
                 ? ews_err_set(err, EWS_ENOMEM, "out of memory")
                 : 0;
    if (!rc)
        rc = check_url(t, o, err);
    if (!rc)
        rc = check_binding(t, err);
    if (!rc)
        rc = plan_for(t, o->auth, &t->plan, err);
    if (!rc)
        rc = setup_curl(t, o, err);
    if (rc) {
        ews_transport_free(t);
        return rc;
    }
    *out = t;
    return 0;
}

void ews_transport_free(ews_transport *t)
{
    if (!t)
        return;
    if (t->curl)
        curl_easy_cleanup(t->curl);
    curl_slist_free_all(t->resolve);
    curl_slist_free_all(t->connect_to);
    free(t->url);
    free(t->host);
    for (size_t i = 0; i < sizeof t->gss_cred / sizeof t->gss_cred[0]; i++)
        ews_gss_cred_free(t->gss_cred[i]);
    ews_secrets_free(&t->secrets);
    ews_secure_zero(t, sizeof *t);
    free(t);
}
