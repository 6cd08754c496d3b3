/* ews_transport_new's checks and the request checks that fail before any
 * byte is sent. No network. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <curl/curl.h>

#include "support.h"
#include "http/gss.h"

#define CANARY "Canary-Pw-7f3a9"

static int make(const ews_client_options *cfg, ews_err *err)
{
    ews_transport *t = NULL;
    ews_err_reset(err);
    int rc = ews_transport_new(&t, cfg, err);
    if (rc == 0)
        assert_non_null(t);
    else
        assert_null(t);
    ews_transport_free(t);
    return rc;
}

static void assert_message_has(const ews_err *err, const char *what)
{
    if (!strstr(err->pub.message, what))
        fail_msg("message \"%s\" lacks \"%s\"", err->pub.message, what);
    assert_null(strstr(err->pub.message, CANARY));
}

static void test_schemes(void **state)
{
    (void)state;
    ews_err err;
    ews_err_init(&err);
    ews_client_options cfg;
    tt_config_init(&cfg, "https://mail.contoso.example/EWS/Exchange.asmx");
    assert_int_equal(make(&cfg, &err), 0);

    cfg.url = "http://mail.contoso.example/EWS/Exchange.asmx";
    cfg.allow_insecure_http = 0;
    assert_int_equal(make(&cfg, &err), EWS_ECONFIG);
    assert_message_has(&err, "allow_insecure_http");
    cfg.allow_insecure_http = 1;
    assert_int_equal(make(&cfg, &err), 0);

    cfg.url = "ftp://mail.contoso.example/";
    assert_int_equal(make(&cfg, &err), EWS_EINVAL);
    assert_message_has(&err, "ftp");
    cfg.url = "mail.contoso.example/EWS";
    assert_int_equal(make(&cfg, &err), EWS_EINVAL);
    cfg.url = "https://";
    assert_int_equal(make(&cfg, &err), EWS_EINVAL);
    cfg.url = "https://alice:" CANARY "@mail.contoso.example/EWS/Exchange.asmx";
    assert_int_equal(make(&cfg, &err), EWS_ECONFIG);
    assert_message_has(&err, "credentials");
    ews_err_free(&err);
}

static void test_credentials_over_http(void **state)
{
    (void)state;
    ews_err err;
    ews_err_init(&err);
    ews_client_options cfg;
    tt_config_init(&cfg, "http://mail.contoso.example/EWS/Exchange.asmx");
    cfg.username = "CONTOSO\\alice";
    cfg.password = CANARY;
    const ews_auth_method methods[] = { EWS_AUTH_BASIC, EWS_AUTH_BEARER, EWS_AUTH_AUTO,
                                        EWS_AUTH_NTLM, EWS_AUTH_NEGOTIATE };
    for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++) {
        cfg.auth = methods[i];
        cfg.gss_provider = EWS_GSS_AUTO;
        assert_int_equal(make(&cfg, &err), EWS_ECONFIG);
        assert_message_has(&err, "allow_credentials_over_http");
    }
    cfg.allow_credentials_over_http = 1;
    cfg.auth = EWS_AUTH_BASIC;
    assert_int_equal(make(&cfg, &err), 0);
    cfg.auth = EWS_AUTH_BEARER;
    assert_int_equal(make(&cfg, &err), 0);
    ews_err_free(&err);
}

static void test_method_requirements(void **state)
{
    (void)state;
    ews_err err;
    ews_err_init(&err);
    ews_client_options cfg;
    tt_config_init(&cfg, "https://mail.contoso.example/EWS/Exchange.asmx");
    cfg.auth = EWS_AUTH_BASIC;
    cfg.username = "alice";
    assert_int_equal(make(&cfg, &err), EWS_ECONFIG);
    cfg.password = CANARY;
    assert_int_equal(make(&cfg, &err), 0);

    /* libcurl's Negotiate would silently ignore the password. */
    cfg.auth = EWS_AUTH_NEGOTIATE;
    cfg.gss_provider = EWS_GSS_CURL;
    assert_int_equal(make(&cfg, &err), EWS_ECONFIG);
    assert_message_has(&err, "password");

    const curl_version_info_data *v = curl_version_info(CURLVERSION_NOW);
    cfg.auth = EWS_AUTH_NTLM;
    cfg.gss_provider = EWS_GSS_CURL;
    if (v->features & CURL_VERSION_NTLM) {
        assert_int_equal(make(&cfg, &err), 0);
    } else {
        assert_int_equal(make(&cfg, &err), EWS_ENOTSUP);
        assert_message_has(&err, "gss-ntlmssp");
    }
    const char *why;
    cfg.gss_provider = EWS_GSS_GSSAPI;
    if (ews_gss_available(EWS_GSS_MECH_NTLM, &why)) {
        assert_int_equal(make(&cfg, &err), 0);
    } else {
        assert_int_equal(make(&cfg, &err), EWS_ENOTSUP);
        assert_message_has(&err, "gss-ntlmssp");
    }
    cfg.gss_provider = EWS_GSS_AUTO;
    int any_ntlm = (v->features & CURL_VERSION_NTLM) || ews_gss_available(EWS_GSS_MECH_NTLM, &why);
    assert_int_equal(make(&cfg, &err), any_ntlm ? 0 : EWS_ENOTSUP);

    cfg.auth = (ews_auth_method)42;
    assert_int_equal(make(&cfg, &err), EWS_EINVAL);
    cfg.auth = EWS_AUTH_NONE;
    cfg.gss_provider = (ews_gss_provider)9;
    assert_int_equal(make(&cfg, &err), EWS_EINVAL);
    cfg.gss_provider = EWS_GSS_AUTO;
    cfg.timeout_ms = -1;
    assert_int_equal(make(&cfg, &err), EWS_EINVAL);
    cfg.timeout_ms = 0;
    cfg.user_agent = "ews\r\nX-Injected: 1";
    assert_int_equal(make(&cfg, &err), EWS_EINVAL);
    cfg.user_agent = NULL; /* the transport's own "ews-c/<version>" */
    assert_int_equal(make(&cfg, &err), 0);
    cfg.url = NULL;
    assert_int_equal(make(&cfg, &err), EWS_EINVAL);
    assert_int_equal(ews_transport_new(NULL, &cfg, &err), EWS_EINVAL);
    ews_transport_free(NULL);
    ews_err_free(&err);
}

/* Refused before anything is sent: the host does not exist. */
static void test_request_checks(void **state)
{
    (void)state;
    ews_err err;
    ews_err_init(&err);
    ews_client_options cfg;
    tt_config_init(&cfg, "https://mail.contoso.invalid/EWS/Exchange.asmx");
    cfg.auth = EWS_AUTH_BEARER;
    ews_transport *t = NULL;
    assert_int_equal(ews_transport_new(&t, &cfg, &err), 0);

    ews_http_request req = tt_request();
    ews_http_response resp = { 0 };
    assert_int_equal(ews_transport_post(t, &req, &resp, &err), EWS_EINVAL);
    assert_message_has(&err, "token");
    req.bearer_token = CANARY "\r\nX-Injected: 1";
    assert_int_equal(ews_transport_post(t, &req, &resp, &err), EWS_EINVAL);
    assert_message_has(&err, "token");
    req.bearer_token = CANARY;
    req.soap_action = "urn:x\r\nX-Injected: 1";
    assert_int_equal(ews_transport_post(t, &req, &resp, &err), EWS_EINVAL);
    assert_message_has(&err, "SOAPAction");
    req = tt_request();
    req.bearer_token = CANARY;
    req.body = NULL;
    assert_int_equal(ews_transport_post(t, &req, &resp, &err), EWS_EINVAL);
    assert_int_equal(resp.retry_after_ms, -1);
    ews_http_response_free(&resp);
    ews_transport_free(t);
    ews_err_free(&err);
}

int main(void)
{
    tt_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_schemes),
        cmocka_unit_test(test_credentials_over_http),
        cmocka_unit_test(test_method_requirements),
        cmocka_unit_test(test_request_checks),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    curl_global_cleanup();
    return rc;
}
