/* NTLM against a real acceptor (Samba's ntlm_auth behind the test server),
 * through both providers: libcurl's NTLM and our GSSAPI (gss-ntlmssp) legs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <curl/curl.h>

#include "support.h"
#include "http/gss.h"

#define DOMAIN_USER "CONTOSO\\alice"
#define PASSWORD "Secret123"
#define CANARY_PASSWORD "Canary-NtlmPw-5d1"

static ts_server srv;

static void skip_unless_available(ews_gss_provider provider)
{
    const char *why = NULL;
    if (provider == EWS_GSS_CURL &&
        !(curl_version_info(CURLVERSION_NOW)->features & CURL_VERSION_NTLM)) {
        print_message("skipped: this libcurl has no NTLM\n");
        skip();
    }
    if (provider == EWS_GSS_GSSAPI && !ews_gss_available(EWS_GSS_MECH_NTLM, &why)) {
        print_message("skipped: %s\n", why);
        skip();
    }
}

static void ntlm_config(ews_client_options *cfg, ews_gss_provider provider, const char *path,
                        const char *password)
{
    static char url[512];
    snprintf(url, sizeof url, "%s",
             tt_url("http", "127.0.0.1", ts_server_port(&srv, "main"), path));
    tt_config_init(cfg, url);
    cfg->auth = EWS_AUTH_NTLM;
    cfg->gss_provider = provider;
    cfg->username = DOMAIN_USER;
    cfg->password = password;
    cfg->allow_credentials_over_http = 1;
}

static long body_number(const ews_http_response *r, const char *key)
{
    const char *at = r->body.data ? strstr(r->body.data, key) : NULL;
    return at ? strtol(at + strlen(key), NULL, 10) : -1;
}

/* Authenticates, then stays authenticated on the same connection: one
 * handshake for three requests. */
static void authenticates(ews_gss_provider provider)
{
    skip_unless_available(provider);
    long handshakes = tt_server_stat(&srv, "main", "main", "ntlm");
    ews_client_options cfg;
    ntlm_config(&cfg, provider, "/ntlm", PASSWORD);
    ews_transport *t;
    ews_err err;
    ews_err_init(&err);
    assert_int_equal(ews_transport_new(&t, &cfg, &err), 0);
    ews_http_request req = tt_request();
    long conn = -1;
    for (int i = 0; i < 3; i++) {
        ews_http_response r = { 0 };
        int rc = ews_transport_post(t, &req, &r, &err);
        if (rc)
            fail_msg("%s", err.pub.message);
        if (r.status != 200)
            fail_msg("status %ld: %s", r.status, r.body.data);
        assert_true(ts_contains_n(r.body.data, r.body.len, "ntlm ok user=CONTOSO\\alice"));
        if (i == 0)
            conn = body_number(&r, "conn=");
        assert_int_equal(body_number(&r, "conn="), conn);
        ews_http_response_free(&r);
    }
    ews_transport_free(t);
    assert_int_equal(tt_server_stat(&srv, "main", "main", "ntlm"), handshakes + 1);
    ews_err_free(&err);
}

static void rejects_wrong_password(ews_gss_provider provider)
{
    skip_unless_available(provider);
    long before = tt_server_stat(&srv, "main", "main", "requests");
    ews_client_options cfg;
    ntlm_config(&cfg, provider, "/ntlm", CANARY_PASSWORD);
    tt_trace tr = { EWS_BUF_INIT, { 0 } };
    cfg.trace = tt_trace_collect;
    cfg.trace_userdata = &tr;
    ews_http_request req = tt_request();
    ews_http_response r = { 0 };
    ews_err err;
    ews_err_init(&err);
    assert_int_equal(tt_post(&cfg, &req, &r, &err), 0);
    assert_int_equal(r.status, 401);
    assert_string_equal(r.www_authenticate, "NTLM");
    /* type-1 and type-3, and no second try that could lock the account */
    long sent = tt_server_stat(&srv, "main", "main", "requests") - before;
    assert_in_range(sent, 2, provider == EWS_GSS_CURL ? 3 : 2);
    assert_false(ts_contains_n(tr.all.data, tr.all.len, CANARY_PASSWORD));
    assert_false(ts_contains_n(tr.all.data, tr.all.len, "TlRMTVNT")); /* "NTLMSS" */
    assert_true(ts_contains_n(tr.all.data, tr.all.len, "Authorization: NTLM ***"));
    ews_buf_free(&tr.all);
    ews_http_response_free(&r);
    ews_err_free(&err);
}

static void test_curl_authenticates(void **state)
{
    (void)state;
    authenticates(EWS_GSS_CURL);
}

static void test_gssapi_authenticates(void **state)
{
    (void)state;
    authenticates(EWS_GSS_GSSAPI);
}

static void test_curl_wrong_password(void **state)
{
    (void)state;
    rejects_wrong_password(EWS_GSS_CURL);
}

static void test_gssapi_wrong_password(void **state)
{
    (void)state;
    rejects_wrong_password(EWS_GSS_GSSAPI);
}

/* The server closes the authenticated connection after each answer: every
 * request must authenticate its new connection again. */
static void test_gssapi_new_connection_reauthenticates(void **state)
{
    (void)state;
    skip_unless_available(EWS_GSS_GSSAPI);
    long handshakes = tt_server_stat(&srv, "main", "main", "ntlm");
    ews_client_options cfg;
    ntlm_config(&cfg, EWS_GSS_GSSAPI, "/ntlm?close=1", PASSWORD);
    ews_transport *t;
    ews_err err;
    ews_err_init(&err);
    assert_int_equal(ews_transport_new(&t, &cfg, &err), 0);
    ews_http_request req = tt_request();
    long conn = -1;
    for (int i = 0; i < 3; i++) {
        ews_http_response r = { 0 };
        assert_int_equal(ews_transport_post(t, &req, &r, &err), 0);
        assert_int_equal(r.status, 200);
        assert_true(body_number(&r, "conn=") != conn);
        conn = body_number(&r, "conn=");
        ews_http_response_free(&r);
    }
    ews_transport_free(t);
    assert_int_equal(tt_server_stat(&srv, "main", "main", "ntlm"), handshakes + 3);
    ews_err_free(&err);
}

/* A server that closes the connection after its challenge loses its half
 * of every handshake: one fresh start, then the 401 is the answer. */
static void test_gssapi_connection_lost_mid_handshake(void **state)
{
    (void)state;
    skip_unless_available(EWS_GSS_GSSAPI);
    long before = tt_server_stat(&srv, "main", "main", "requests");
    ews_client_options cfg;
    ntlm_config(&cfg, EWS_GSS_GSSAPI, "/ntlm?close401=1", PASSWORD);
    ews_http_request req = tt_request();
    ews_http_response r = { 0 };
    ews_err err;
    ews_err_init(&err);
    assert_int_equal(tt_post(&cfg, &req, &r, &err), 0);
    assert_int_equal(r.status, 401);
    assert_int_equal(tt_server_stat(&srv, "main", "main", "requests"), before + 4);
    ews_http_response_free(&r);
    ews_err_free(&err);
}

/* EWS_AUTH_AUTO reads the offer and answers it. */
static void test_auto_picks_ntlm(void **state)
{
    (void)state;
    ews_client_options cfg;
    ntlm_config(&cfg, EWS_GSS_AUTO, "/ntlm", PASSWORD);
    cfg.auth = EWS_AUTH_AUTO;
    assert_int_equal(tt_post_status(&cfg), 200);
}

int main(void)
{
    tt_init();
    const char *args[] = { "--listen", "main", "transport", "--need-ntlm",
                           "--domain", "CONTOSO", "--password", PASSWORD, NULL };
    int rc = ts_loopback_start(&srv, args);
    if (rc)
        return rc == TS_SKIP ? TS_SKIP : 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_curl_authenticates),
        cmocka_unit_test(test_gssapi_authenticates),
        cmocka_unit_test(test_curl_wrong_password),
        cmocka_unit_test(test_gssapi_wrong_password),
        cmocka_unit_test(test_gssapi_new_connection_reauthenticates),
        cmocka_unit_test(test_gssapi_connection_lost_mid_handshake),
        cmocka_unit_test(test_auto_picks_ntlm),
    };
    rc = cmocka_run_group_tests(tests, NULL, NULL);
    ts_server_stop(&srv);
    curl_global_cleanup();
    return rc;
}
