/* ews_autodiscover() over real HTTPS and HTTP on loopback.
 *
 * The loopback server in autodiscover mode (tests/support/loopback/
 * autodiscover.py) answers for every host name by its Host header; connect_to sends port 443 of any name to its TLS listener and
 * port 80 to its plain one, so the library asks for https://first.test/...
 * exactly as it would on the Internet, TLS verified against the name (the
 * test CA's certificate covers *.test and the names under it). The server
 * logs every request it gets: what the library must never ask for is
 * checked there, not in the library's own account of what it did. The SRV
 * step goes through the dns_query hook, which answers with a real DNS
 * message built here. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/nameser.h>
#include <cmocka.h>
#include <curl/curl.h>

#include "autodiscover/pox.h"
#include "ews/ews.h"
#include "support.h"

#define USER "alice"
#define PASSWORD "Secret123"

static char *pki;
static char cafile[4096], logfile[4096];
static ts_server srv;
static long tls_port, http_port;
static char map443[64], map80[64];
static const char *connect_to[3];

/* What each host name answers: servers/autodiscover_scenario.json. */
#define SCENARIO EWS_SOURCE_DIR "/tests/transport/servers/autodiscover_scenario.json"

/* ---- the server's log ----------------------------------------------------- */

static char *read_log(void)
{
    FILE *f = fopen(logfile, "r");
    if (!f)
        return strdup("");
    ews_buf b = EWS_BUF_INIT;
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        assert_int_equal(ews_buf_append(&b, chunk, n), 0);
    fclose(f);
    return b.data ? ews_buf_detach(&b, NULL) : strdup("");
}

/* Requests in the log with these fields (NULL / -1: any). */
static int logged(const char *scheme, const char *host, const char *method, int auth)
{
    char *log = read_log();
    int count = 0;
    char want[4][200];
    snprintf(want[0], sizeof want[0], "\"scheme\": \"%s\"", scheme ? scheme : "");
    snprintf(want[1], sizeof want[1], "\"host\": \"%s\"", host ? host : "");
    snprintf(want[2], sizeof want[2], "\"method\": \"%s\"", method ? method : "");
    snprintf(want[3], sizeof want[3], "\"auth\": %s", auth ? "true" : "false");
    for (char *line = strtok(log, "\n"); line; line = strtok(NULL, "\n")) {
        if ((scheme && !strstr(line, want[0])) || (host && !strstr(line, want[1])) ||
            (method && !strstr(line, want[2])) || (auth >= 0 && !strstr(line, want[3])))
            continue;
        count++;
    }
    free(log);
    return count;
}

/* ---- DNS hook ---------------------------------------------------------------- */

typedef struct srv_answer {
    const char *name;   /* the query it answers */
    const char *target;
    unsigned port;
    int asked;
} srv_answer;

static void put16(unsigned char *p, unsigned v)
{
    p[0] = (unsigned char)(v >> 8);
    p[1] = (unsigned char)v;
}

static size_t put_name(unsigned char *p, const char *name)
{
    size_t n = 0;
    while (*name) {
        const char *dot = strchr(name, '.');
        size_t len = dot ? (size_t)(dot - name) : strlen(name);
        p[n++] = (unsigned char)len;
        memcpy(p + n, name, len);
        n += len;
        name += len + (dot ? 1 : 0);
    }
    p[n++] = 0;
    return n;
}

/* A DNS response with one SRV answer (priority 0, weight 5), or -1 for any
 * other name, as res_query gives for NXDOMAIN. */
static int fake_dns(const char *name, int type, unsigned char *answer, int anslen, void *ud)
{
    srv_answer *a = ud;
    if (!a || strcmp(name, a->name) != 0 || type != ns_t_srv)
        return -1;
    a->asked++;
    unsigned char *p = answer;
    memset(p, 0, 12);
    put16(p, 0x1234);
    put16(p + 2, 0x8180); /* response, RD, RA, NOERROR */
    put16(p + 4, 1);
    put16(p + 6, 1);
    size_t n = 12;
    n += put_name(p + n, name);
    put16(p + n, ns_t_srv);
    put16(p + n + 2, ns_c_in);
    n += 4;
    p[n++] = 0xC0; /* the answer's name points to the question's */
    p[n++] = 12;
    put16(p + n, ns_t_srv);
    put16(p + n + 2, ns_c_in);
    memset(p + n + 4, 0, 4);
    put16(p + n + 7, 300);
    n += 8;
    unsigned char rdata[300];
    put16(rdata, 0);
    put16(rdata + 2, 5);
    put16(rdata + 4, a->port);
    size_t rlen = 6 + put_name(rdata + 6, a->target);
    put16(p + n, (unsigned)rlen);
    n += 2;
    memcpy(p + n, rdata, rlen);
    n += rlen;
    assert_true(n <= (size_t)anslen);
    return (int)n;
}

/* ---- helpers -------------------------------------------------------------- */

typedef struct run {
    ews_client_options c;
    ews_autodiscover_options o;
    ews_autodiscover_result *r;
    const char *resolve[2];
    char resolve_entry[128];
    int confirms;
    char confirmed_host[256];
} run;

static void run_init(run *x, const char *password)
{
    memset(x, 0, sizeof *x);
    ews_client_options_init(&x->c, EWS_CLIENT_OPTIONS_VERSION);
    x->c.auth = EWS_AUTH_BASIC;
    x->c.username = USER;
    x->c.password = password;
    x->c.cafile = cafile;
    x->c.connect_to = connect_to;
    x->c.timeout_ms = 10000;
    ews_autodiscover_options_init(&x->o, EWS_AUTODISCOVER_OPTIONS_VERSION);
    x->o.client = &x->c;
    x->o.dns_query = fake_dns; /* no SRV record unless a test gives one */
}

static int discover(run *x, const char *email)
{
    int rc = ews_autodiscover(&x->r, email, &x->o);
    assert_non_null(x->r);
    if (rc)
        fprintf(stderr, "  (%s: %s)\n", ews_err_name(rc),
                ews_autodiscover_last_error(x->r)->message);
    return rc;
}

static void run_free(run *x)
{
    ews_autodiscover_result_free(x->r);
    x->r = NULL;
}

static const ews_autodiscover_candidate *cand(const run *x, size_t i)
{
    const ews_autodiscover_candidate *c = ews_autodiscover_candidate_at(x->r, i);
    assert_non_null(c);
    return c;
}

/* ---- discovery through each method ---------------------------------------- */

static void test_first_candidate(void **state)
{
    (void)state;
    run x;
    run_init(&x, PASSWORD);
    assert_int_equal(discover(&x, "alice@first.test"), 0);
    /* EXPR (the external URL) wins over EXCH. */
    assert_string_equal(ews_autodiscover_ews_url(x.r), "https://mail.first.test/EWS/Exchange.asmx");
    assert_string_equal(ews_autodiscover_server_version(x.r), "15.1.2507");
    assert_string_equal(ews_autodiscover_anchor_mailbox(x.r), "alice.primary@first.test");
    assert_string_equal(ews_autodiscover_email(x.r), "alice@first.test");
    assert_string_equal(ews_autodiscover_answer_url(x.r),
                        "https://first.test/autodiscover/autodiscover.xml");
    assert_int_equal(ews_autodiscover_candidate_count(x.r), 1);
    assert_int_equal(cand(&x, 0)->source, EWS_AUTODISCOVER_DOMAIN);
    assert_int_equal(cand(&x, 0)->code, 0);
    assert_int_equal(ews_autodiscover_last_error(x.r)->code, 0);
    assert_int_equal(logged("https", "first.test", "POST", 1), 1);
    run_free(&x);
}

static void test_second_candidate(void **state)
{
    (void)state;
    run x;
    run_init(&x, PASSWORD);
    assert_int_equal(discover(&x, "bob@second.test"), 0);
    assert_string_equal(ews_autodiscover_ews_url(x.r),
                        "https://mail.second.test/EWS/Exchange.asmx");
    assert_int_equal(ews_autodiscover_candidate_count(x.r), 2);
    assert_int_equal(cand(&x, 0)->code, EWS_EHTTP);
    assert_int_equal(cand(&x, 0)->http_status, 404);
    assert_int_equal(cand(&x, 1)->source, EWS_AUTODISCOVER_AUTODISCOVER);
    assert_string_equal(cand(&x, 1)->url,
                        "https://autodiscover.second.test/autodiscover/autodiscover.xml");
    assert_int_equal(logged("https", "second.test", "POST", -1), 1);
    assert_int_equal(logged("https", "autodiscover.second.test", "POST", 1), 1);
    run_free(&x);
}

static void test_http_redirect_method(void **state)
{
    (void)state;
    run x;
    run_init(&x, PASSWORD);
    assert_int_equal(discover(&x, "carol@redir.test"), 0);
    assert_string_equal(ews_autodiscover_ews_url(x.r), "https://ews.redir.test/EWS/Exchange.asmx");
    assert_string_equal(ews_autodiscover_answer_url(x.r),
                        "https://mail.redir.test/autodiscover/autodiscover.xml");
    /* The probe went over http without credentials; the https endpoint it
     * named got them. */
    assert_int_equal(logged("http", "autodiscover.redir.test", "GET", 0), 1);
    assert_int_equal(logged("http", NULL, NULL, 1), 0);
    assert_int_equal(logged("https", "mail.redir.test", "POST", 1), 1);
    run_free(&x);
}

static void test_srv_record(void **state)
{
    (void)state;
    run x;
    run_init(&x, PASSWORD);
    /* The SRV target's own port, mapped by the resolve option (curl's
     * --resolve) rather than connect_to. */
    srv_answer dns = { "_autodiscover._tcp.srv.test", "mail.srv.test", (unsigned)tls_port, 0 };
    snprintf(x.resolve_entry, sizeof x.resolve_entry, "mail.srv.test:%ld:127.0.0.1", tls_port);
    x.resolve[0] = x.resolve_entry;
    x.c.resolve = x.resolve;
    x.o.dns_query = fake_dns;
    x.o.dns_userdata = &dns;
    assert_int_equal(discover(&x, "dave@srv.test"), 0);
    assert_int_equal(dns.asked, 1);
    assert_string_equal(ews_autodiscover_ews_url(x.r), "https://ews.srv.test/EWS/Exchange.asmx");
    char want[128];
    snprintf(want, sizeof want, "https://mail.srv.test:%ld/autodiscover/autodiscover.xml",
             tls_port);
    assert_string_equal(ews_autodiscover_answer_url(x.r), want);
    size_t n = ews_autodiscover_candidate_count(x.r);
    assert_int_equal(cand(&x, n - 1)->source, EWS_AUTODISCOVER_SRV);
    assert_int_equal(logged("https", "mail.srv.test", "POST", 1), 1);
    run_free(&x);
}

static void test_redirect_addr(void **state)
{
    (void)state;
    run x;
    run_init(&x, PASSWORD);
    assert_int_equal(discover(&x, "erin@addr.test"), 0);
    assert_string_equal(ews_autodiscover_email(x.r), "erin.new@sub.addr.test");
    assert_string_equal(ews_autodiscover_ews_url(x.r), "https://ews.addr.test/EWS/Exchange.asmx");
    assert_int_equal(cand(&x, 0)->code, EWS_EREDIRECT);
    /* Discovery started over for the new address at its own domain. */
    assert_string_equal(cand(&x, 1)->email, "erin.new@sub.addr.test");
    assert_string_equal(cand(&x, 1)->url, "https://sub.addr.test/autodiscover/autodiscover.xml");
    run_free(&x);
}

static void test_redirect_url(void **state)
{
    (void)state;
    run x;
    run_init(&x, PASSWORD);
    assert_int_equal(discover(&x, "frank@url.test"), 0);
    assert_string_equal(ews_autodiscover_ews_url(x.r), "https://ews.url.test/EWS/Exchange.asmx");
    assert_int_equal(ews_autodiscover_candidate_count(x.r), 2);
    assert_int_equal(cand(&x, 1)->source, EWS_AUTODISCOVER_REDIRECT);
    assert_int_equal(logged("https", "mail.url.test", "POST", 1), 1);
    run_free(&x);
}

/* ---- what must never happen ------------------------------------------------ */

static void test_redirect_to_http_refused(void **state)
{
    (void)state;
    run x;
    run_init(&x, PASSWORD);
    assert_int_equal(discover(&x, "gina@httpredir.test"), EWS_EREDIRECT);
    const ews_error *e = ews_autodiscover_last_error(x.r);
    assert_int_equal(e->code, EWS_EREDIRECT);
    assert_non_null(strstr(e->message, "http://mail.httpredir.test/"));
    assert_int_equal(logged(NULL, "mail.httpredir.test", NULL, -1), 0);
    run_free(&x);
}

static void test_redirect_loop_stops_at_10(void **state)
{
    (void)state;
    run x;
    run_init(&x, PASSWORD);
    int before = logged("https", "loop.test", "POST", -1);
    assert_int_equal(discover(&x, "hank@loop.test"), EWS_EREDIRECT);
    /* The first request and 10 redirections, then nothing else at all. */
    assert_int_equal(logged("https", "loop.test", "POST", -1) - before, 11);
    assert_int_equal(logged(NULL, "autodiscover.loop.test", NULL, -1), 0);
    assert_non_null(strstr(ews_autodiscover_last_error(x.r)->message, "redirection"));
    run_free(&x);
}

static void test_never_parent_domain_or_tld(void **state)
{
    (void)state;
    run x;
    run_init(&x, PASSWORD);
    srv_answer none = { "none", "none", 1, 0 };
    x.o.dns_query = fake_dns;
    x.o.dns_userdata = &none;
    assert_int_equal(discover(&x, "ivan@deep.sub.parent.test"), EWS_EDISCOVER);
    /* The server would answer there (and the certificate fits): only the
     * library's rules keep the requests away. */
    const char *never[] = { "autodiscover.sub.parent.test", "sub.parent.test",
                            "autodiscover.parent.test", "parent.test", "autodiscover.test" };
    for (size_t i = 0; i < sizeof never / sizeof never[0]; i++)
        assert_int_equal(logged(NULL, never[i], NULL, -1), 0);
    assert_int_equal(logged("https", "deep.sub.parent.test", "POST", 1), 1);
    assert_int_equal(logged("https", "autodiscover.deep.sub.parent.test", "POST", 1), 1);
    assert_int_equal(logged("http", "autodiscover.deep.sub.parent.test", "GET", 0), 1);
    /* The typed error names every candidate tried. */
    const ews_error *e = ews_autodiscover_last_error(x.r);
    assert_int_equal(e->code, EWS_EDISCOVER);
    assert_int_equal(ews_autodiscover_candidate_count(x.r), 4);
    for (size_t i = 0; i < 4; i++)
        assert_non_null(strstr(e->message, cand(&x, i)->url));
    assert_non_null(strstr(e->message, "dns:_autodiscover._tcp.deep.sub.parent.test"));
    run_free(&x);

    /* A one-label domain would make autodiscover.<TLD> a candidate. */
    run_init(&x, PASSWORD);
    assert_int_equal(discover(&x, "root@test"), EWS_EINVAL);
    assert_int_equal(ews_autodiscover_candidate_count(x.r), 0);
    run_free(&x);
    assert_int_equal(logged(NULL, "test", NULL, -1), 0);
}

static int confirm_cb(const char *host, const char *url, void *userdata)
{
    (void)url;
    run *x = userdata;
    x->confirms++;
    snprintf(x->confirmed_host, sizeof x->confirmed_host, "%s", host);
    return 1;
}

static void test_other_domain_needs_permission(void **state)
{
    (void)state;
    run x;
    run_init(&x, PASSWORD);
    assert_int_equal(discover(&x, "judy@cross.test"), EWS_EUNTRUSTED);
    const ews_error *e = ews_autodiscover_last_error(x.r);
    assert_non_null(strstr(e->message, "mail.other.test"));
    assert_int_equal(logged(NULL, "mail.other.test", NULL, -1), 0);
    run_free(&x);

    run_init(&x, PASSWORD);
    x.o.confirm = confirm_cb;
    x.o.confirm_userdata = &x;
    assert_int_equal(discover(&x, "judy@cross.test"), 0);
    assert_int_equal(x.confirms, 1);
    assert_string_equal(x.confirmed_host, "mail.other.test");
    assert_string_equal(ews_autodiscover_ews_url(x.r), "https://ews.other.test/EWS/Exchange.asmx");
    assert_int_equal(logged("https", "mail.other.test", "POST", 1), 1);
    run_free(&x);
}

static void test_wrong_password_is_auth_error(void **state)
{
    (void)state;
    run x;
    run_init(&x, "WrongPassword77");
    x.o.methods = EWS_AUTODISCOVER_DOMAIN | EWS_AUTODISCOVER_AUTODISCOVER;
    assert_int_equal(discover(&x, "kim@auth.test"), EWS_EAUTH);
    const ews_error *e = ews_autodiscover_last_error(x.r);
    assert_int_equal(e->category, EWS_CAT_AUTH);
    assert_non_null(strstr(e->message, "https://auth.test/autodiscover/autodiscover.xml"));
    assert_non_null(strstr(e->message, "https://autodiscover.auth.test/autodiscover/"));
    assert_null(strstr(e->message, "WrongPassword77"));
    run_free(&x);
}

/* A server quoting the credentials back: neither the password nor the
 * Basic token reaches the error or a candidate's reason. */
static void test_reflected_credentials_masked(void **state)
{
    (void)state;
    run x;
    run_init(&x, PASSWORD);
    x.o.methods = EWS_AUTODISCOVER_DOMAIN;
    assert_int_equal(discover(&x, "lee@reflect.auth.test"), EWS_EDISCOVER);
    const char *basic = "YWxpY2U6U2VjcmV0MTIz"; /* base64("alice:Secret123") */
    const char *texts[] = { ews_autodiscover_last_error(x.r)->message, cand(&x, 0)->why };
    for (size_t i = 0; i < 2; i++) {
        assert_non_null(strstr(texts[i], "You sent"));
        assert_null(strstr(texts[i], PASSWORD));
        assert_null(strstr(texts[i], basic));
    }
    run_free(&x);
}

static void test_no_credentials_ever_over_http(void **state)
{
    (void)state;
    /* Across every discovery above. */
    assert_true(logged("http", NULL, NULL, -1) > 0);
    assert_int_equal(logged("http", NULL, NULL, 1), 0);
}

/* ---- the resolve option on a normal client -------------------------------- */

static void test_resolve_option_on_client_calls(void **state)
{
    (void)state;
    char url[128], entry[128];
    snprintf(url, sizeof url, "https://mail.first.test:%ld/EWS/Exchange.asmx", tls_port);
    snprintf(entry, sizeof entry, "mail.first.test:%ld:127.0.0.1", tls_port);
    const char *resolve[] = { entry, NULL };
    ews_client_options o;
    ews_client_options_init(&o, EWS_CLIENT_OPTIONS_VERSION);
    o.url = url;
    o.cafile = cafile;
    o.resolve = resolve;
    o.retry.max_attempts = 1;
    ews_client *c = NULL;
    assert_int_equal(ews_client_new(&c, &o), 0);
    entry[0] = 'X'; /* the client keeps its own copy */
    ews_imlist *list = NULL;
    int before = logged("https", "mail.first.test", "POST", -1);
    /* The server has no EWS here: a 404, but it came through TLS verified
     * for mail.first.test at the address the option gave. */
    assert_int_equal(ews_get_im_item_list(&list, c, NULL), EWS_EHTTP);
    assert_int_equal(ews_client_last_error(c)->http_status, 404);
    assert_int_equal(logged("https", "mail.first.test", "POST", -1) - before, 1);
    ews_client_free(c);

    static const char *const bad[][2] = { { "mail.first.test:443", NULL },
                                          { "mail.first.test:http:127.0.0.1", NULL },
                                          { "mail.first.test:443:127.0.0.1\r\nX: y", NULL } };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        o.resolve = bad[i];
        c = NULL;
        assert_int_equal(ews_client_new(&c, &o), EWS_EINVAL);
        assert_non_null(strstr(ews_client_last_error(c)->message, "resolve entry 1"));
        ews_client_free(c);
    }
}

/* ---- the answer reader ------------------------------------------------------- */

static void test_pox_reader_bounds(void **state)
{
    (void)state;
    char v[32];
    assert_int_equal(pox_server_version("738180DA", v, sizeof v), 0);
    assert_string_equal(v, "14.1.218");
    assert_int_equal(pox_server_version("7381", v, sizeof v), -1);

    pox_answer a;
    const char *why = NULL;
    static const char dtd[] = "<!DOCTYPE a [<!ENTITY x 'y'>]><Autodiscover/>";
    assert_int_equal(pox_parse(&a, dtd, sizeof dtd - 1, &why), EWS_EPARSE);
    ews_buf big = EWS_BUF_INIT;
    ews_buf_puts(&big, "<Autodiscover><Response><Account><Action>");
    for (int i = 0; i < 3000; i++)
        ews_buf_puts(&big, "x");
    ews_buf_puts(&big, "</Action></Account></Response></Autodiscover>");
    assert_int_equal(pox_parse(&a, big.data, big.len, &why), EWS_ELIMIT);
    ews_buf_free(&big);
    static const char ok[] =
        "<a:Autodiscover xmlns:a='urn:x'><a:Response><a:Account><a:Action>redirectUrl"
        "</a:Action><a:RedirectUrl>https://h.test/x?a=1&amp;b=&#x32;</a:RedirectUrl>"
        "</a:Account></a:Response></a:Autodiscover>";
    assert_int_equal(pox_parse(&a, ok, sizeof ok - 1, &why), 0);
    assert_string_equal(a.action, "redirectUrl");
    assert_string_equal(a.redirect_url, "https://h.test/x?a=1&b=2");
    pox_answer_free(&a);
}

/* ---- set-up ------------------------------------------------------------------ */

static int setup(void **state)
{
    (void)state;
    static char tls_spec[4096];
    snprintf(tls_spec, sizeof tls_spec, "tls:%s/autodiscover.pem:%s/autodiscover.key", pki,
             pki);
    snprintf(logfile, sizeof logfile, "%s/requests.log", pki);
    const char *args[] = { "--listen", tls_spec, "--listen", "http", "--log", logfile,
                           "autodiscover", SCENARIO, "--user", USER, "--password", PASSWORD,
                           NULL };
    if (ts_loopback_start(&srv, args))
        return -1;
    tls_port = ts_server_port(&srv, "tls");
    http_port = ts_server_port(&srv, "http");
    snprintf(map443, sizeof map443, ":443:127.0.0.1:%ld", tls_port);
    snprintf(map80, sizeof map80, ":80:127.0.0.1:%ld", http_port);
    connect_to[0] = map443;
    connect_to[1] = map80;
    connect_to[2] = NULL;
    return 0;
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
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_first_candidate),
        cmocka_unit_test(test_second_candidate),
        cmocka_unit_test(test_http_redirect_method),
        cmocka_unit_test(test_srv_record),
        cmocka_unit_test(test_redirect_addr),
        cmocka_unit_test(test_redirect_url),
        cmocka_unit_test(test_redirect_to_http_refused),
        cmocka_unit_test(test_redirect_loop_stops_at_10),
        cmocka_unit_test(test_never_parent_domain_or_tld),
        cmocka_unit_test(test_other_domain_needs_permission),
        cmocka_unit_test(test_wrong_password_is_auth_error),
        cmocka_unit_test(test_reflected_credentials_masked),
        cmocka_unit_test(test_no_credentials_ever_over_http),
        cmocka_unit_test(test_resolve_option_on_client_calls),
        cmocka_unit_test(test_pox_reader_bounds),
    };
    rc = cmocka_run_group_tests(tests, setup, teardown);
    ts_rmtree(pki);
    curl_global_cleanup();
    return rc;
}
