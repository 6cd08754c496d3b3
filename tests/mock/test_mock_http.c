/* The mock server's HTTP side: authentication, framing, limits, malformed
 * requests, keep-alive, concurrency and HTTPS. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mock_test_util.h"

static char *envelope;
static size_t envelope_len;

static int setup(void **state)
{
    (void)state;
    envelope = mt_envelope("Exchange2013", EWS_IMPERSONATE_NONE, NULL, &envelope_len);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    free(envelope);
    return 0;
}

static void post_with(ews_mock *m, const char *userpwd, const char *const *headers,
                      mt_response *r)
{
    mt_request rq = { ews_mock_url(m), envelope, envelope_len, headers, userpwd, NULL, 0, 0 };
    mt_post(NULL, &rq, r);
    assert_int_equal(r->curl_rc, CURLE_OK);
}

static void expect_groups(mt_response *r, size_t groups)
{
    assert_int_equal(r->status, 200);
    ews_imlist *l = NULL;
    ews_err err;
    ews_err_init(&err);
    int rc = mt_parse(r, 0, &l, &err);
    if (rc)
        fail_msg("parse: %s", err.pub.message);
    assert_int_equal(ews_imlist_group_count(l), groups);
    ews_imlist_free(l);
    ews_err_free(&err);
}

static void test_basic_auth(void **state)
{
    (void)state;
    ews_mock_options o = mt_demo_options();
    o.auth = EWS_MOCK_AUTH_BASIC;
    o.username = "demo@contoso.com";
    o.password = "p@ss:word";
    ews_mock *m = mt_start(&o);
    mt_response r;

    post_with(m, "demo@contoso.com:p@ss:word", NULL, &r);
    expect_groups(&r, 4);
    mt_response_free(&r);

    post_with(m, NULL, NULL, &r);
    assert_int_equal(r.status, 401);
    assert_string_equal(r.www_authenticate, "Basic realm=\"ews-mock\"");
    mt_response_free(&r);

    post_with(m, "demo@contoso.com:wrong", NULL, &r);
    assert_int_equal(r.status, 401);
    assert_string_equal(r.www_authenticate, "Basic realm=\"ews-mock\"");
    mt_response_free(&r);

    post_with(m, "other@contoso.com:p@ss:word", NULL, &r);
    assert_int_equal(r.status, 401);
    mt_response_free(&r);

    const char *bad_b64[] = { "Authorization: Basic !!!notbase64", NULL };
    post_with(m, NULL, bad_b64, &r);
    assert_int_equal(r.status, 401);
    mt_response_free(&r);
    const char *bearer[] = { "Authorization: Bearer p@ss:word", NULL };
    post_with(m, NULL, bearer, &r);
    assert_int_equal(r.status, 401);
    mt_response_free(&r);
    ews_mock_stop(m);
}

static void test_bearer_auth(void **state)
{
    (void)state;
    ews_mock_options o = mt_demo_options();
    o.auth = EWS_MOCK_AUTH_BEARER;
    o.token = "eyJ0eXAiOiJKV1QifQ.payload.signature";
    ews_mock *m = mt_start(&o);
    mt_response r;

    const char *good[] = { "Authorization: Bearer eyJ0eXAiOiJKV1QifQ.payload.signature", NULL };
    post_with(m, NULL, good, &r);
    expect_groups(&r, 4);
    mt_response_free(&r);

    const char *wrong[] = { "Authorization: Bearer eyJ0eXAiOiJKV1QifQ.payload.signaturf", NULL };
    post_with(m, NULL, wrong, &r);
    assert_int_equal(r.status, 401);
    assert_non_null(r.www_authenticate);
    assert_true(strncmp(r.www_authenticate, "Bearer", 6) == 0);
    assert_true(ts_contains(r.www_authenticate, "invalid_token"));
    mt_response_free(&r);

    post_with(m, NULL, NULL, &r);
    assert_int_equal(r.status, 401);
    assert_string_equal(r.www_authenticate, "Bearer realm=\"ews-mock\"");
    mt_response_free(&r);

    post_with(m, "user:eyJ0eXAiOiJKV1QifQ.payload.signature", NULL, &r);
    assert_int_equal(r.status, 401);
    mt_response_free(&r);
    ews_mock_stop(m);
}

/* Injected faults apply only to requests that got through authentication. */
static void test_faults_after_auth(void **state)
{
    (void)state;
    ews_mock_options o = mt_demo_options();
    o.auth = EWS_MOCK_AUTH_BASIC;
    o.username = "u";
    o.password = "p";
    ews_mock *m = mt_start(&o);
    ews_mock_faults f = { 0 };
    f.http503_count = 1;
    f.retry_after_s = 3;
    ews_mock_set_faults(m, &f);
    mt_response r;
    post_with(m, NULL, NULL, &r);
    assert_int_equal(r.status, 401);
    mt_response_free(&r);
    post_with(m, "u:p", NULL, &r);
    assert_int_equal(r.status, 503);
    assert_string_equal(r.retry_after, "3");
    mt_response_free(&r);
    assert_int_equal(ews_mock_request_count(m), 2);
    ews_mock_stop(m);
}

static void test_oversized(void **state)
{
    (void)state;
    ews_mock_options o = mt_demo_options();
    ews_mock *m = mt_start(&o);
    size_t big = ((size_t)1 << 20) + 1;
    char *body = malloc(big);
    assert_non_null(body);
    memset(body, ' ', big);
    mt_request rq = { ews_mock_url(m), body, big, NULL, NULL, NULL, 0, 0 };
    mt_response r;
    mt_post(NULL, &rq, &r);
    assert_int_equal(r.curl_rc, CURLE_OK);
    assert_int_equal(r.status, 413);
    mt_response_free(&r);

    rq.chunked = 1;
    mt_post(NULL, &rq, &r);
    /* The answer may come while curl is still sending. */
    if (r.curl_rc == CURLE_OK)
        assert_int_equal(r.status, 413);
    mt_response_free(&r);

    /* Exactly at the limit is read (and then is no SOAP). */
    rq.len = (size_t)1 << 20;
    rq.chunked = 0;
    mt_post(NULL, &rq, &r);
    assert_int_equal(r.status, 500);
    mt_response_free(&r);
    free(body);

    static const char huge_length[] = "POST /EWS/Exchange.asmx HTTP/1.1\r\nHost: x\r\n"
                                      "Content-Length: 99999999999999\r\n\r\n";
    char *raw = mt_raw_exchange(ews_mock_port(m), huge_length, strlen(huge_length), 5000);
    assert_true(strncmp(raw, "HTTP/1.1 413 ", 13) == 0);
    assert_true(ts_contains(raw, "Connection: close"));
    free(raw);

    /* A chunked body is read past the limit (to answer 413 once it is
     * whole), but not without end: after 4 MiB more the connection is
     * closed without an answer. */
    ews_buf endless = EWS_BUF_INIT;
    assert_int_equal(ews_buf_puts(&endless, "POST /EWS/Exchange.asmx HTTP/1.1\r\nHost: x\r\n"
                                            "Transfer-Encoding: chunked\r\n\r\n"),
                     0);
    size_t chunk = (size_t)1 << 20;
    char *fill = malloc(chunk);
    assert_non_null(fill);
    memset(fill, 'x', chunk);
    for (int i = 0; i < 7; i++) {
        assert_int_equal(ews_buf_printf(&endless, "%zx\r\n", chunk), 0);
        assert_int_equal(ews_buf_append(&endless, fill, chunk), 0);
        assert_int_equal(ews_buf_puts(&endless, "\r\n"), 0);
    }
    assert_int_equal(ews_buf_puts(&endless, "0\r\n\r\n"), 0);
    free(fill);
    raw = mt_raw_exchange(ews_mock_port(m), endless.data, endless.len, 5000);
    assert_string_equal(raw, "");
    free(raw);
    ews_buf_free(&endless);

    /* Still serving. */
    mt_response ok;
    post_with(m, NULL, NULL, &ok);
    expect_groups(&ok, 4);
    mt_response_free(&ok);
    ews_mock_stop(m);
}

/* Raw request -> the status line it must get. The server stays up. */
static void expect_raw_status(ews_mock *m, const char *request, const char *status)
{
    char *raw = mt_raw_exchange(ews_mock_port(m), request, strlen(request), 5000);
    if (strncmp(raw, status, strlen(status)) != 0)
        fail_msg("request %.60s... got '%.80s', expected '%s'", request, raw, status);
    free(raw);
}

/* A request line libmicrohttpd cannot split into method, target and
 * version: it closes the connection without an answer (a 400 would do as
 * well); never anything else. */
static void expect_raw_refused(ews_mock *m, const char *request)
{
    char *raw = mt_raw_exchange(ews_mock_port(m), request, strlen(request), 5000);
    if (raw[0] && strncmp(raw, "HTTP/1.1 400 ", 13) != 0)
        fail_msg("request %.60s... got '%.80s', expected no answer or a 400", request, raw);
    free(raw);
}

static void test_malformed_http(void **state)
{
    (void)state;
    ews_mock_options o = mt_demo_options();
    ews_mock *m = mt_start(&o);
    expect_raw_refused(m, "GARBAGE\r\n\r\n");
    /* Binary junk, such as a TLS ClientHello sent to the plain port. */
    expect_raw_refused(m, "\x16\x03\x01\x02\x05\x01\x07\x01\xfc\x03\x03\r\n\r\n");
    /* The request line and the header fields (libmicrohttpd's checks and
     * the handler's). */
    static const struct {
        const char *request, *status;
    } cases[] = {
        { "G(T / HTTP/1.1\r\nHost: h\r\n\r\n", "HTTP/1.1 400 " },
        { "GET / FTP/1.1\r\nHost: h\r\n\r\n", "HTTP/1.1 400 " },
        { "GET / HTTP/1.11\r\nHost: h\r\n\r\n", "HTTP/1.1 400 " },
        { "GET / HTTP/3.0\r\nHost: h\r\n\r\n", "HTTP/1.1 505 " },
        { "GET / HTTP/1.1 extra\r\nHost: h\r\n\r\n", "HTTP/1.1 400 " },
        { "GET relative HTTP/1.1\r\nHost: h\r\n\r\n", "HTTP/1.1 400 " },
        { "GET ftp://h/ HTTP/1.1\r\nHost: h\r\n\r\n", "HTTP/1.1 400 " },
        { "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", "HTTP/1.1 400 " },
        { "GET / HTTP/1.1\r\nHost: h\r\nNo colon\r\n\r\n", "HTTP/1.1 400 " },
        { "GET / HTTP/1.1\r\nHost: h\r\nX: a\rb\r\n\r\n", "HTTP/1.1 400 " },
        { "GET / HTTP/1.1\r\nHost: h\r\nX: a\x01" "b\r\n\r\n", "HTTP/1.1 400 " },
        { "GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 1x\r\n\r\n", "HTTP/1.1 400 " },
        { "GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 99999999999999999999999\r\n\r\n",
          "HTTP/1.1 413 " },
        { "GET / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
          "HTTP/1.1 501 " },
        { "GET / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", "HTTP/1.1 400 " },
        { "GET / HTTP/1.1\r\nHost: h\r\nExpect: something\r\n\r\n", "HTTP/1.1 417 " },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        expect_raw_status(m, cases[i].request, cases[i].status);
    expect_raw_status(m, "POST /EWS/Exchange.asmx HTTP/2.0\r\nHost: x\r\n\r\n", "HTTP/1.1 505 ");
    expect_raw_status(m, "POST /EWS/Exchange.asmx HTTP/1.1\r\n\r\n", "HTTP/1.1 400 "); /* no Host */
    expect_raw_status(m, "POST /EWS/Exchange.asmx HTTP/1.1\r\nHost: x\r\nBad Header: 1\r\n\r\n",
                      "HTTP/1.1 400 ");
    expect_raw_status(m, "POST /EWS/Exchange.asmx HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n",
                      "HTTP/1.1 400 ");
    expect_raw_status(m,
                      "POST /EWS/Exchange.asmx HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
                      "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                      "HTTP/1.1 400 ");
    expect_raw_status(m,
                      "POST /EWS/Exchange.asmx HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
                      "Content-Length: 6\r\n\r\n",
                      "HTTP/1.1 400 ");
    expect_raw_status(m, "POST /EWS/Exchange.asmx HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
                      "HTTP/1.1 400 ");
    expect_raw_status(m, "POST /EWS/Exchange.asmx HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n",
                      "HTTP/1.1 501 ");
    expect_raw_status(m,
                      "POST /EWS/Exchange.asmx HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                      "\r\nzz\r\n",
                      "HTTP/1.1 400 ");
    expect_raw_status(m, "POST /EWS/Exchange.asmx HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc",
                      ""); /* closed inside the body: no answer, no crash */

    /* A head larger than the buffer. */
    size_t n = 20000;
    char *huge = malloc(n + 64);
    assert_non_null(huge);
    strcpy(huge, "GET / HTTP/1.1\r\nX-Long: ");
    size_t at = strlen(huge);
    memset(huge + at, 'a', n);
    strcpy(huge + at + n, "\r\n\r\n");
    expect_raw_status(m, huge, "HTTP/1.1 431 ");
    /* A request line larger than the buffer. */
    memcpy(huge, "GET /", 5);
    memset(huge + 5, 'a', n);
    strcpy(huge + 5 + n, " HTTP/1.1\r\nHost: h\r\n\r\n");
    expect_raw_status(m, huge, "HTTP/1.1 414 ");
    free(huge);

    /* Still serving. */
    mt_response r;
    post_with(m, NULL, NULL, &r);
    expect_groups(&r, 4);
    mt_response_free(&r);
    ews_mock_stop(m);
}

static void test_routing(void **state)
{
    (void)state;
    ews_mock_options o = mt_demo_options();
    ews_mock *m = mt_start(&o);
    char url[256];
    snprintf(url, sizeof url, "http://127.0.0.1:%u/EWS/Other.asmx", (unsigned)ews_mock_port(m));
    mt_request rq = { url, envelope, envelope_len, NULL, NULL, NULL, 0, 0 };
    mt_response r;
    mt_post(NULL, &rq, &r);
    assert_int_equal(r.status, 404);
    mt_response_free(&r);

    /* The path is case-insensitive, as on IIS; the query is ignored. */
    snprintf(url, sizeof url, "http://127.0.0.1:%u/ews/exchange.ASMX?x=1", (unsigned)ews_mock_port(m));
    mt_post(NULL, &rq, &r);
    expect_groups(&r, 4);
    mt_response_free(&r);

    static const char get[] = "GET /EWS/Exchange.asmx HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    char *raw = mt_raw_exchange(ews_mock_port(m), get, strlen(get), 5000);
    assert_true(strncmp(raw, "HTTP/1.1 405 ", 13) == 0);
    assert_true(ts_contains(raw, "\r\nAllow: POST\r\n"));
    free(raw);
    /* HEAD gets headers only, or the next answer on the connection would
     * be misread. */
    static const char head_then_get[] =
        "HEAD /EWS/Exchange.asmx HTTP/1.1\r\nHost: x\r\n\r\n"
        "GET /EWS/Exchange.asmx HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    raw = mt_raw_exchange(ews_mock_port(m), head_then_get, strlen(head_then_get), 5000);
    const char *second = strstr(raw + 1, "HTTP/1.1 405 ");
    assert_true(strncmp(raw, "HTTP/1.1 405 ", 13) == 0);
    assert_non_null(second);
    const char *first_body = strstr(raw, "\r\n\r\n");
    assert_ptr_equal(first_body + 4, second);
    free(raw);

    /* Requests that never reach EWS are not counted. */
    assert_int_equal(ews_mock_request_count(m), 1);
    ews_mock_stop(m);
}

static void test_chunked_body(void **state)
{
    (void)state;
    ews_mock_options o = mt_demo_options();
    ews_mock *m = mt_start(&o);
    mt_request rq = { ews_mock_url(m), envelope, envelope_len, NULL, NULL, NULL, 0, 1 };
    mt_response r;
    mt_post(NULL, &rq, &r);
    assert_int_equal(r.curl_rc, CURLE_OK);
    expect_groups(&r, 4);
    mt_response_free(&r);

    /* By hand, with an extension and a trailer. */
    ews_buf req = EWS_BUF_INIT;
    size_t half = envelope_len / 2;
    assert_int_equal(ews_buf_printf(&req,
                                    "POST /EWS/Exchange.asmx HTTP/1.1\r\nHost: x\r\n"
                                    "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                                    "%zx;name=value\r\n%.*s\r\n%zX\r\n%s\r\n0\r\nX-Trailer: 1\r\n\r\n",
                                    half, (int)half, envelope, envelope_len - half,
                                    envelope + half),
                     0);
    char *raw = mt_raw_exchange(ews_mock_port(m), req.data, req.len, 5000);
    assert_true(strncmp(raw, "HTTP/1.1 200 ", 13) == 0);
    assert_true(ts_contains(raw, "<t:DisplayName>MyCustomGroup2</t:DisplayName>"));
    free(raw);
    ews_buf_free(&req);
    ews_mock_stop(m);
}

static void test_keep_alive(void **state)
{
    (void)state;
    ews_mock_options o = mt_demo_options();
    ews_mock *m = mt_start(&o);
    CURL *c = curl_easy_init();
    mt_request rq = { ews_mock_url(m), envelope, envelope_len, NULL, NULL, NULL, 0, 0 };
    for (int i = 0; i < 3; i++) {
        mt_response r;
        mt_post(c, &rq, &r);
        assert_int_equal(r.curl_rc, CURLE_OK);
        assert_int_equal(r.new_connections, i == 0 ? 1 : 0);
        expect_groups(&r, 4);
        mt_response_free(&r);
    }
    /* Faults keep the connection too. */
    mt_request bad = { ews_mock_url(m), "<x/>", 4, NULL, NULL, NULL, 0, 0 };
    mt_response r;
    mt_post(c, &bad, &r);
    assert_int_equal(r.status, 500);
    assert_int_equal(r.new_connections, 0);
    mt_response_free(&r);

    /* Two requests in one write (pipelining), then an HTTP/1.0 one. */
    ews_buf req = EWS_BUF_INIT;
    for (int i = 0; i < 2; i++)
        assert_int_equal(ews_buf_printf(&req,
                                        "POST /EWS/Exchange.asmx HTTP/1.1\r\nHost: x\r\n"
                                        "Content-Length: %zu\r\n\r\n%s",
                                        envelope_len, envelope),
                         0);
    assert_int_equal(ews_buf_printf(&req,
                                    "POST /EWS/Exchange.asmx HTTP/1.0\r\n"
                                    "Content-Length: %zu\r\n\r\n%s",
                                    envelope_len, envelope),
                     0);
    char *raw = mt_raw_exchange(ews_mock_port(m), req.data, req.len, 5000);
    const char *p = raw;
    int answers = 0;
    while ((p = strstr(p, "HTTP/1.1 200 OK")) != NULL) {
        answers++;
        p++;
    }
    assert_int_equal(answers, 3);
    assert_true(ts_contains(raw, "Connection: close"));
    free(raw);
    ews_buf_free(&req);
    curl_easy_cleanup(c);
    ews_mock_stop(m);
}

typedef struct client_job {
    const char *url;
    int ok;
} client_job;

static void *client_main(void *arg)
{
    client_job *job = arg;
    CURL *c = curl_easy_init();
    for (int i = 0; c && i < 20; i++) {
        mt_response r;
        mt_request rq = { job->url, envelope, envelope_len, NULL, "u:p", NULL, 0, 0 };
        mt_post(c, &rq, &r);
        ews_imlist *l = NULL;
        ews_err err;
        ews_err_init(&err);
        if (r.curl_rc == CURLE_OK && r.status == 200 && mt_parse(&r, 0, &l, &err) == 0 &&
            ews_imlist_group_count(l) == 4 && ews_imlist_persona_count(l) == 2)
            job->ok++;
        ews_imlist_free(l);
        ews_err_free(&err);
        mt_response_free(&r);
    }
    curl_easy_cleanup(c);
    return NULL;
}

static void test_concurrent_clients(void **state)
{
    (void)state;
    ews_mock_options o = mt_demo_options();
    o.auth = EWS_MOCK_AUTH_BASIC;
    o.username = "u";
    o.password = "p";
    ews_mock *m = mt_start(&o);
    enum { CLIENTS = 8 };
    pthread_t threads[CLIENTS];
    client_job jobs[CLIENTS];
    for (int i = 0; i < CLIENTS; i++) {
        jobs[i] = (client_job){ ews_mock_url(m), 0 };
        assert_int_equal(pthread_create(&threads[i], NULL, client_main, &jobs[i]), 0);
    }
    /* Fault settings change while they run: a thread-safety check. */
    ews_mock_faults f = { 0 };
    f.delay_ms = 1;
    ews_mock_set_faults(m, &f);
    for (int i = 0; i < CLIENTS; i++) {
        pthread_join(threads[i], NULL);
        assert_int_equal(jobs[i].ok, 20);
    }
    assert_int_equal(ews_mock_request_count(m), CLIENTS * 20);
    ews_mock_stop(m);
}

/* A self-signed certificate for 127.0.0.1 from the openssl program. */
/* A fresh certificate in a new directory (ts_rmtree it): NULL without the
 * openssl program. */
static char *make_certificate(char *cert, char *key, size_t len)
{
    char *dir = ts_tempdir();
    if (dir && ts_make_certificate(dir)) {
        ts_rmtree(dir);
        return NULL;
    }
    if (dir) {
        snprintf(cert, len, "%s/cert.pem", dir);
        snprintf(key, len, "%s/key.pem", dir);
    }
    return dir;
}

static void test_https(void **state)
{
    (void)state;
    char cert[4200], key[4200];
    char *dir = make_certificate(cert, key, sizeof cert);
    if (!dir) {
        print_message("no openssl program to make a certificate: skipped\n");
        skip();
    }
    ews_mock_options o = mt_demo_options();
    o.tls_cert_file = cert;
    o.tls_key_file = key;
    o.auth = EWS_MOCK_AUTH_BASIC;
    o.username = "u";
    o.password = "p";
    ews_mock *m = mt_start(&o);
    assert_true(strncmp(ews_mock_url(m), "https://127.0.0.1:", 18) == 0);

    CURL *c = curl_easy_init();
    mt_request rq = { ews_mock_url(m), envelope, envelope_len, NULL, "u:p", cert, 0, 0 };
    for (int i = 0; i < 2; i++) {
        mt_response r;
        mt_post(c, &rq, &r);
        assert_int_equal(r.curl_rc, CURLE_OK);
        assert_int_equal(r.new_connections, i == 0 ? 1 : 0);
        expect_groups(&r, 4);
        mt_response_free(&r);
    }
    curl_easy_cleanup(c);

    /* Chunked over TLS, and a 413 over TLS. */
    mt_response r;
    rq.chunked = 1;
    mt_post(NULL, &rq, &r);
    expect_groups(&r, 4);
    mt_response_free(&r);
    rq.chunked = 0;

    /* Without trusting the certificate: refused by the client. */
    rq.cafile = NULL;
    mt_post(NULL, &rq, &r);
    assert_int_not_equal(r.curl_rc, CURLE_OK);
    mt_response_free(&r);

    /* Plain HTTP to the HTTPS port: the handshake fails, nothing else. */
    static const char plain[] = "POST / HTTP/1.1\r\nHost: x\r\n\r\n";
    char *raw = mt_raw_exchange(ews_mock_port(m), plain, strlen(plain), 2000);
    assert_false(ts_contains(raw, "200 OK"));
    free(raw);

    rq.cafile = cert;
    mt_post(NULL, &rq, &r);
    expect_groups(&r, 4);
    mt_response_free(&r);

    /* Stop with a kept-alive TLS connection open. */
    CURL *idle = curl_easy_init();
    mt_post(idle, &rq, &r);
    expect_groups(&r, 4);
    mt_response_free(&r);
    ews_mock_stop(m);
    curl_easy_cleanup(idle);

    /* A key that does not belong to the certificate. */
    char cert2[4200], key2[4200];
    char *dir2 = make_certificate(cert2, key2, sizeof cert2);
    if (dir2) {
        o.tls_key_file = key2;
        char err[512];
        assert_int_equal(ews_mock_start(&m, &o, err, sizeof err), -1);
        if (!ts_contains(err, key2))
            fail_msg("error '%s' does not name the key", err);
    }
    ts_rmtree(dir2);
    ts_rmtree(dir);
}

static void test_ipv6_loopback(void **state)
{
    (void)state;
    ews_mock_options o = mt_demo_options();
    o.bind_address = "::1";
    char err[256];
    ews_mock *m = NULL;
    if (ews_mock_start(&m, &o, err, sizeof err) != 0) {
        print_message("no IPv6 loopback here (%s): skipped\n", err);
        skip();
    }
    char expect[64];
    snprintf(expect, sizeof expect, "http://[::1]:%u/EWS/Exchange.asmx", (unsigned)ews_mock_port(m));
    assert_string_equal(ews_mock_url(m), expect);
    mt_response r;
    post_with(m, NULL, NULL, &r);
    expect_groups(&r, 4);
    mt_response_free(&r);
    ews_mock_stop(m);
}

int main(void)
{
    curl_global_init(CURL_GLOBAL_ALL);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_basic_auth),
        cmocka_unit_test(test_bearer_auth),
        cmocka_unit_test(test_faults_after_auth),
        cmocka_unit_test(test_oversized),
        cmocka_unit_test(test_malformed_http),
        cmocka_unit_test(test_routing),
        cmocka_unit_test(test_chunked_body),
        cmocka_unit_test(test_keep_alive),
        cmocka_unit_test(test_concurrent_clients),
        cmocka_unit_test(test_https),
        cmocka_unit_test(test_ipv6_loopback),
    };
    int failed = cmocka_run_group_tests(tests, setup, teardown);
    curl_global_cleanup();
    return failed;
}
