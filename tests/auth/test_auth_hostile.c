/* Hostile authentication answers through the public API over loopback:
 * NTLM challenges and SPNEGO replies that are malformed (issue 11 item 2:
 * an empty TargetName killed the process inside gss-ntlmssp), a server
 * that never stops challenging libcurl's NTLM (item 8), and server faults
 * that were reported as local ones (item 9). Each ends in a typed error
 * naming the cause, after a bounded number of requests.
 *
 * The servers are tests/support/loopback_server.py in script mode, over
 * https with the PKI of tests/transport/servers/mkcerts.py (channel
 * binding on, its default), with scripts from challenges.py. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <curl/curl.h>

#include <ews/ews.h>

#include "ts_process.h"
#include "ts_scripted.h"
#include "ts_tempdir.h"
#include "http/gss.h"

#define USER "CONTOSO\\alice"
#define PASSWORD "Canary-AuthPw-93f"
#define PYTHON "python3"

static char *pki; /* mkcerts.py output, made once */

typedef ts_scripted server;

static void start_script(server *s, const char *script_json, int tls)
{
    if (!tls) {
        assert_int_equal(ts_scripted_start(s, script_json), 0);
        return;
    }
    char *cert = ts_join(pki, "good.pem"), *key = ts_join(pki, "good.key");
    assert_int_equal(ts_scripted_start_tls(s, script_json, cert, key, "localhost"), 0);
    free(cert);
    free(key);
}

/* A server answering every request with 401 "scheme <token of kind>". */
static void start_challenger(server *s, const char *kind, const char *scheme, int tls)
{
    char *dir = ts_tempdir();
    assert_non_null(dir);
    char cmd[1024];
    snprintf(cmd, sizeof cmd, PYTHON " '%s/tests/auth/challenges.py' script %s %s > '%s/s.json'",
             EWS_SOURCE_DIR, kind, scheme, dir);
    assert_int_equal(system(cmd), 0);
    char *path = ts_join(dir, "s.json");
    char *json = ts_read_text(path, NULL);
    assert_non_null(json);
    start_script(s, json, tls);
    free(json);
    free(path);
    ts_rmtree(dir);
}

static void start_raw(server *s, const char *script_json)
{
    start_script(s, script_json, 0);
}

static int requests(const server *s)
{
    return ts_scripted_requests(s);
}

static ews_client_options options(const server *s, ews_auth_method auth)
{
    static char cafile[300];
    snprintf(cafile, sizeof cafile, "%s/ca.pem", pki);
    ews_client_options o = EWS_CLIENT_OPTIONS_INIT;
    o.url = s->url;
    o.auth = auth;
    o.username = USER;
    o.password = PASSWORD;
    o.retry.max_attempts = 1;
    o.timeout_ms = 30000;
    if (strncmp(s->url, "https:", 6) == 0) {
        o.cafile = cafile;
    } else {
        o.allow_insecure_http = 1;
        o.allow_credentials_over_http = auth != EWS_AUTH_NONE;
    }
    return o;
}

/* One GetImItemList call: it must fail with code and a message that says
 * what; at most max_requests reach the server. */
static void expect(const server *s, const ews_client_options *o, int code, const char *says,
                   int max_requests)
{
    ews_client *c = NULL;
    assert_int_equal(ews_client_new(&c, o), 0);
    ews_imlist *list = NULL;
    int rc = ews_get_im_item_list(&list, c, NULL);
    const ews_error *e = ews_client_last_error(c);
    print_message("%s: %s\n", ews_err_name(rc), e->message);
    assert_null(list);
    assert_int_equal(rc, code);
    assert_int_equal(e->code, code);
    assert_non_null(strstr(e->message, says));
    assert_null(strstr(e->message, PASSWORD));
    int n = requests(s);
    print_message("%d request(s)\n", n);
    assert_in_range(n, 1, max_requests);
    ews_client_free(c);
}

static void need_gss_ntlm(void)
{
    const char *why;
    if (!ews_gss_available(EWS_GSS_MECH_NTLM, &why)) {
        print_message("skipped: %s\n", why);
        skip();
    }
}

static void need_curl_ntlm(void)
{
    if (!(curl_version_info(CURLVERSION_NOW)->features & CURL_VERSION_NTLM)) {
        print_message("skipped: this libcurl has no NTLM\n");
        skip();
    }
}

/* ---- item 2: malformed tokens never reach the mechanism ------------------- */

static void empty_target(ews_auth_method auth, const char *scheme, int max_requests)
{
    need_gss_ntlm();
    server s;
    start_challenger(&s, "empty-target", scheme, 1);
    ews_client_options o = options(&s, auth);
    expect(&s, &o, EWS_EAUTH, "TargetName is empty", max_requests);
    ts_scripted_stop(&s);
}

static void test_ntlm_empty_target(void **state)
{
    (void)state;
    empty_target(EWS_AUTH_NTLM, "NTLM", 1); /* NEGOTIATE, then the refused challenge */
}

static void test_negotiate_empty_target(void **state)
{
    (void)state;
    /* a request to bind to, then SPNEGO's first token */
    empty_target(EWS_AUTH_NEGOTIATE, "Negotiate", 2);
}

static void test_auto_empty_target(void **state)
{
    (void)state;
    empty_target(EWS_AUTH_AUTO, "NTLM", 2);
}

static void test_ntlm_target_info_without_eol(void **state)
{
    (void)state;
    need_gss_ntlm();
    server s;
    start_challenger(&s, "no-eol", "NTLM", 1);
    ews_client_options o = options(&s, EWS_AUTH_NTLM);
    expect(&s, &o, EWS_EAUTH, "does not end with MsvAvEOL", 1);
    ts_scripted_stop(&s);
}

static void test_ntlm_name_outside_message(void **state)
{
    (void)state;
    need_gss_ntlm();
    server s;
    start_challenger(&s, "name-outside", "NTLM", 1);
    ews_client_options o = options(&s, EWS_AUTH_NTLM);
    expect(&s, &o, EWS_EAUTH, "TargetName lies outside the message", 1);
    ts_scripted_stop(&s);
}

/* ---- item 9: a large target-info block is the server's fault ------------- */

static void test_gssapi_big_target_info(void **state)
{
    (void)state;
    need_gss_ntlm();
    server s;
    start_challenger(&s, "big-info", "NTLM", 1);
    ews_client_options o = options(&s, EWS_AUTH_NTLM);
    expect(&s, &o, EWS_EAUTH, "challenge is too large", 1);
    ts_scripted_stop(&s);
}

/* Was EWS_ENOMEM "out of memory" from libcurl's NTLM. */
static void test_curl_big_target_info(void **state)
{
    (void)state;
    need_curl_ntlm();
    server s;
    start_challenger(&s, "big-info", "NTLM", 0);
    ews_client_options o = options(&s, EWS_AUTH_NTLM);
    o.gss_provider = EWS_GSS_CURL;
    expect(&s, &o, EWS_EAUTH, "challenge is too large", 1);
    ts_scripted_stop(&s);
}

/* Well-formed, but libcurl's NTLM cannot answer it (it said "out of
 * memory", and leaked): refused before libcurl tries. */
static void test_curl_target_info_beyond_curl(void **state)
{
    (void)state;
    need_curl_ntlm();
    server s;
    start_challenger(&s, "mid-info", "NTLM", 0);
    ews_client_options o = options(&s, EWS_AUTH_NTLM);
    o.gss_provider = EWS_GSS_CURL;
    expect(&s, &o, EWS_EAUTH, "libcurl's NTLM can answer at most 888", 1);
    ts_scripted_stop(&s);
}

/* ---- item 8: libcurl's NTLM against a server that never stops ------------ */

/* Was about 900 AUTHENTICATE requests, each with the body, then
 * EWS_ETRANSPORT when libcurl's header total ran out. */
static void test_curl_endless_challenges(void **state)
{
    (void)state;
    need_curl_ntlm();
    server s;
    start_challenger(&s, "valid", "NTLM", 0);
    ews_client_options o = options(&s, EWS_AUTH_NTLM);
    o.gss_provider = EWS_GSS_CURL;
    expect(&s, &o, EWS_EAUTH, "went on asking", 4);
    ts_scripted_stop(&s);
}

/* ---- item 9: answers that are not HTTP/1.x ---------------------------------- */

/* Were EWS_EINVAL "libcurl refused the URL". */
static void test_http09_answer(void **state)
{
    (void)state;
    server s;
    start_raw(&s, "[{\"raw\": \"<html>not a status line</html>\\n\"}]");
    ews_client_options o = options(&s, EWS_AUTH_NONE);
    expect(&s, &o, EWS_ETRANSPORT, "is not HTTP/1.x", 1);
    ts_scripted_stop(&s);
}

static void test_absurd_status(void **state)
{
    (void)state;
    server s;
    start_raw(&s, "[{\"status\": 9999}]");
    ews_client_options o = options(&s, EWS_AUTH_NONE);
    expect(&s, &o, EWS_ETRANSPORT, "is not HTTP/1.x", 1);
    ts_scripted_stop(&s);
}

static int make_pki(void **state)
{
    (void)state;
    if (!(pki = ts_tempdir()))
        return -1;
    return ts_run_script(EWS_SOURCE_DIR "/tests/transport/servers/mkcerts.py", pki) ? -1 : 0;
}

static int remove_pki(void **state)
{
    (void)state;
    ts_rmtree(pki);
    pki = NULL;
    return 0;
}

int main(void)
{
    ts_no_proxy();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ntlm_empty_target),
        cmocka_unit_test(test_negotiate_empty_target),
        cmocka_unit_test(test_auto_empty_target),
        cmocka_unit_test(test_ntlm_target_info_without_eol),
        cmocka_unit_test(test_ntlm_name_outside_message),
        cmocka_unit_test(test_gssapi_big_target_info),
        cmocka_unit_test(test_curl_big_target_info),
        cmocka_unit_test(test_curl_target_info_beyond_curl),
        cmocka_unit_test(test_curl_endless_challenges),
        cmocka_unit_test(test_http09_answer),
        cmocka_unit_test(test_absurd_status),
    };
    return cmocka_run_group_tests(tests, make_pki, remove_pki);
}
