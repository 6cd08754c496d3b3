/* The transport over TLS with a test CA made here: certificate checks,
 * a peer that resets mid-request (no SIGPIPE), and redirects, which are
 * only followed to https on the same host. */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <curl/curl.h>

#include "support.h"

#define USER "alice"
#define PASSWORD "Secret123"

static ts_server srv;
static char *pki;
static char cafile[4096], capath[4096];

static const char *https(const char *host, const char *listener, const char *path)
{
    static char buf[512];
    snprintf(buf, sizeof buf, "%s", tt_url("https", host, ts_server_port(&srv, listener), path));
    return buf;
}

static void tls_config(ews_client_options *cfg, const char *url)
{
    tt_config_init(cfg, url);
    cfg->allow_insecure_http = 0;
    cfg->cafile = cafile;
}

static int post(const ews_client_options *cfg, ews_http_response *resp, ews_err *err)
{
    ews_http_request req = tt_request();
    ews_err_reset(err);
    return tt_post(cfg, &req, resp, err);
}

/* ---- certificates -------------------------------------------------------- */

static void test_valid_certificate(void **state)
{
    (void)state;
    ews_client_options cfg;
    ews_http_response r = { 0 };
    ews_err err;
    ews_err_init(&err);

    tls_config(&cfg, https("localhost", "good", "/echo"));
    assert_int_equal(post(&cfg, &r, &err), 0);
    assert_int_equal(r.status, 200);
    ews_http_response_free(&r);

    /* the address is in the certificate too */
    tls_config(&cfg, https("127.0.0.1", "good", "/echo"));
    assert_int_equal(post(&cfg, &r, &err), 0);
    assert_int_equal(r.status, 200);
    ews_http_response_free(&r);

    tls_config(&cfg, https("localhost", "good", "/echo"));
    cfg.cafile = NULL;
    cfg.capath = capath;
    assert_int_equal(post(&cfg, &r, &err), 0);
    assert_int_equal(r.status, 200);
    ews_http_response_free(&r);
    ews_err_free(&err);
}

static void expect_tls_failure(const char *listener, const char *ca)
{
    ews_client_options cfg;
    tls_config(&cfg, https("localhost", listener, "/echo"));
    cfg.cafile = ca;
    ews_http_response r = { 0 };
    ews_err err;
    ews_err_init(&err);
    int rc = post(&cfg, &r, &err);
    if (rc != EWS_ETLS)
        fail_msg("%s: expected EWS_ETLS, got %s (%s)", listener, ews_err_name(rc),
                 err.pub.message);
    char where[64];
    snprintf(where, sizeof where, "localhost:%ld", ts_server_port(&srv, listener));
    assert_non_null(strstr(err.pub.message, where));
    assert_int_equal(r.status, 0);
    ews_http_response_free(&r);
    ews_err_free(&err);
}

static void test_rejected_certificates(void **state)
{
    (void)state;
    expect_tls_failure("wronghost", cafile);
    expect_tls_failure("expired", cafile);
    expect_tls_failure("selfsigned", cafile);
    expect_tls_failure("cnonly", cafile); /* no fallback to the CN */
    expect_tls_failure("good", NULL);     /* the system store does not know our CA */
}

/* ---- a peer that goes away -------------------------------------------------- */

static void test_peer_resets_mid_request(void **state)
{
    (void)state;
    /* The process keeps the default SIGPIPE disposition: only the
     * transport's own care (MSG_NOSIGNAL) keeps it alive. */
    struct sigaction before, after;
    sigaction(SIGPIPE, NULL, &before);
    assert_true(before.sa_handler == SIG_DFL);

    size_t len = (size_t)32 << 20;
    char *body = malloc(len);
    assert_non_null(body);
    memset(body, 'x', len);
    ews_client_options cfg;
    tls_config(&cfg, https("localhost", "good", "/close"));
    ews_http_request req = tt_request();
    req.body = body;
    req.body_len = len;
    ews_http_response r = { 0 };
    ews_err err;
    ews_err_init(&err);
    int rc = tt_post(&cfg, &req, &r, &err);
    if (rc != EWS_ETRANSPORT)
        fail_msg("expected EWS_ETRANSPORT, got %s (%s)", ews_err_name(rc), err.pub.message);
    print_message("peer reset: %s\n", err.pub.message);
    sigaction(SIGPIPE, NULL, &after);
    assert_true(after.sa_handler == SIG_DFL);
    free(body);
    ews_http_response_free(&r);
    ews_err_free(&err);
}

/* ---- redirects ---------------------------------------------------------------- */

static void basic_follow_config(ews_client_options *cfg, const char *url)
{
    tls_config(cfg, url);
    cfg->auth = EWS_AUTH_BASIC;
    cfg->username = USER;
    cfg->password = PASSWORD;
    cfg->follow_redirects = 1;
}

static void test_redirect_same_host_followed(void **state)
{
    (void)state;
    ews_client_options cfg;
    ews_http_response r = { 0 };
    ews_err err;
    ews_err_init(&err);
    char path[512];

    basic_follow_config(&cfg, https("localhost", "good", "/redirect?to=/basic&code=302"));
    assert_int_equal(post(&cfg, &r, &err), 0);
    assert_int_equal(r.status, 200);
    assert_true(ts_contains_n(r.body.data, r.body.len, "basic ok"));
    assert_null(r.location);
    ews_http_response_free(&r);

    char *escaped = curl_easy_escape(NULL, https("LOCALHOST", "good", "/basic"), 0);
    snprintf(path, sizeof path, "/redirect?to=%s&code=308", escaped);
    curl_free(escaped);
    basic_follow_config(&cfg, https("localhost", "good", path));
    assert_int_equal(post(&cfg, &r, &err), 0);
    assert_int_equal(r.status, 200);
    ews_http_response_free(&r);

    /* off by default */
    basic_follow_config(&cfg, https("localhost", "good", "/redirect?to=/basic&code=302"));
    cfg.follow_redirects = 0;
    assert_int_equal(post(&cfg, &r, &err), 0);
    assert_int_equal(r.status, 302);
    assert_string_equal(r.location, "/basic");
    ews_http_response_free(&r);
    ews_err_free(&err);
}

static void expect_not_followed(const char *target, ews_auth_method auth)
{
    char *escaped = curl_easy_escape(NULL, target, 0);
    char path[512];
    snprintf(path, sizeof path, "/redirect?to=%s&code=307", escaped);
    curl_free(escaped);
    ews_client_options cfg;
    basic_follow_config(&cfg, https("localhost", "good", path));
    cfg.auth = auth;
    ews_http_request req = tt_request();
    req.bearer_token = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJhbGljZSJ9.";
    ews_http_response r = { 0 };
    ews_err err;
    ews_err_init(&err);
    assert_int_equal(tt_post(&cfg, &req, &r, &err), 0);
    assert_int_equal(r.status, 307);
    assert_string_equal(r.location, target);
    ews_http_response_free(&r);
    ews_err_free(&err);
}

static void test_redirect_elsewhere_never(void **state)
{
    (void)state;
    char other_host[512], other_port[512], plain[512];
    snprintf(other_host, sizeof other_host, "%s", https("127.0.0.1", "other", "/basic"));
    snprintf(other_port, sizeof other_port, "%s", https("localhost", "other", "/basic"));
    snprintf(plain, sizeof plain, "%s",
             tt_url("http", "localhost", ts_server_port(&srv, "ctl"), "/echo"));
    long ctl_before = tt_server_stat(&srv, "ctl", "ctl", "requests");

    expect_not_followed(other_host, EWS_AUTH_BASIC);
    expect_not_followed(other_host, EWS_AUTH_BEARER);
    expect_not_followed(other_port, EWS_AUTH_BASIC);
    expect_not_followed(plain, EWS_AUTH_BASIC);

    /* The other server never heard from us, credentials or not. */
    assert_int_equal(tt_server_stat(&srv, "ctl", "other", "requests"), 0);
    assert_int_equal(tt_server_stat(&srv, "ctl", "other", "authorization"), 0);
    assert_int_equal(tt_server_stat(&srv, "ctl", "ctl", "requests"), ctl_before);
}

static void test_redirect_loop_ends(void **state)
{
    (void)state;
    long before = tt_server_stat(&srv, "ctl", "good", "requests");
    ews_client_options cfg;
    basic_follow_config(&cfg, https("localhost", "good", "/loop"));
    ews_http_response r = { 0 };
    ews_err err;
    ews_err_init(&err);
    assert_int_equal(post(&cfg, &r, &err), 0);
    assert_int_equal(r.status, 302);
    assert_string_equal(r.location, "/loop");
    /* the first request and five redirects */
    assert_int_equal(tt_server_stat(&srv, "ctl", "good", "requests"), before + 6);
    ews_http_response_free(&r);
    ews_err_free(&err);
}

/* ---- fixture ------------------------------------------------------------------- */

static int setup(void **state)
{
    (void)state;
    static char specs[6][4096];
    static const char *const names[] = { "good", "wronghost", "expired", "selfsigned",
                                         "cnonly" };
    const char *args[32];
    int n = 0;
    args[n++] = "--listen";
    args[n++] = "ctl";
    for (int i = 0; i < 6; i++) {
        const char *name = i < 5 ? names[i] : "other";
        const char *cert = i < 5 ? names[i] : "good";
        snprintf(specs[i], sizeof specs[i], "%s:%s/%s.pem:%s/%s.key", name, pki, cert, pki,
                 cert);
        args[n++] = "--listen";
        args[n++] = specs[i];
    }
    args[n++] = "transport";
    args[n++] = "--user";
    args[n++] = USER;
    args[n++] = "--password";
    args[n++] = PASSWORD;
    args[n] = NULL;
    return ts_loopback_start(&srv, args) ? -1 : 0;
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
    pki = ts_tempdir();
    if (!pki)
        return 1;
    int rc = ts_run_script(TT_SERVERS "/mkcerts.py", pki);
    if (rc) {
        ts_rmtree(pki);
        return rc == TS_SKIP ? TS_SKIP : 1;
    }
    snprintf(cafile, sizeof cafile, "%s/ca.pem", pki);
    snprintf(capath, sizeof capath, "%s/capath", pki);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_certificate),
        cmocka_unit_test(test_rejected_certificates),
        cmocka_unit_test(test_peer_resets_mid_request),
        cmocka_unit_test(test_redirect_same_host_followed),
        cmocka_unit_test(test_redirect_elsewhere_never),
        cmocka_unit_test(test_redirect_loop_ends),
    };
    rc = cmocka_run_group_tests(tests, setup, teardown);
    ts_rmtree(pki);
    curl_global_cleanup();
    return rc;
}
