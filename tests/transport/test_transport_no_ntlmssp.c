/* A machine without gss-ntlmssp: the GSSAPI NTLM provider is refused at
 * creation with a message that says what to install. The mechanism list is
 * emptied for this process through MIT krb5's GSS_MECH_CONFIG. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <curl/curl.h>

#include "support.h"
#include "http/gss.h"

static int make(ews_gss_provider provider, ews_err *err)
{
    ews_client_options cfg;
    tt_config_init(&cfg, "https://mail.contoso.example/EWS/Exchange.asmx");
    cfg.auth = EWS_AUTH_NTLM;
    cfg.gss_provider = provider;
    cfg.username = "CONTOSO\\alice";
    cfg.password = "Secret123";
    ews_transport *t = NULL;
    ews_err_reset(err);
    int rc = ews_transport_new(&t, &cfg, err);
    ews_transport_free(t);
    return rc;
}

static void test_gssapi_ntlm_needs_gss_ntlmssp(void **state)
{
    (void)state;
    const char *why = NULL;
    assert_false(ews_gss_available(EWS_GSS_MECH_NTLM, &why));
    assert_non_null(strstr(why, "gss-ntlmssp"));

    ews_err err;
    ews_err_init(&err);
    assert_int_equal(make(EWS_GSS_GSSAPI, &err), EWS_ENOTSUP);
    assert_non_null(strstr(err.pub.message, "install gss-ntlmssp"));
    if (curl_version_info(CURLVERSION_NOW)->features & CURL_VERSION_NTLM) {
        assert_int_equal(make(EWS_GSS_AUTO, &err), 0); /* libcurl's NTLM stands in */
    } else {
        assert_int_equal(make(EWS_GSS_AUTO, &err), EWS_ENOTSUP);
        assert_non_null(strstr(err.pub.message, "install gss-ntlmssp"));
    }
    ews_err_free(&err);
}

int main(void)
{
    /* Before the first GSSAPI call: the mechanism list is read once. */
    setenv("GSS_MECH_CONFIG", "/dev/null", 1);
    tt_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gssapi_ntlm_needs_gss_ntlmssp),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    curl_global_cleanup();
    return rc;
}
