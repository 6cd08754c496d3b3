/* Negotiate (SPNEGO) against a real acceptor: a private Apache with
 * mod_auth_gssapi and gss-ntlmssp, started here on 127.0.0.1. */
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
#define CANARY_PASSWORD "Canary-NegoPw-9c4"

static ts_server srv;
static char *dir;
static char url[512];

static void skip_without_gssapi(void)
{
    const char *why;
    if (!ews_gss_available(EWS_GSS_MECH_SPNEGO, &why) ||
        !ews_gss_available(EWS_GSS_MECH_NTLM, &why)) {
        print_message("skipped: %s\n", why);
        skip();
    }
}

static void nego_config(ews_client_options *cfg, ews_gss_provider provider,
                        const char *password)
{
    tt_config_init(cfg, url);
    cfg->auth = EWS_AUTH_NEGOTIATE;
    cfg->gss_provider = provider;
    cfg->username = password ? DOMAIN_USER : NULL;
    cfg->password = password;
    cfg->allow_credentials_over_http = 1;
}

static void test_gssapi_with_password(void **state)
{
    (void)state;
    skip_without_gssapi();
    ews_client_options cfg;
    nego_config(&cfg, EWS_GSS_GSSAPI, PASSWORD);
    tt_trace tr = { EWS_BUF_INIT, { 0 } };
    cfg.trace = tt_trace_collect;
    cfg.trace_userdata = &tr;
    ews_transport *t;
    ews_err err;
    ews_err_init(&err);
    assert_int_equal(ews_transport_new(&t, &cfg, &err), 0);
    ews_http_request req = tt_request();
    for (int i = 0; i < 3; i++) {
        int legs_before = tr.count[EWS_TRACE_REQUEST_HEADERS];
        ews_http_response r = { 0 };
        int rc = ews_transport_post(t, &req, &r, &err);
        if (rc)
            fail_msg("%s", err.pub.message);
        if (r.status != 200)
            fail_msg("status %ld, offers %s", r.status, r.www_authenticate);
        assert_string_equal(r.body.data, "<ok/>\n");
        int legs = tr.count[EWS_TRACE_REQUEST_HEADERS] - legs_before;
        /* SPNEGO/NTLM takes two legs; the connection then stays authenticated */
        assert_int_equal(legs, i == 0 ? 2 : 1);
        ews_http_response_free(&r);
    }
    ews_transport_free(t);
    assert_true(ts_contains_n(tr.all.data, tr.all.len, "Authorization: Negotiate ***"));
    /* the server's final token (mutual authentication) was accepted */
    assert_false(ts_contains_n(tr.all.data, tr.all.len, "ews: Negotiate (GSSAPI): "));
    ews_buf_free(&tr.all);
    ews_err_free(&err);
}

static void test_gssapi_wrong_password(void **state)
{
    (void)state;
    skip_without_gssapi();
    ews_client_options cfg;
    nego_config(&cfg, EWS_GSS_GSSAPI, CANARY_PASSWORD);
    tt_trace tr = { EWS_BUF_INIT, { 0 } };
    cfg.trace = tt_trace_collect;
    cfg.trace_userdata = &tr;
    ews_http_request req = tt_request();
    ews_http_response r = { 0 };
    ews_err err;
    ews_err_init(&err);
    int rc = tt_post(&cfg, &req, &r, &err);
    if (rc)
        fail_msg("%s", err.pub.message);
    assert_int_equal(r.status, 401);
    assert_non_null(r.www_authenticate);
    assert_non_null(strstr(r.www_authenticate, "Negotiate"));
    assert_false(ts_contains_n(tr.all.data, tr.all.len, CANARY_PASSWORD));
    ews_buf_free(&tr.all);
    ews_http_response_free(&r);
    ews_err_free(&err);
}

static void test_auto_picks_negotiate(void **state)
{
    (void)state;
    skip_without_gssapi();
    ews_client_options cfg;
    nego_config(&cfg, EWS_GSS_AUTO, PASSWORD);
    cfg.auth = EWS_AUTH_AUTO;
    assert_int_equal(tt_post_status(&cfg), 200);
}

/* Default credentials (no password given): gss-ntlmssp takes them from
 * NTLM_USER_FILE, through libcurl's SPNEGO or ours. */
static void default_credentials(ews_gss_provider provider)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/client-users", dir);
    const char *files[] = { "CONTOSO:alice:" PASSWORD "\n", "CONTOSO:alice:wrong\n" };
    const long want[] = { 200, 401 };
    for (int i = 0; i < 2; i++) {
        FILE *f = fopen(path, "w");
        assert_non_null(f);
        fputs(files[i], f);
        fclose(f);
        setenv("NTLM_USER_FILE", path, 1);
        ews_client_options cfg;
        nego_config(&cfg, provider, NULL);
        ews_http_request req = tt_request();
        ews_http_response r = { 0 };
        ews_err err;
        ews_err_init(&err);
        int rc = tt_post(&cfg, &req, &r, &err);
        unsetenv("NTLM_USER_FILE");
        if (rc)
            fail_msg("%s", err.pub.message);
        assert_int_equal(r.status, want[i]);
        ews_http_response_free(&r);
        ews_err_free(&err);
    }
}

static void test_curl_default_credentials(void **state)
{
    (void)state;
    skip_without_gssapi();
    if (!(curl_version_info(CURLVERSION_NOW)->features & CURL_VERSION_SPNEGO)) {
        print_message("skipped: this libcurl has no SPNEGO\n");
        skip();
    }
    default_credentials(EWS_GSS_CURL);
}

static void test_gssapi_default_credentials(void **state)
{
    (void)state;
    skip_without_gssapi();
    default_credentials(EWS_GSS_GSSAPI);
}

int main(void)
{
    tt_init();
    dir = ts_tempdir();
    if (!dir)
        return 1;
    char users[4096];
    snprintf(users, sizeof users, "%s/users", dir);
    FILE *f = fopen(users, "w");
    if (!f)
        return 1;
    fputs("CONTOSO:alice:" PASSWORD "\n", f);
    fclose(f);
    const char *args[] = { "--dir", dir, "--user-file", users, NULL };
    int rc = ts_server_start(&srv, TT_SERVERS "/apache_negotiate.py", args);
    if (rc) {
        ts_rmtree(dir);
        return rc == TS_SKIP ? TS_SKIP : 1;
    }
    snprintf(url, sizeof url, "%s",
             tt_url("http", "127.0.0.1", ts_server_port(&srv, "main"), "/EWS/Exchange.asmx"));
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gssapi_with_password),
        cmocka_unit_test(test_gssapi_wrong_password),
        cmocka_unit_test(test_auto_picks_negotiate),
        cmocka_unit_test(test_curl_default_credentials),
        cmocka_unit_test(test_gssapi_default_credentials),
    };
    rc = cmocka_run_group_tests(tests, NULL, NULL);
    ts_server_stop(&srv);
    ts_rmtree(dir);
    curl_global_cleanup();
    return rc;
}
