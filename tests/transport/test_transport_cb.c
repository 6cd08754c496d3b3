/* TLS channel binding (Extended Protection for Authentication) against an
 * acceptor that enforces it: servers/cb_acceptor.py, gss-ntlmssp behind
 * python3-gssapi on 127.0.0.1, given the tls-server-end-point binding of
 * its own certificate, refusing NTLM / Negotiate without that binding.
 * The acceptor's counters say what each AUTHENTICATE message carried, so
 * the cases check what went over the wire, not just the status. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <curl/curl.h>

#include "ews/ews.h"
#include "support.h"
#include "http/gss.h"
#include "http/channel_binding.h"

#define DOMAIN_USER "CONTOSO\\alice"
#define PASSWORD "Secret123"
#define CANARY_PASSWORD "Canary-CbPw-5e1"
#define KRB_USER "alice@EWS.TEST"
#define KRB_PASSWORD "Krb-Secret-77"

static ts_server srv;
static char *pki;
static char cafile[4096];
static char krb5_conf[4096];
static char url_buf[512];

static const char *url(const char *listener)
{
    const char *scheme = strcmp(listener, "http") == 0 ? "http" : "https";
    snprintf(url_buf, sizeof url_buf, "%s",
             tt_url(scheme, "127.0.0.1", ts_server_port(&srv, listener), "/EWS/Exchange.asmx"));
    return url_buf;
}

static long counter(const char *listener, const char *name)
{
    long v = tt_server_stat(&srv, "ctl", listener, name);
    assert_true(v >= 0);
    return v;
}

static void config(ews_client_options *cfg, const char *listener, ews_auth_method auth,
                   ews_gss_provider provider, const char *password, ews_channel_binding cb)
{
    tt_config_init(cfg, url(listener));
    cfg->allow_insecure_http = strcmp(listener, "http") == 0;
    cfg->allow_credentials_over_http = cfg->allow_insecure_http;
    cfg->cafile = cafile;
    cfg->auth = auth;
    cfg->gss_provider = provider;
    cfg->username = password ? DOMAIN_USER : NULL;
    cfg->password = password;
    cfg->channel_binding = cb;
}

/* One POST through a new transport; the status, with the trace kept. */
static long post(const ews_client_options *c, tt_trace *tr)
{
    ews_client_options cfg = *c;
    cfg.trace = tt_trace_collect;
    cfg.trace_userdata = tr;
    return tt_post_status(&cfg);
}

static int traced(const tt_trace *tr, const char *text)
{
    return ts_contains_n(tr->all.data, tr->all.len, text);
}

static void skip_without_gssapi(void)
{
    const char *why;
    if (!ews_gss_available(EWS_GSS_MECH_SPNEGO, &why) ||
        !ews_gss_available(EWS_GSS_MECH_NTLM, &why) || !ews_tls_cb_supported(&why)) {
        print_message("skipped: %s\n", why);
        skip();
    }
}

/* ---- bound authentication succeeds --------------------------------------- */

/* Three requests on one transport: the handshake, then the connection
 * stays authenticated. The acceptor saw one AUTHENTICATE message, bound. */
static void bound_three_times(ews_auth_method auth, const char *listener, const char *hash,
                              int first_requests)
{
    ews_client_options cfg;
    config(&cfg, listener, auth, EWS_GSS_GSSAPI, PASSWORD, EWS_CHANNEL_BINDING_AUTO);
    tt_trace tr = { EWS_BUF_INIT, { 0 } };
    cfg.trace = tt_trace_collect;
    cfg.trace_userdata = &tr;
    long bound = counter(listener, "bound"), ok = counter(listener, "ok");
    ews_transport *t;
    ews_err err;
    ews_err_init(&err);
    assert_int_equal(ews_transport_new(&t, &cfg, &err), 0);
    ews_http_request req = tt_request();
    for (int i = 0; i < 3; i++) {
        int before = tr.count[EWS_TRACE_REQUEST_HEADERS];
        ews_http_response r = { 0 };
        if (ews_transport_post(t, &req, &r, &err))
            fail_msg("%s", err.pub.message);
        if (r.status != 200)
            fail_msg("request %d: status %ld", i, r.status);
        assert_int_equal(tr.count[EWS_TRACE_REQUEST_HEADERS] - before,
                         i == 0 ? first_requests : 1);
        ews_http_response_free(&r);
    }
    ews_transport_free(t);
    assert_int_equal(counter(listener, "bound"), bound + 1);
    assert_int_equal(counter(listener, "ok"), ok + 1);
    char line[128];
    snprintf(line, sizeof line, "channel binding tls-server-end-point (%s)", hash);
    assert_true(traced(&tr, line));
    assert_false(traced(&tr, PASSWORD));
    ews_buf_free(&tr.all);
    ews_err_free(&err);
}

static void test_ntlm_bound(void **state)
{
    (void)state;
    skip_without_gssapi();
    bound_three_times(EWS_AUTH_NTLM, "https", "SHA256", 2);
}

/* Kerberos would bind its first token, so SPNEGO waits for a connection:
 * the first request goes out once unauthenticated, then two legs. */
static void test_negotiate_bound(void **state)
{
    (void)state;
    skip_without_gssapi();
    bound_three_times(EWS_AUTH_NEGOTIATE, "https", "SHA256", 3);
}

/* RFC 5929: the hash is the certificate signature's (SHA-384 here); the
 * acceptor computes it on its own from the DER. */
static void test_signature_hash_sha384(void **state)
{
    (void)state;
    skip_without_gssapi();
    bound_three_times(EWS_AUTH_NTLM, "https384", "SHA384", 2);
    bound_three_times(EWS_AUTH_NEGOTIATE, "https384", "SHA384", 3);
}

/* The default provider takes GSSAPI over https because only it binds
 * (libcurl's NTLM would get 401 here); so does AUTO's choice of offer. */
static void test_default_provider_binds(void **state)
{
    (void)state;
    skip_without_gssapi();
    const ews_auth_method methods[] = { EWS_AUTH_NTLM, EWS_AUTH_NEGOTIATE, EWS_AUTH_AUTO };
    for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++) {
        ews_client_options cfg;
        config(&cfg, "https", methods[i], EWS_GSS_AUTO, PASSWORD, EWS_CHANNEL_BINDING_AUTO);
        tt_trace tr = { EWS_BUF_INIT, { 0 } };
        long bound = counter("https", "bound");
        assert_int_equal(post(&cfg, &tr), 200);
        assert_int_equal(counter("https", "bound"), bound + 1);
        assert_true(traced(&tr, "(GSSAPI): channel binding tls-server-end-point (SHA256)"));
        ews_buf_free(&tr.all);
    }
}

/* REQUIRE against the enforcing acceptor works like AUTO. */
static void test_require_bound(void **state)
{
    (void)state;
    skip_without_gssapi();
    ews_client_options cfg;
    config(&cfg, "https", EWS_AUTH_NTLM, EWS_GSS_AUTO, PASSWORD, EWS_CHANNEL_BINDING_REQUIRE);
    tt_trace tr = { EWS_BUF_INIT, { 0 } };
    assert_int_equal(post(&cfg, &tr), 200);
    ews_buf_free(&tr.all);
}

/* ---- unbound or wrongly bound authentication fails ----------------------- */

/* Binding off: the same credentials get 401, refused by the acceptor for
 * the missing binding. */
static void test_binding_off_refused(void **state)
{
    (void)state;
    skip_without_gssapi();
    const ews_auth_method methods[] = { EWS_AUTH_NTLM, EWS_AUTH_NEGOTIATE };
    for (size_t i = 0; i < 2; i++) {
        ews_client_options cfg;
        config(&cfg, "https", methods[i], EWS_GSS_GSSAPI, PASSWORD, EWS_CHANNEL_BINDING_OFF);
        tt_trace tr = { EWS_BUF_INIT, { 0 } };
        long unbound = counter("https", "unbound"), refused = counter("https", "refused_unbound");
        assert_int_equal(post(&cfg, &tr), 401);
        assert_int_equal(counter("https", "unbound"), unbound + 1);
        assert_int_equal(counter("https", "refused_unbound"), refused + 1);
        assert_false(traced(&tr, "channel binding tls-server-end-point"));
        ews_buf_free(&tr.all);
    }
}

/* The binding of another certificate (what a client behind a man in the
 * middle would send) is refused by gss-ntlmssp itself. */
static void test_wrong_binding_refused(void **state)
{
    (void)state;
    skip_without_gssapi();
    const ews_auth_method methods[] = { EWS_AUTH_NTLM, EWS_AUTH_NEGOTIATE };
    for (size_t i = 0; i < 2; i++) {
        ews_client_options cfg;
        config(&cfg, "wrongcb", methods[i], EWS_GSS_GSSAPI, PASSWORD,
               EWS_CHANNEL_BINDING_AUTO);
        tt_trace tr = { EWS_BUF_INIT, { 0 } };
        long bound = counter("wrongcb", "bound"), rejected = counter("wrongcb", "rejected");
        assert_int_equal(post(&cfg, &tr), 401);
        assert_int_equal(counter("wrongcb", "bound"), bound + 1);
        assert_int_equal(counter("wrongcb", "rejected"), rejected + 1);
        assert_int_equal(counter("wrongcb", "ok"), 0);
        ews_buf_free(&tr.all);
    }
}

static void test_wrong_password(void **state)
{
    (void)state;
    skip_without_gssapi();
    const ews_auth_method methods[] = { EWS_AUTH_NTLM, EWS_AUTH_NEGOTIATE };
    for (size_t i = 0; i < 2; i++) {
        ews_client_options cfg;
        config(&cfg, "https", methods[i], EWS_GSS_GSSAPI, CANARY_PASSWORD,
               EWS_CHANNEL_BINDING_AUTO);
        tt_trace tr = { EWS_BUF_INIT, { 0 } };
        long bound = counter("https", "bound"), rejected = counter("https", "rejected");
        assert_int_equal(post(&cfg, &tr), 401);
        /* bound, and refused for the password */
        assert_int_equal(counter("https", "bound"), bound + 1);
        assert_int_equal(counter("https", "rejected"), rejected + 1);
        assert_false(traced(&tr, CANARY_PASSWORD));
        ews_buf_free(&tr.all);
    }
}

/* ---- plain http ------------------------------------------------------------ */

static void test_plain_http_unbound(void **state)
{
    (void)state;
    skip_without_gssapi();
    const ews_auth_method methods[] = { EWS_AUTH_NTLM, EWS_AUTH_NEGOTIATE };
    for (size_t i = 0; i < 2; i++) {
        ews_client_options cfg;
        config(&cfg, "http", methods[i], EWS_GSS_GSSAPI, PASSWORD, EWS_CHANNEL_BINDING_AUTO);
        tt_trace tr = { EWS_BUF_INIT, { 0 } };
        long unbound = counter("http", "unbound");
        assert_int_equal(post(&cfg, &tr), 200);
        assert_int_equal(counter("http", "unbound"), unbound + 1);
        assert_int_equal(counter("http", "bound"), 0);
        assert_false(traced(&tr, "channel binding"));
        ews_buf_free(&tr.all);
    }
    /* Nothing to bind to: requiring it is a configuration error. */
    ews_client_options cfg;
    config(&cfg, "http", EWS_AUTH_NTLM, EWS_GSS_GSSAPI, PASSWORD, EWS_CHANNEL_BINDING_REQUIRE);
    ews_transport *t = NULL;
    ews_err err;
    ews_err_init(&err);
    assert_int_equal(ews_transport_new(&t, &cfg, &err), EWS_ECONFIG);
    assert_non_null(strstr(err.pub.message, "http://"));
    assert_null(t);
    ews_err_free(&err);
}

/* ---- options -------------------------------------------------------------- */

/* REQUIRE where only libcurl could authenticate: a typed error at creation,
 * never unbound credentials. */
static void test_require_refuses_libcurl(void **state)
{
    (void)state;
    ews_client_options cfg;
    ews_err err;
    ews_err_init(&err);
    const ews_auth_method methods[] = { EWS_AUTH_NTLM, EWS_AUTH_NEGOTIATE };
    for (size_t i = 0; i < 2; i++) {
        config(&cfg, "https", methods[i], EWS_GSS_CURL,
               methods[i] == EWS_AUTH_NTLM ? PASSWORD : NULL, EWS_CHANNEL_BINDING_REQUIRE);
        ews_transport *t = NULL;
        ews_err_reset(&err);
        assert_int_equal(ews_transport_new(&t, &cfg, &err), EWS_ENOTSUP);
        assert_null(t);
        assert_non_null(strstr(err.pub.message, "channel binding is required"));
        assert_non_null(strstr(err.pub.message, "libcurl"));
        cfg.channel_binding = EWS_CHANNEL_BINDING_AUTO; /* unbound, as asked */
        if ((methods[i] == EWS_AUTH_NTLM &&
             (curl_version_info(CURLVERSION_NOW)->features & CURL_VERSION_NTLM)) ||
            (methods[i] == EWS_AUTH_NEGOTIATE &&
             (curl_version_info(CURLVERSION_NOW)->features & CURL_VERSION_SPNEGO))) {
            assert_int_equal(ews_transport_new(&t, &cfg, &err), 0);
            ews_transport_free(t);
        }
    }
    cfg.channel_binding = (ews_channel_binding)7;
    assert_int_equal(ews_transport_new(&(ews_transport *){ NULL }, &cfg, &err), EWS_EINVAL);
    ews_err_free(&err);
}

/* Through the public API: a GetImItemList call with the binding parses the
 * served list; without it the 401 is EWS_EAUTH, category auth. */
static void test_client_calls(void **state)
{
    (void)state;
    skip_without_gssapi();
    const ews_channel_binding modes[] = { EWS_CHANNEL_BINDING_AUTO, EWS_CHANNEL_BINDING_OFF };
    for (size_t i = 0; i < 2; i++) {
        ews_client_options o = EWS_CLIENT_OPTIONS_INIT;
        o.url = url("https");
        o.auth = EWS_AUTH_NTLM;
        o.gss_provider = EWS_GSS_GSSAPI;
        o.username = DOMAIN_USER;
        o.password = PASSWORD;
        o.cafile = cafile;
        o.channel_binding = modes[i];
        o.retry.max_attempts = 1;
        ews_client *c = NULL;
        assert_int_equal(ews_client_new(&c, &o), 0);
        ews_imlist *list = NULL;
        int rc = ews_get_im_item_list(&list, c, NULL);
        const ews_error *e = ews_client_last_error(c);
        if (modes[i] == EWS_CHANNEL_BINDING_AUTO) {
            if (rc)
                fail_msg("%s", e->message);
            assert_non_null(list);
            assert_true(ews_imlist_group_count(list) > 0);
        } else {
            assert_int_equal(rc, EWS_EAUTH);
            assert_int_equal(e->code, EWS_EAUTH);
            assert_int_equal(e->category, EWS_CAT_AUTH);
            assert_int_equal(e->http_status, 401);
            assert_null(strstr(e->message, PASSWORD));
        }
        ews_imlist_free(list);
        ews_client_free(c);
    }
}

/* ---- Kerberos ----------------------------------------------------------------- */

/* A real Kerberos realm on loopback (the acceptor's krb5kdc): Kerberos
 * binds in SPNEGO's first token, so this is the case that needs the
 * binding before any challenge. The host name is localhost, the service
 * principal's. */
static void test_kerberos(void **state)
{
    (void)state;
    skip_without_gssapi();
    FILE *f = fopen(krb5_conf, "r");
    if (!f) {
        print_message("skipped: no Kerberos realm (install krb5-kdc and krb5-admin-server)\n");
        skip();
    }
    fclose(f);
    /* For this case only: the other cases' SPNEGO must not try the realm. */
    setenv("KRB5_CONFIG", krb5_conf, 1);
    setenv("KRB5CCNAME", "MEMORY:ews-transport-cb", 1);
    static const struct {
        const char *listener;
        const char *password;
        ews_channel_binding cb;
        long status;
        const char *counter; /* the acceptor counter that must grow */
    } cases[] = {
        { .listener = "https", .password = KRB_PASSWORD, .cb = EWS_CHANNEL_BINDING_AUTO,
          .status = 200, .counter = "bound" },
        { .listener = "https384", .password = KRB_PASSWORD, .cb = EWS_CHANNEL_BINDING_REQUIRE,
          .status = 200, .counter = "bound" },
        { .listener = "https", .password = KRB_PASSWORD, .cb = EWS_CHANNEL_BINDING_OFF,
          .status = 401, .counter = "refused_unbound" },
        { .listener = "wrongcb", .password = KRB_PASSWORD, .cb = EWS_CHANNEL_BINDING_AUTO,
          .status = 401, .counter = "rejected" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ews_client_options cfg;
        config(&cfg, cases[i].listener, EWS_AUTH_NEGOTIATE, EWS_GSS_GSSAPI, cases[i].password,
               cases[i].cb);
        snprintf(url_buf, sizeof url_buf, "%s",
                 tt_url("https", "localhost", ts_server_port(&srv, cases[i].listener),
                        "/EWS/Exchange.asmx"));
        cfg.url = url_buf;
        cfg.username = KRB_USER;
        tt_trace tr = { EWS_BUF_INIT, { 0 } };
        long before = counter(cases[i].listener, cases[i].counter);
        long krb = counter(cases[i].listener, "kerberos");
        long status = post(&cfg, &tr);
        if (status != cases[i].status)
            fail_msg("case %zu: status %ld", i, status);
        assert_int_equal(counter(cases[i].listener, cases[i].counter), before + 1);
        /* Kerberos itself, not NTLM inside SPNEGO (a mismatch fails before
         * the handshake completes) */
        if (strcmp(cases[i].counter, "rejected") != 0)
            assert_int_equal(counter(cases[i].listener, "kerberos"), krb + 1);
        assert_false(traced(&tr, KRB_PASSWORD));
        /* the server's mutual-authentication token was accepted */
        if (status == 200)
            assert_false(traced(&tr, "ews: Negotiate (GSSAPI): Negotiate"));
        ews_buf_free(&tr.all);
    }
    unsetenv("KRB5_CONFIG");
    unsetenv("KRB5CCNAME");
}

/* Version 2 of the options added channel_binding at the end: a version-1
 * caller's struct is shorter, so neither call may touch that member. */
static void test_options_version_1(void **state)
{
    (void)state;
    union {
        ews_client_options o;
        unsigned char bytes[sizeof(ews_client_options)];
    } u;
    memset(u.bytes, 0xAB, sizeof u.bytes);
    assert_int_equal(ews_client_options_init(&u.o, 1), 0);
    size_t v1 = offsetof(ews_client_options, channel_binding);
    for (size_t i = v1; i < sizeof u.bytes; i++)
        assert_int_equal(u.bytes[i], 0xAB);
    assert_int_equal(u.o.version, 1);
    ews_client *c = NULL;
    assert_int_equal(ews_client_new(&c, &u.o), 0); /* the 0xAB tail is not read */
    ews_client_free(c);

    ews_client_options o;
    assert_int_equal(ews_client_options_init(&o, EWS_CLIENT_OPTIONS_VERSION), 0);
    assert_int_equal(o.version, EWS_CLIENT_OPTIONS_VERSION);
    assert_int_equal(o.channel_binding, EWS_CHANNEL_BINDING_AUTO);
    o.channel_binding = (ews_channel_binding)9;
    c = NULL;
    assert_int_equal(ews_client_new(&c, &o), EWS_EINVAL);
    ews_client_free(c);
    assert_int_equal(ews_client_options_init(&o, EWS_CLIENT_OPTIONS_VERSION + 1),
                     EWS_EOPTVERSION);
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
    char users[4096], response[4096];
    snprintf(users, sizeof users, "%s/users", pki);
    FILE *f = fopen(users, "w");
    if (!f)
        return 1;
    fputs("CONTOSO:alice:" PASSWORD "\n", f);
    fclose(f);
    snprintf(response, sizeof response, "%s/GetImItemList/reference-https/response.xml",
             EWS_FIXTURES_DIR);
    snprintf(krb5_conf, sizeof krb5_conf, "%s/krb/krb5.conf", pki);
    char krb_dir[4096];
    snprintf(krb_dir, sizeof krb_dir, "%s/krb", pki);
    const char *args[] = { "--pki", pki, "--user-file", users, "--response", response,
                           "--kerberos", krb_dir, "--krb-password", KRB_PASSWORD, NULL };
    rc = ts_server_start(&srv, TT_SERVERS "/cb_acceptor.py", args);
    if (rc) {
        ts_rmtree(pki);
        return rc == TS_SKIP ? TS_SKIP : 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ntlm_bound),
        cmocka_unit_test(test_negotiate_bound),
        cmocka_unit_test(test_signature_hash_sha384),
        cmocka_unit_test(test_default_provider_binds),
        cmocka_unit_test(test_require_bound),
        cmocka_unit_test(test_binding_off_refused),
        cmocka_unit_test(test_wrong_binding_refused),
        cmocka_unit_test(test_wrong_password),
        cmocka_unit_test(test_plain_http_unbound),
        cmocka_unit_test(test_require_refuses_libcurl),
        cmocka_unit_test(test_client_calls),
        cmocka_unit_test(test_kerberos),
        cmocka_unit_test(test_options_version_1),
    };
    rc = cmocka_run_group_tests(tests, NULL, NULL);
    ts_server_stop(&srv);
    ts_rmtree(pki);
    curl_global_cleanup();
    return rc;
}
