/* The transport over plain HTTP on loopback: request headers, keep-alive,
 * Basic and bearer, redirects, captured response headers, decoding, limits,
 * timeouts, cookies, proxy, traces without secrets. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cmocka.h>
#include <curl/curl.h>

#include "ews/version.h"
#include "support.h"
#include "http/gss.h"

#define USER "alice"
#define PASSWORD "Secret123"
/* Must never show up in a trace or an error message. */
#define CANARY_PASSWORD "Canary-Pw-Q8x2"
#define CANARY_PROXY_PASSWORD "Canary-ProxyPw-L3k"

static ts_server srv;
static char url_buf[512];

static const char *url(const char *path)
{
    snprintf(url_buf, sizeof url_buf, "%s", tt_url("http", "127.0.0.1",
                                                   ts_server_port(&srv, "main"), path));
    return url_buf;
}

static long ms_since(const struct timespec *t0)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (now.tv_sec - t0->tv_sec) * 1000 + (now.tv_nsec - t0->tv_nsec) / 1000000;
}

static int post(const ews_client_options *cfg, ews_http_response *resp, ews_err *err)
{
    ews_http_request req = tt_request();
    ews_err_reset(err);
    return tt_post(cfg, &req, resp, err);
}

static void assert_body_has(const ews_http_response *r, const char *what)
{
    if (!ts_contains_n(r->body.data, r->body.len, what))
        fail_msg("body lacks \"%s\":\n%.*s", what, (int)r->body.len,
                 r->body.data ? r->body.data : "");
}

/* ---- requests ----------------------------------------------------------- */

static void test_request_headers(void **state)
{
    (void)state;
    ews_client_options cfg;
    tt_config_init(&cfg, url("/echo"));
    ews_http_response r = { 0 };
    ews_err err;
    ews_err_init(&err);
    assert_int_equal(post(&cfg, &r, &err), 0);
    assert_int_equal(r.status, 200);
    assert_body_has(&r, "h:Content-Type: text/xml; charset=utf-8\n");
    assert_body_has(&r, "h:SOAPAction: \"http://schemas.microsoft.com/exchange/services/2006/"
                        "messages/GetImItemList\"\n");
    assert_body_has(&r, "h:X-AnchorMailbox: alice@contoso.example\n");
    assert_body_has(&r, "h:client-request-id: 0f8fad5b-d9cb-469f-a165-70867728950e\n");
    assert_body_has(&r, "h:return-client-request-id: true\n");
    assert_body_has(&r, "h:User-Agent: ews-c-transport-test/1\n");
    assert_body_has(&r, "gzip");
    assert_false(ts_contains_n(r.body.data, r.body.len, "h:Expect"));
    assert_false(ts_contains_n(r.body.data, r.body.len, "h:Authorization"));
    char len_line[32];
    snprintf(len_line, sizeof len_line, "len=%zu\n", tt_request().body_len);
    assert_body_has(&r, len_line);
    assert_string_equal(r.content_type, "text/plain; charset=utf-8");
    assert_int_equal(r.retry_after_ms, -1);
    assert_null(r.www_authenticate);
    assert_null(r.location);
    ews_http_response_free(&r);
    /* Without one of the caller's, the library names itself. */
    cfg.user_agent = NULL;
    assert_int_equal(post(&cfg, &r, &err), 0);
    char agent[64];
    snprintf(agent, sizeof agent, "h:User-Agent: ews-c/%s\n", ews_version());
    assert_body_has(&r, agent);
    ews_http_response_free(&r);
    ews_err_free(&err);
}

static long body_number(const ews_http_response *r, const char *key)
{
    const char *at = r->body.data ? strstr(r->body.data, key) : NULL;
    return at ? strtol(at + strlen(key), NULL, 10) : -1;
}

/* One transport, one connection: the server numbers its connections. */
static void test_keep_alive(void **state)
{
    (void)state;
    long before = tt_server_stat(&srv, "main", "main", "connections");
    ews_client_options cfg;
    tt_config_init(&cfg, url("/echo"));
    ews_transport *t;
    ews_err err;
    ews_err_init(&err);
    assert_int_equal(ews_transport_new(&t, &cfg, &err), 0);
    ews_http_request req = tt_request();
    ews_http_response a = { 0 }, b = { 0 }, c = { 0 };
    assert_int_equal(ews_transport_post(t, &req, &a, &err), 0);
    assert_int_equal(ews_transport_post(t, &req, &b, &err), 0);
    assert_int_equal(ews_transport_post(t, &req, &c, &err), 0);
    assert_int_equal(body_number(&a, "conn="), body_number(&b, "conn="));
    assert_int_equal(body_number(&a, "conn="), body_number(&c, "conn="));
    assert_int_equal(body_number(&c, "req="), 3);
    ews_transport_free(t);
    /* the stats request itself makes the second new connection */
    assert_int_equal(tt_server_stat(&srv, "main", "main", "connections"), before + 2);
    ews_http_response_free(&a);
    ews_http_response_free(&b);
    ews_http_response_free(&c);
    ews_err_free(&err);
}

/* ---- Basic and bearer ------------------------------------------------------ */

static void basic_config(ews_client_options *cfg, const char *password)
{
    tt_config_init(cfg, url("/basic"));
    cfg->auth = EWS_AUTH_BASIC;
    cfg->username = USER;
    cfg->password = password;
    cfg->allow_credentials_over_http = 1;
}

static void test_basic(void **state)
{
    (void)state;
    ews_client_options cfg;
    basic_config(&cfg, PASSWORD);
    ews_http_response r = { 0 };
    ews_err err;
    ews_err_init(&err);
    assert_int_equal(post(&cfg, &r, &err), 0);
    assert_int_equal(r.status, 200);
    assert_body_has(&r, "basic ok");
    ews_http_response_free(&r);

    basic_config(&cfg, "wrong");
    assert_int_equal(post(&cfg, &r, &err), 0);
    assert_int_equal(r.status, 401);
    assert_non_null(r.www_authenticate);
    assert_string_equal(r.www_authenticate, "Basic realm=\"ews-test\"");
    ews_http_response_free(&r);
    ews_err_free(&err);
}

static void test_bearer_lengths(void **state)
{
    (void)state;
    static const size_t lengths[] = { 1000, 2040, 2041, 2048, 4096, 16384 };
    ews_err err;
    ews_err_init(&err);
    for (size_t i = 0; i < sizeof lengths / sizeof lengths[0]; i++) {
        char path[64];
        snprintf(path, sizeof path, "/bearer?len=%zu", lengths[i]);
        ews_client_options cfg;
        tt_config_init(&cfg, url(path));
        cfg.auth = EWS_AUTH_BEARER;
        cfg.allow_credentials_over_http = 1;
        ews_http_request req = tt_request();
        char *token = tt_make_token(lengths[i]);
        req.bearer_token = token;
        ews_http_response r = { 0 };
        assert_int_equal(tt_post(&cfg, &req, &r, &err), 0);
        if (r.status != 200)
            fail_msg("token of %zu chars: status %ld: %s", lengths[i], r.status, r.body.data);
        char want[64];
        snprintf(want, sizeof want, "bearer ok len=%zu\n", lengths[i]);
        assert_body_has(&r, want);
        ews_http_response_free(&r);

        token[lengths[i] / 2] ^= 1; /* one flipped bit */
        assert_int_equal(tt_post(&cfg, &req, &r, &err), 0);
        assert_int_equal(r.status, 401);
        assert_non_null(r.www_authenticate);
        assert_non_null(strstr(r.www_authenticate, "Bearer"));
        ews_http_response_free(&r);
        free(token);
    }
    ews_err_free(&err);
}

static void test_auto_picks_basic(void **state)
{
    (void)state;
    ews_client_options cfg;
    basic_config(&cfg, PASSWORD);
    cfg.auth = EWS_AUTH_AUTO;
    ews_transport *t;
    ews_err err;
    ews_err_init(&err);
    assert_int_equal(ews_transport_new(&t, &cfg, &err), 0);
    ews_http_request req = tt_request();
    ews_http_response r = { 0 };
    for (int i = 0; i < 2; i++) {
        assert_int_equal(ews_transport_post(t, &req, &r, &err), 0);
        assert_int_equal(r.status, 200);
        assert_body_has(&r, "basic ok");
        ews_http_response_free(&r);
    }
    ews_transport_free(t);

    /* Nothing usable on offer: the 401 is the answer, no loop. */
    long before = tt_server_stat(&srv, "main", "main", "requests");
    tt_config_init(&cfg, url("/offers?schemes=Digest%20realm%3D%22x%22,Bearer"));
    cfg.auth = EWS_AUTH_AUTO;
    cfg.username = USER;
    cfg.password = PASSWORD;
    cfg.allow_credentials_over_http = 1;
    assert_int_equal(post(&cfg, &r, &err), 0);
    assert_int_equal(r.status, 401);
    assert_string_equal(r.www_authenticate, "Digest realm=\"x\", Bearer");
    assert_int_equal(tt_server_stat(&srv, "main", "main", "requests"), before + 1);
    ews_http_response_free(&r);
    ews_err_free(&err);
}

/* ---- responses ---------------------------------------------------------------- */

static void test_redirect_not_followed(void **state)
{
    (void)state;
    ews_client_options cfg;
    tt_config_init(&cfg, url("/redirect?to=/echo&code=302"));
    ews_http_response r = { 0 };
    ews_err err;
    ews_err_init(&err);
    assert_int_equal(post(&cfg, &r, &err), 0);
    assert_int_equal(r.status, 302);
    assert_string_equal(r.location, "/echo");
    ews_http_response_free(&r);

    /* Following is on, but never to plain http. */
    tt_config_init(&cfg, url("/redirect?to=/echo&code=307"));
    cfg.follow_redirects = 1;
    assert_int_equal(post(&cfg, &r, &err), 0);
    assert_int_equal(r.status, 307);
    assert_string_equal(r.location, "/echo");
    ews_http_response_free(&r);
    ews_err_free(&err);
}

static void test_retry_after(void **state)
{
    (void)state;
    ews_client_options cfg;
    tt_config_init(&cfg, url("/busy?ra=7"));
    ews_http_response r = { 0 };
    ews_err err;
    ews_err_init(&err);
    assert_int_equal(post(&cfg, &r, &err), 0);
    assert_int_equal(r.status, 503);
    assert_int_equal(r.retry_after_ms, 7000);
    ews_http_response_free(&r);

    tt_config_init(&cfg, url("/busy?ra=date"));
    assert_int_equal(post(&cfg, &r, &err), 0);
    assert_in_range(r.retry_after_ms, 27000, 31000);
    ews_http_response_free(&r);

    tt_config_init(&cfg, url("/busy?ra=soon"));
    assert_int_equal(post(&cfg, &r, &err), 0);
    assert_int_equal(r.retry_after_ms, -1);
    ews_http_response_free(&r);
    ews_err_free(&err);
}

static void test_ids(void **state)
{
    (void)state;
    ews_client_options cfg;
    tt_config_init(&cfg, url("/ids"));
    ews_http_response r = { 0 };
    ews_err err;
    ews_err_init(&err);
    assert_int_equal(post(&cfg, &r, &err), 0);
    assert_int_equal(r.status, 200);
    assert_string_equal(r.request_id, "6a3c1c4e-7b7d-4a59-9a0e-1d2f3a4b5c6d");
    assert_string_equal(r.backend_status, "200");
    assert_string_equal(r.content_type, "text/xml; charset=utf-8");
    assert_int_equal(r.body.len, 6);
    assert_string_equal(r.body.data, "<ids/>");
    ews_http_response_free(&r);
    ews_err_free(&err);
}

static void test_decoding(void **state)
{
    (void)state;
    const char *paths[] = { "/gzip", "/deflate" };
    ews_err err;
    ews_err_init(&err);
    for (size_t i = 0; i < 2; i++) {
        ews_client_options cfg;
        tt_config_init(&cfg, url(paths[i]));
        ews_http_response r = { 0 };
        assert_int_equal(post(&cfg, &r, &err), 0);
        assert_int_equal(r.status, 200);
        size_t want = 4 + 22 * 2000 + 5;
        assert_int_equal(r.body.len, want);
        assert_memory_equal(r.body.data, "<ok>compressible EWS text ", 26);
        assert_memory_equal(r.body.data + want - 5, "</ok>", 5);
        ews_http_response_free(&r);
    }
    ews_err_free(&err);
}

static void expect_too_big(const char *path, size_t limit)
{
    ews_client_options cfg;
    tt_config_init(&cfg, url(path));
    cfg.max_response_bytes = limit;
    ews_http_response r = { 0 };
    ews_err err;
    ews_err_init(&err);
    int rc = post(&cfg, &r, &err);
    if (rc != EWS_ETOOBIG)
        fail_msg("%s: %s (%s)", path, ews_err_name(rc), err.pub.message);
    assert_non_null(strstr(err.pub.message, "limit"));
    assert_int_equal(r.body.len, 0);
    ews_http_response_free(&r);
    ews_err_free(&err);
}

static void test_size_limits(void **state)
{
    (void)state;
    expect_too_big("/big?n=3000000", 1000000);     /* Content-Length says so */
    expect_too_big("/chunked?n=3000000", 1000000); /* counted as it arrives */
    expect_too_big("/bomb?mb=64", 1 << 20);        /* after decoding */
    expect_too_big("/gzip", 1000);

    ews_client_options cfg;
    tt_config_init(&cfg, url("/big?n=100000"));
    cfg.max_response_bytes = 100000; /* exactly the limit is fine */
    ews_http_response r = { 0 };
    ews_err err;
    ews_err_init(&err);
    assert_int_equal(post(&cfg, &r, &err), 0);
    assert_int_equal(r.body.len, 100000);
    ews_http_response_free(&r);
    ews_err_free(&err);
}

/* ---- failures ---------------------------------------------------------------- */

static void expect_timeout(long stall_ms, long total_ms, long request_ms, long limit_ms)
{
    ews_client_options cfg;
    tt_config_init(&cfg, url("/silence"));
    cfg.stall_timeout_ms = stall_ms;
    cfg.timeout_ms = total_ms;
    ews_http_request req = tt_request();
    req.timeout_ms = request_ms;
    ews_http_response r = { 0 };
    ews_err err;
    ews_err_init(&err);
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int rc = tt_post(&cfg, &req, &r, &err);
    long took = ms_since(&t0);
    if (rc != EWS_ETIMEDOUT)
        fail_msg("expected EWS_ETIMEDOUT, got %s: %s", ews_err_name(rc), err.pub.message);
    if (took > limit_ms + 2000)
        fail_msg("gave up after %ld ms, limit %ld ms", took, limit_ms);
    assert_true(took >= limit_ms - 50);
    assert_non_null(strstr(err.pub.message, "127.0.0.1"));
    ews_http_response_free(&r);
    ews_err_free(&err);
}

static void test_stall_timeout(void **state)
{
    (void)state;
    expect_timeout(1000, 0, 0, 1000);
}

static void test_total_timeout(void **state)
{
    (void)state;
    expect_timeout(0, 1500, 0, 1500);
    /* a request's own limit overrides the transport's */
    expect_timeout(0, 60000, 800, 800);
}

/* A listener whose accept queue is full drops further SYNs, which is what
 * an unreachable server looks like to connect(). */
static void test_connect_timeout(void **state)
{
    (void)state;
    int ls = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    assert_int_equal(bind(ls, (struct sockaddr *)&a, sizeof a), 0);
    socklen_t alen = sizeof a;
    getsockname(ls, (struct sockaddr *)&a, &alen);
    assert_int_equal(listen(ls, 0), 0);
    int fillers[4];
    for (int i = 0; i < 4; i++) {
        fillers[i] = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
        connect(fillers[i], (struct sockaddr *)&a, sizeof a);
    }
    usleep(100000);

    ews_client_options cfg;
    tt_config_init(&cfg, tt_url("http", "127.0.0.1", ntohs(a.sin_port), "/"));
    cfg.connect_timeout_ms = 1000;
    ews_http_response r = { 0 };
    ews_err err;
    ews_err_init(&err);
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int rc = post(&cfg, &r, &err);
    long took = ms_since(&t0);
    for (int i = 0; i < 4; i++)
        close(fillers[i]);
    close(ls);
    if (rc != EWS_ETIMEDOUT)
        fail_msg("expected EWS_ETIMEDOUT, got %s: %s", ews_err_name(rc), err.pub.message);
    assert_true(took < 3000);
    ews_http_response_free(&r);
    ews_err_free(&err);
}

static void test_connection_refused(void **state)
{
    (void)state;
    /* bound, never listening: nobody accepts on this port */
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    assert_int_equal(bind(s, (struct sockaddr *)&a, sizeof a), 0);
    socklen_t alen = sizeof a;
    getsockname(s, (struct sockaddr *)&a, &alen);
    long port = ntohs(a.sin_port);

    ews_client_options cfg;
    basic_config(&cfg, CANARY_PASSWORD);
    cfg.url = tt_url("http", "127.0.0.1", port, "/EWS/Exchange.asmx");
    ews_http_response r = { 0 };
    ews_err err;
    ews_err_init(&err);
    assert_int_equal(post(&cfg, &r, &err), EWS_ECONNECT);
    char where[64];
    snprintf(where, sizeof where, "127.0.0.1:%ld", port);
    assert_non_null(strstr(err.pub.message, where));
    assert_null(strstr(err.pub.message, CANARY_PASSWORD));
    close(s);
    ews_http_response_free(&r);
    ews_err_free(&err);
}

/* .invalid never resolves (RFC 6761). */
static void test_unresolvable(void **state)
{
    (void)state;
    ews_client_options cfg;
    tt_config_init(&cfg, "http://mail.contoso.invalid/EWS/Exchange.asmx");
    ews_http_response r = { 0 };
    ews_err err;
    ews_err_init(&err);
    int rc = post(&cfg, &r, &err);
    if (rc != EWS_ERESOLVE)
        fail_msg("expected EWS_ERESOLVE, got %s: %s", ews_err_name(rc), err.pub.message);
    assert_non_null(strstr(err.pub.message, "mail.contoso.invalid"));
    ews_http_response_free(&r);
    ews_err_free(&err);
}

/* ---- state ----------------------------------------------------------------- */

static void test_cookies_per_transport(void **state)
{
    (void)state;
    ews_client_options cfg;
    tt_config_init(&cfg, url("/cookie"));
    ews_err err;
    ews_err_init(&err);
    ews_transport *a, *b;
    assert_int_equal(ews_transport_new(&a, &cfg, &err), 0);
    assert_int_equal(ews_transport_new(&b, &cfg, &err), 0);
    ews_http_request req = tt_request();
    ews_http_response r = { 0 };
    const struct {
        ews_transport *t;
        const char *want;
    } steps[] = { { a, "cookie=no" }, { a, "cookie=yes" }, { b, "cookie=no" }, { a, "cookie=yes" } };
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        assert_int_equal(ews_transport_post(steps[i].t, &req, &r, &err), 0);
        assert_body_has(&r, steps[i].want);
        ews_http_response_free(&r);
    }
    ews_transport_free(a);
    ews_transport_free(b);
    ews_err_free(&err);
}

static void test_proxy(void **state)
{
    (void)state;
    char proxy[128];
    snprintf(proxy, sizeof proxy, "http://127.0.0.1:%ld", ts_server_port(&srv, "main"));
    ews_client_options cfg;
    /* The test server answers as the proxy itself; the origin never resolves. */
    tt_config_init(&cfg, "http://mail.contoso.invalid/EWS/Exchange.asmx");
    cfg.proxy = proxy;
    cfg.proxy_username = "proxyuser";
    cfg.proxy_password = "ProxySecret";
    ews_http_response r = { 0 };
    ews_err err;
    ews_err_init(&err);
    assert_int_equal(post(&cfg, &r, &err), 0);
    assert_int_equal(r.status, 200);
    assert_body_has(&r, "proxied authorization=absent");
    ews_http_response_free(&r);

    tt_trace tr = { EWS_BUF_INIT, { 0 } };
    cfg.proxy_password = CANARY_PROXY_PASSWORD;
    cfg.trace = tt_trace_collect;
    cfg.trace_userdata = &tr;
    assert_int_equal(post(&cfg, &r, &err), 0);
    assert_int_equal(r.status, 407);
    assert_false(ts_contains_n(tr.all.data, tr.all.len, CANARY_PROXY_PASSWORD));
    assert_true(ts_contains_n(tr.all.data, tr.all.len, "Proxy-Authorization: Basic ***"));
    ews_http_response_free(&r);
    ews_buf_free(&tr.all);
    ews_err_free(&err);
}

/* ---- traces ---------------------------------------------------------------- */

static void assert_clean(const tt_trace *tr, const char *secret)
{
    if (ts_contains_n(tr->all.data, tr->all.len, secret))
        fail_msg("the trace contains \"%s\"", secret);
}

static void test_trace_redaction(void **state)
{
    (void)state;
    ews_err err;
    ews_err_init(&err);
    tt_trace tr = { EWS_BUF_INIT, { 0 } };
    ews_http_response r = { 0 };

    /* Basic with a canary password: rejected, so the 401 is traced too. */
    ews_client_options cfg;
    basic_config(&cfg, CANARY_PASSWORD);
    cfg.trace = tt_trace_collect;
    cfg.trace_userdata = &tr;
    assert_int_equal(post(&cfg, &r, &err), 0);
    assert_int_equal(r.status, 401);
    ews_http_response_free(&r);
    char userpass[128];
    snprintf(userpass, sizeof userpass, "%s:%s", USER, CANARY_PASSWORD);
    char *b64 = ews_base64_encode(userpass, strlen(userpass));
    assert_clean(&tr, CANARY_PASSWORD);
    assert_clean(&tr, b64);
    free(b64);
    assert_true(ts_contains_n(tr.all.data, tr.all.len, "Authorization: Basic ***"));
    assert_true(tr.count[EWS_TRACE_REQUEST_HEADERS] >= 1);
    assert_true(tr.count[EWS_TRACE_REQUEST_BODY] >= 1);
    assert_true(tr.count[EWS_TRACE_RESPONSE_HEADERS] >= 1);
    assert_true(tr.count[EWS_TRACE_RESPONSE_BODY] >= 1);
    assert_true(ts_contains_n(tr.all.data, tr.all.len, "<GetImItemList"));

    /* A bearer canary. */
    char *token = tt_make_token(3000);
    tt_config_init(&cfg, url("/bearer?len=3000"));
    cfg.auth = EWS_AUTH_BEARER;
    cfg.allow_credentials_over_http = 1;
    cfg.trace = tt_trace_collect;
    cfg.trace_userdata = &tr;
    ews_http_request req = tt_request();
    req.bearer_token = token;
    assert_int_equal(tt_post(&cfg, &req, &r, &err), 0);
    assert_int_equal(r.status, 200);
    ews_http_response_free(&r);
    token[100] = '\0'; /* any long stretch of it would do */
    assert_clean(&tr, token + 20);
    free(token);
    assert_true(ts_contains_n(tr.all.data, tr.all.len, "Authorization: Bearer ***"));

    /* Secrets the server sends: cookies and challenge tokens. */
    tt_config_init(&cfg, url("/secrets"));
    cfg.trace = tt_trace_collect;
    cfg.trace_userdata = &tr;
    assert_int_equal(post(&cfg, &r, &err), 0);
    assert_int_equal(r.status, 401);
    ews_http_response_free(&r);
    assert_clean(&tr, "CanaryCookieValue4711");
    char *challenge = ews_base64_encode("CanaryChallengeToken", 20);
    assert_clean(&tr, challenge);
    free(challenge);
    assert_true(ts_contains_n(tr.all.data, tr.all.len, "WWW-Authenticate: Negotiate ***"));
    assert_true(ts_contains_n(tr.all.data, tr.all.len, "Set-Cookie: ***"));
    ews_buf_free(&tr.all);
    ews_err_free(&err);
}

static int setup(void **state)
{
    (void)state;
    const char *args[] = { "--listen", "main", "transport", "--user", USER, "--password", PASSWORD, NULL };
    int rc = ts_loopback_start(&srv, args);
    return rc ? -1 : 0;
}

static int teardown(void **state)
{
    (void)state;
    ts_server_stop(&srv);
    return 0;
}

int main(void)
{
    tt_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_request_headers),
        cmocka_unit_test(test_keep_alive),
        cmocka_unit_test(test_basic),
        cmocka_unit_test(test_bearer_lengths),
        cmocka_unit_test(test_auto_picks_basic),
        cmocka_unit_test(test_redirect_not_followed),
        cmocka_unit_test(test_retry_after),
        cmocka_unit_test(test_ids),
        cmocka_unit_test(test_decoding),
        cmocka_unit_test(test_size_limits),
        cmocka_unit_test(test_stall_timeout),
        cmocka_unit_test(test_total_timeout),
        cmocka_unit_test(test_connect_timeout),
        cmocka_unit_test(test_connection_refused),
        cmocka_unit_test(test_unresolvable),
        cmocka_unit_test(test_cookies_per_transport),
        cmocka_unit_test(test_proxy),
        cmocka_unit_test(test_trace_redaction),
    };
    int rc = cmocka_run_group_tests(tests, setup, teardown);
    curl_global_cleanup();
    return rc;
}
