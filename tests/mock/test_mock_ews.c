/* The mock server's EWS behaviour over real HTTP: requests built by the
 * runtime, answers parsed by it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mock_test_util.h"

#define TYPES_NS "http://schemas.microsoft.com/exchange/services/2006/types"
#define INCORRECT_SCHEMA_TEXT                                                                   \
    "The request is valid but does not specify the correct server version in the "          \
    "RequestServerVersion SOAP header.  Ensure that the RequestServerVersion SOAP header is " \
    "set with the correct RequestServerVersionValue."

/* One POST of body to the mock; the response in *r. */
static void post(ews_mock *m, const char *body, size_t len, mt_response *r)
{
    mt_request rq = { ews_mock_url(m), body, len, NULL, NULL, NULL, 0, 0 };
    mt_post(NULL, &rq, r);
    assert_int_equal(r->curl_rc, CURLE_OK);
}

/* The runtime refuses versions older than GetImItemList's minimum, so
 * the version is put into a valid request afterwards. */
static void post_version(ews_mock *m, const char *version, mt_response *r)
{
    size_t len;
    char *env = mt_envelope("Exchange2013", EWS_IMPERSONATE_NONE, NULL, &len);
    const char *at = strstr(env, "Version=\"Exchange2013\"");
    assert_non_null(at);
    ews_buf b = EWS_BUF_INIT;
    assert_int_equal(ews_buf_append(&b, env, (size_t)(at - env)), 0);
    assert_int_equal(ews_buf_printf(&b, "Version=\"%s\"%s", version,
                                    at + strlen("Version=\"Exchange2013\"")), 0);
    post(m, b.data, b.len, r);
    ews_buf_free(&b);
    free(env);
}

static void post_fixture(ews_mock *m, const char *name, mt_response *r)
{
    size_t len;
    char rel[256];
    snprintf(rel, sizeof rel, "mock/%s", name);
    char *body = ts_fixture_text(rel, &len);
    post(m, body, len, r);
    free(body);
}

/* Expects a SOAP fault with ResponseCode code; returns nothing, frees all. */
static void expect_fault(mt_response *r, const char *code)
{
    assert_int_equal(r->status, 500);
    assert_string_equal(r->content_type, "text/xml; charset=utf-8");
    ews_imlist *l = NULL;
    ews_err err;
    ews_err_init(&err);
    assert_int_equal(mt_parse(r, 0, &l, &err), EWS_EFAULT);
    assert_null(l);
    assert_non_null(err.pub.response_code);
    assert_string_equal(err.pub.response_code, code);
    /* The client maps the QName's prefix to its own for the types
     * namespace; the local part is what must match. */
    const char *colon = err.pub.soap_faultcode ? strchr(err.pub.soap_faultcode, ':') : NULL;
    assert_non_null(colon);
    assert_string_equal(colon + 1, code);
    assert_non_null(err.pub.soap_faultstring);
    assert_non_null(err.pub.message_text);
    ews_err_free(&err);
}

static ews_imlist *expect_list(mt_response *r)
{
    assert_int_equal(r->status, 200);
    ews_imlist *l = NULL;
    ews_err err;
    ews_err_init(&err);
    int rc = mt_parse(r, 0, &l, &err);
    if (rc)
        fail_msg("parse: %s", err.pub.message);
    ews_err_free(&err);
    return l;
}

static void test_demo_mailbox(void **state)
{
    (void)state;
    ews_mock_options o = mt_demo_options();
    ews_mock *m = mt_start(&o);
    assert_true(ews_mock_port(m) > 0);
    char prefix[64];
    snprintf(prefix, sizeof prefix, "http://127.0.0.1:%u/", (unsigned)ews_mock_port(m));
    assert_true(strncmp(ews_mock_url(m), prefix, strlen(prefix)) == 0);

    mt_response r;
    post_version(m, "Exchange2013", &r);
    assert_string_equal(r.content_type, "text/xml; charset=utf-8");
    assert_string_equal(r.backend_status, "200");
    assert_non_null(r.request_id);
    assert_int_equal(strlen(r.request_id), 36);
    assert_null(r.client_request_id);

    ews_imlist *l = expect_list(&r);
    assert_int_equal(ews_imlist_group_count(l), 4);
    assert_int_equal(ews_imlist_persona_count(l), 2);
    assert_string_equal(ews_im_group_display_name(ews_imlist_group(l, 3)), "MyCustomGroup2");
    assert_string_equal(ews_persona_display_name(ews_imlist_persona(l, 0)), "Anthony Smith");
    const ews_server_version *v = ews_imlist_server_version(l);
    assert_non_null(v);
    assert_int_equal(v->major_version, 15);
    assert_int_equal(v->minor_version, 1);
    assert_int_equal(v->major_build, 2507);
    assert_int_equal(v->minor_build, 6);
    assert_string_equal(v->version, "V2017_07_11");
    ews_imlist_free(l);

    /* The demo mailbox is schema-valid (unlike Microsoft's example, whose
     * EmailAddresses/EmailAddress a strict client refuses), and each
     * group member is a persona of the list. */
    ews_err err;
    ews_err_init(&err);
    assert_int_equal(mt_parse(&r, 1, &l, &err), 0);
    ews_err_free(&err);
    const ews_im_group *custom = ews_imlist_group(l, 3);
    assert_int_equal(ews_im_group_persona_count(custom), 2);
    assert_string_equal(ews_persona_display_name(ews_im_group_persona(custom, 1)),
                        "Terence Adams");
    ews_imlist_free(l);
    mt_response_free(&r);
    assert_int_equal(ews_mock_request_count(m), 1);
    ews_mock_stop(m);
}

static void test_request_ids(void **state)
{
    (void)state;
    ews_mock_options o = mt_demo_options();
    ews_mock *m = mt_start(&o);
    size_t len;
    char *env = mt_envelope("Exchange2013", EWS_IMPERSONATE_NONE, NULL, &len);
    const char *asked[] = { "client-request-id: 9a1b2c3d-0000-4000-8000-000000000001",
                            "return-client-request-id: true", NULL };
    const char *not_asked[] = { "client-request-id: 9a1b2c3d-0000-4000-8000-000000000002",
                                NULL };
    mt_request rq = { ews_mock_url(m), env, len, asked, NULL, NULL, 0, 0 };
    mt_response r1, r2;
    mt_post(NULL, &rq, &r1);
    rq.headers = not_asked;
    mt_post(NULL, &rq, &r2);
    assert_int_equal(r1.status, 200);
    assert_string_equal(r1.client_request_id, "9a1b2c3d-0000-4000-8000-000000000001");
    assert_int_equal(r2.status, 200);
    assert_null(r2.client_request_id);
    assert_string_not_equal(r1.request_id, r2.request_id);
    mt_response_free(&r1);
    mt_response_free(&r2);
    free(env);
    ews_mock_stop(m);
}

static void test_missing_server_version(void **state)
{
    (void)state;
    ews_mock_options o = mt_demo_options();
    ews_mock *m = mt_start(&o);
    mt_response r;
    post_fixture(m, "request-no-version.xml", &r);
    expect_fault(&r, "ErrorIncorrectSchemaVersion");
    /* Shaped like Exchange's (fault-1.xml): a: bound to the types
     * namespace, the detail in the errors namespace, the same words. */
    assert_true(ts_contains(r.body.data, "<faultcode>a:ErrorIncorrectSchemaVersion</faultcode>"));
    assert_true(ts_contains(r.body.data, "xmlns:a=\"" TYPES_NS "\""));
    assert_true(ts_contains(
        r.body.data, "xmlns:e=\"http://schemas.microsoft.com/exchange/services/2006/errors\""));
    assert_true(ts_contains(r.body.data,
                            "<e:ResponseCode>ErrorIncorrectSchemaVersion</e:ResponseCode>"));
    assert_true(ts_contains(r.body.data, "<faultstring>" INCORRECT_SCHEMA_TEXT "</faultstring>"));
    assert_true(ts_contains(r.body.data, "<e:Message>" INCORRECT_SCHEMA_TEXT "</e:Message>"));
    assert_false(ts_contains(r.body.data, "Header"));
    mt_response_free(&r);
    ews_mock_stop(m);
}

/* The runtime reads the mock's fault exactly as Microsoft's example. */
static void test_fault_matches_reference(void **state)
{
    (void)state;
    char path[1024];
    snprintf(path, sizeof path, "%s/ews-doc-examples/GetImItemList/fault-1.xml", EWS_SHARED_DIR);
    FILE *f = fopen(path, "rb");
    if (!f)
        skip();
    mt_response ref;
    memset(&ref, 0, sizeof ref);
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        assert_int_equal(ews_buf_append(&ref.body, buf, n), 0);
    fclose(f);

    ews_mock_options o = mt_demo_options();
    ews_mock *m = mt_start(&o);
    mt_response r;
    post_fixture(m, "request-no-version.xml", &r);

    ews_imlist *l = NULL;
    ews_err a, b;
    ews_err_init(&a);
    ews_err_init(&b);
    assert_int_equal(mt_parse(&ref, 1, &l, &a), EWS_EFAULT);
    assert_int_equal(mt_parse(&r, 1, &l, &b), EWS_EFAULT);
    assert_string_equal(a.pub.soap_faultcode, b.pub.soap_faultcode);
    assert_string_equal(a.pub.soap_faultstring, b.pub.soap_faultstring);
    assert_string_equal(a.pub.response_code, b.pub.response_code);
    assert_string_equal(a.pub.message_text, b.pub.message_text);
    assert_int_equal(a.pub.category, b.pub.category);
    ews_err_free(&a);
    ews_err_free(&b);
    mt_response_free(&ref);
    mt_response_free(&r);
    ews_mock_stop(m);
}

static void test_server_versions(void **state)
{
    (void)state;
    ews_mock_options o = mt_demo_options();
    ews_mock *m = mt_start(&o);
    mt_response r;
    post_version(m, "Exchange2010", &r);
    expect_fault(&r, "ErrorInvalidServerVersion");
    mt_response_free(&r);
    post_fixture(m, "request-unknown-version.xml", &r);
    expect_fault(&r, "ErrorInvalidServerVersion");
    mt_response_free(&r);
    post_version(m, "Exchange2016", &r);
    ews_imlist_free(expect_list(&r));
    mt_response_free(&r);
    ews_mock_stop(m);

    /* A configured minimum. */
    o.min_server_version = "V2017_07_11";
    m = mt_start(&o);
    post_version(m, "Exchange2016", &r);
    expect_fault(&r, "ErrorInvalidServerVersion");
    mt_response_free(&r);
    post_version(m, "V2018_01_08", &r);
    ews_imlist_free(expect_list(&r));
    mt_response_free(&r);
    ews_mock_stop(m);
}

static ews_mock *start_impersonation_mock(const char *user)
{
    static ews_mock_mailbox mb[3];
    mb[0] = (ews_mock_mailbox){ "svc@contoso.com", NULL, ews_mock_demo_mailbox_xml(), NULL };
    mb[1] = (ews_mock_mailbox){ "alice@contoso.com", ts_fixture_path("mock/alice.xml"), NULL,
                                "S-1-5-21-1004336348-1177238915-682003330-1001" };
    /* Own copy: ts_fixture_path's buffer is reused. */
    static char empty_path[1024];
    snprintf(empty_path, sizeof empty_path, "%s", ts_fixture_path("mock/empty.xml"));
    static char alice_path[1024];
    snprintf(alice_path, sizeof alice_path, "%s", ts_fixture_path("mock/alice.xml"));
    mb[1].file = alice_path;
    mb[2] = (ews_mock_mailbox){ "carol@contoso.com", empty_path, NULL, NULL };
    static const char *const impersonators[] = { "svc@contoso.com", NULL };
    ews_mock_options o = mt_demo_options();
    o.mailboxes = mb;
    o.mailbox_count = 3;
    o.username = user;
    o.impersonators = impersonators;
    return mt_start(&o);
}

static ews_imlist *impersonate(ews_mock *m, ews_impersonation_kind kind, const char *who,
                               mt_response *r)
{
    size_t len;
    char *env = mt_envelope("Exchange2013", kind, who, &len);
    post(m, env, len, r);
    free(env);
    return r->status == 200 ? expect_list(r) : NULL;
}

static void test_impersonation(void **state)
{
    (void)state;
    ews_mock *m = start_impersonation_mock("svc@contoso.com");
    mt_response r;

    ews_imlist *l = impersonate(m, EWS_IMPERSONATE_PRIMARY_SMTP, "alice@contoso.com", &r);
    assert_non_null(l);
    assert_int_equal(ews_imlist_group_count(l), 1);
    assert_int_equal(ews_imlist_persona_count(l), 1);
    assert_string_equal(ews_persona_display_name(ews_imlist_persona(l, 0)), "Bob Example & Sons");
    assert_int_equal(ews_im_group_persona_count(ews_imlist_group(l, 0)), 1);
    ews_imlist_free(l);
    mt_response_free(&r);

    l = impersonate(m, EWS_IMPERSONATE_SMTP, "ALICE@Contoso.com", &r);
    assert_non_null(l);
    assert_int_equal(ews_imlist_group_count(l), 1);
    ews_imlist_free(l);
    mt_response_free(&r);

    l = impersonate(m, EWS_IMPERSONATE_PRINCIPAL_NAME, "carol@contoso.com", &r);
    assert_non_null(l);
    assert_int_equal(ews_imlist_group_count(l), 0);
    assert_int_equal(ews_imlist_persona_count(l), 0);
    ews_imlist_free(l);
    mt_response_free(&r);

    l = impersonate(m, EWS_IMPERSONATE_SID, "S-1-5-21-1004336348-1177238915-682003330-1001", &r);
    assert_non_null(l);
    assert_int_equal(ews_imlist_persona_count(l), 1);
    ews_imlist_free(l);
    mt_response_free(&r);

    /* Without impersonation: the caller's own (the first) mailbox. */
    post_version(m, "Exchange2013", &r);
    l = expect_list(&r);
    assert_int_equal(ews_imlist_group_count(l), 4);
    ews_imlist_free(l);
    mt_response_free(&r);

    assert_null(impersonate(m, EWS_IMPERSONATE_PRIMARY_SMTP, "nobody@contoso.com", &r));
    expect_fault(&r, "ErrorNonExistentMailbox");
    assert_true(ts_contains(r.body.data, "<t:Value Name=\"SmtpAddress\">nobody@contoso.com</t:Value>"));
    mt_response_free(&r);

    assert_null(impersonate(m, EWS_IMPERSONATE_SID, "S-1-5-21-9", &r));
    expect_fault(&r, "ErrorNonExistentMailbox");
    mt_response_free(&r);
    ews_mock_stop(m);
}

static void test_impersonation_denied(void **state)
{
    (void)state;
    ews_mock *m = start_impersonation_mock("alice@contoso.com");
    mt_response r;
    assert_null(impersonate(m, EWS_IMPERSONATE_PRIMARY_SMTP, "carol@contoso.com", &r));
    expect_fault(&r, "ErrorImpersonateUserDenied");
    mt_response_free(&r);
    ews_mock_stop(m);

    /* Anonymous callers cannot impersonate either. */
    m = start_impersonation_mock(NULL);
    assert_null(impersonate(m, EWS_IMPERSONATE_PRIMARY_SMTP, "carol@contoso.com", &r));
    expect_fault(&r, "ErrorImpersonateUserDenied");
    mt_response_free(&r);
    ews_mock_stop(m);
}

static void test_server_busy(void **state)
{
    (void)state;
    ews_mock_options o = mt_demo_options();
    ews_mock *m = mt_start(&o);
    ews_mock_faults f = { 0 };
    f.busy_count = 2;
    f.busy_back_off_ms = 1500;
    ews_mock_set_faults(m, &f);
    mt_response r;
    for (int i = 0; i < 2; i++) {
        post_version(m, "Exchange2013", &r);
        expect_fault(&r, "ErrorServerBusy");
        ews_imlist *l = NULL;
        ews_err err;
        ews_err_init(&err);
        assert_int_equal(mt_parse(&r, 1, &l, &err), EWS_EFAULT);
        assert_int_equal(err.pub.back_off_ms, 1500);
        assert_int_equal(err.pub.category, EWS_CAT_RETRYABLE);
        ews_err_free(&err);
        /* the shape Exchange sends: MessageXml in the types namespace */
        assert_true(ts_contains(r.body.data, "<t:MessageXml><t:Value Name=\"BackOffMilliseconds\">"
                                             "1500</t:Value></t:MessageXml>"));
        mt_response_free(&r);
    }
    post_version(m, "Exchange2013", &r);
    ews_imlist_free(expect_list(&r));
    mt_response_free(&r);
    ews_mock_stop(m);
}

static void test_http_503(void **state)
{
    (void)state;
    ews_mock_options o = mt_demo_options();
    ews_mock *m = mt_start(&o);
    ews_mock_faults f = { 0 };
    f.http503_count = 1;
    f.retry_after_s = 7;
    ews_mock_set_faults(m, &f);
    mt_response r;
    post_version(m, "Exchange2013", &r);
    assert_int_equal(r.status, 503);
    assert_string_equal(r.retry_after, "7");
    mt_response_free(&r);
    post_version(m, "Exchange2013", &r);
    ews_imlist_free(expect_list(&r));
    mt_response_free(&r);

    f.retry_after_s = -1; /* no Retry-After */
    ews_mock_set_faults(m, &f);
    post_version(m, "Exchange2013", &r);
    assert_int_equal(r.status, 503);
    assert_null(r.retry_after);
    mt_response_free(&r);
    ews_mock_stop(m);
}

static void expect_schema_fault(ews_mock *m, const char *fixture, const char *mentions)
{
    mt_response r;
    post_fixture(m, fixture, &r);
    expect_fault(&r, "ErrorSchemaValidation");
    if (mentions)
        assert_true(ts_contains(r.body.data, mentions));
    mt_response_free(&r);
}

static void test_bad_requests(void **state)
{
    (void)state;
    ews_mock_options o = mt_demo_options();
    ews_mock *m = mt_start(&o);
    expect_schema_fault(m, "request-malformed.xml", "malformed XML");
    expect_schema_fault(m, "request-extra-element.xml", "Bogus");
    expect_schema_fault(m, "request-other-operation.xml", "FindPeople");
    mt_response r;
    post(m, "<x/>", 4, &r);
    expect_fault(&r, "ErrorSchemaValidation");
    assert_true(ts_contains(r.body.data, "not a SOAP"));
    mt_response_free(&r);
    post(m, "", 0, &r);
    expect_fault(&r, "ErrorSchemaValidation");
    mt_response_free(&r);
    post(m, "\xff\xfe<<<", 5, &r);
    expect_fault(&r, "ErrorSchemaValidation");
    mt_response_free(&r);

    /* Truncated at every length: a fault each time, never a crash. */
    size_t len;
    char *env = mt_envelope("Exchange2013", EWS_IMPERSONATE_NONE, NULL, &len);
    size_t end = (size_t)(strrchr(env, '>') - env) + 1; /* after it: a newline */
    for (size_t cut = 1; cut < end; cut += 7) {
        post(m, env, cut, &r);
        expect_fault(&r, "ErrorSchemaValidation");
        mt_response_free(&r);
    }
    free(env);
    ews_mock_stop(m);

    /* Lenient: the extra element is skipped. */
    o.strict = 0;
    m = mt_start(&o);
    post_fixture(m, "request-extra-element.xml", &r);
    ews_imlist_free(expect_list(&r));
    mt_response_free(&r);
    ews_mock_stop(m);
}

/* Bodies built to hurt a parser: each gets a fault, none a crash or a
 * hang, and the server keeps serving. */
static void test_hostile_bodies(void **state)
{
    (void)state;
    ews_mock_options o = mt_demo_options();
    ews_mock *m = mt_start(&o);
    ews_buf b = EWS_BUF_INIT;
    mt_response r;

    /* Nesting far deeper than the parser allows. */
    assert_int_equal(ews_buf_puts(&b, "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/"
                                      "envelope/\"><soap:Body>"), 0);
    for (int i = 0; i < 20000; i++)
        assert_int_equal(ews_buf_puts(&b, "<a>"), 0);
    post(m, b.data, b.len, &r);
    expect_fault(&r, "ErrorSchemaValidation");
    mt_response_free(&r);

    /* Entity expansion ("billion laughs"). */
    static const char laughs[] =
        "<?xml version=\"1.0\"?><!DOCTYPE l [<!ENTITY a \"aaaaaaaaaa\">"
        "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]>"
        "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body>"
        "<x>&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;</x></soap:Body></soap:Envelope>";
    post(m, laughs, strlen(laughs), &r);
    assert_int_equal(r.status, 500);
    mt_response_free(&r);

    /* A header value close to the body limit. */
    ews_buf_clear(&b);
    assert_int_equal(ews_buf_puts(&b, "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/"
                                      "envelope/\" xmlns:t=\"http://schemas.microsoft.com/exchange/"
                                      "services/2006/types\"><soap:Header><t:RequestServerVersion "
                                      "Version=\""), 0);
    for (int i = 0; i < 100000; i++)
        assert_int_equal(ews_buf_puts(&b, "Exchange20"), 0);
    assert_int_equal(ews_buf_puts(&b, "\"/></soap:Header><soap:Body/></soap:Envelope>"), 0);
    post(m, b.data, b.len, &r);
    assert_int_equal(r.status, 500);
    mt_response_free(&r);

    /* NUL bytes and invalid UTF-8 inside the envelope. */
    size_t len;
    char *env = mt_envelope("Exchange2013", EWS_IMPERSONATE_NONE, NULL, &len);
    char *body = strstr(env, "<m:GetImItemList");
    assert_non_null(body);
    body[1] = '\0';
    post(m, env, len, &r);
    expect_fault(&r, "ErrorSchemaValidation");
    mt_response_free(&r);
    body[1] = (char)0xc3;
    post(m, env, len, &r);
    assert_int_equal(r.status, 500);
    mt_response_free(&r);
    free(env);
    ews_buf_free(&b);

    post_version(m, "Exchange2013", &r);
    ews_imlist_free(expect_list(&r));
    mt_response_free(&r);
    ews_mock_stop(m);
}

static void test_start_demo(void **state)
{
    (void)state;
    char err[256];
    ews_mock *m = NULL;
    assert_int_equal(ews_mock_start_demo(&m, err, sizeof err), 0);
    mt_response r;
    post_version(m, "Exchange2013", &r);
    ews_imlist *l = expect_list(&r);
    assert_int_equal(ews_imlist_group_count(l), 4);
    assert_int_equal(ews_imlist_persona_count(l), 2);
    ews_imlist_free(l);
    mt_response_free(&r);
    ews_mock_stop(m);
}

static void test_https_namespaces(void **state)
{
    (void)state;
    ews_mock_options o = mt_demo_options();
    ews_mock *m = mt_start(&o);
    mt_response r;
    post_fixture(m, "request-https-namespaces.xml", &r);
    ews_imlist *l = expect_list(&r);
    assert_int_equal(ews_imlist_group_count(l), 4);
    ews_imlist_free(l);
    /* Answered in the real servers' http:// spelling. */
    assert_false(ts_contains(r.body.data, "https://"));
    mt_response_free(&r);
    ews_mock_stop(m);
}

static void test_delay(void **state)
{
    (void)state;
    ews_mock_options o = mt_demo_options();
    ews_mock *m = mt_start(&o);
    ews_mock_faults f = { 0 };
    f.delay_ms = 300;
    ews_mock_set_faults(m, &f);
    mt_response r;
    post_version(m, "Exchange2013", &r);
    assert_true(r.elapsed_ms >= 300);
    ews_imlist_free(expect_list(&r));
    mt_response_free(&r);
    ews_mock_stop(m);
}

static void test_close_mid_body(void **state)
{
    (void)state;
    ews_mock_options o = mt_demo_options();
    ews_mock *m = mt_start(&o);
    ews_mock_faults f = { 0 };
    f.close_mid_body = 1;
    ews_mock_set_faults(m, &f);
    size_t len;
    char *env = mt_envelope("Exchange2013", EWS_IMPERSONATE_NONE, NULL, &len);
    mt_request rq = { ews_mock_url(m), env, len, NULL, NULL, NULL, 0, 0 };
    mt_response r;
    mt_post(NULL, &rq, &r);
    assert_int_equal(r.curl_rc, CURLE_PARTIAL_FILE);
    assert_true(r.body.len > 0);
    mt_response_free(&r);
    mt_post(NULL, &rq, &r);
    assert_int_equal(r.curl_rc, CURLE_OK);
    ews_imlist_free(expect_list(&r));
    mt_response_free(&r);
    free(env);
    ews_mock_stop(m);
}

static long now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000L + t.tv_nsec / 1000000L;
}

static void test_stall(void **state)
{
    (void)state;
    ews_mock_options o = mt_demo_options();
    ews_mock *m = mt_start(&o);
    ews_mock_faults f = { 0 };
    f.stall = 1;
    ews_mock_set_faults(m, &f);
    size_t len;
    char *env = mt_envelope("Exchange2013", EWS_IMPERSONATE_NONE, NULL, &len);
    mt_request rq = { ews_mock_url(m), env, len, NULL, NULL, NULL, 400, 0 };
    mt_response r;
    mt_post(NULL, &rq, &r);
    assert_int_equal(r.curl_rc, CURLE_OPERATION_TIMEDOUT);
    mt_response_free(&r);

    /* A stalled connection that is still open must not hold up stop. */
    CURL *keep = curl_easy_init();
    f.stall = 1;
    ews_mock_set_faults(m, &f);
    mt_post(keep, &rq, &r);
    assert_int_equal(r.curl_rc, CURLE_OPERATION_TIMEDOUT);
    mt_response_free(&r);
    long t0 = now_ms();
    ews_mock_stop(m);
    assert_true(now_ms() - t0 < 3000);
    curl_easy_cleanup(keep);
    free(env);
}

static void expect_start_error(const ews_mock_options *o, const char *mentions)
{
    char err[512] = "";
    ews_mock *m = (ews_mock *)1;
    assert_int_equal(ews_mock_start(&m, o, err, sizeof err), -1);
    assert_null(m);
    if (!ts_contains(err, mentions))
        fail_msg("start error '%s' does not mention '%s'", err, mentions);
}

static void test_start_errors(void **state)
{
    (void)state;
    static char path[1024];
    ews_mock_mailbox mb[2] = { { "a@contoso.com", path, NULL, NULL },
                               { "A@contoso.com", NULL, "<ImItemList xmlns='" TYPES_NS "'/>", NULL } };
    ews_mock_options o = mt_demo_options();
    o.mailboxes = mb;
    o.mailbox_count = 1;

    snprintf(path, sizeof path, "%s", ts_fixture_path("mock/wrong-root.xml"));
    expect_start_error(&o, "wrong-root.xml");
    expect_start_error(&o, "Groups");
    snprintf(path, sizeof path, "%s", ts_fixture_path("mock/truncated.xml"));
    expect_start_error(&o, "truncated.xml");
    snprintf(path, sizeof path, "%s", ts_fixture_path("mock/no-such-file.xml"));
    expect_start_error(&o, "No such file");
    snprintf(path, sizeof path, "%s", ts_fixture_path("mock/empty.xml"));
    o.mailbox_count = 2;
    expect_start_error(&o, "twice");
    mb[1].address = "not-an-address";
    expect_start_error(&o, "not an SMTP address");
    o.mailbox_count = 0;
    expect_start_error(&o, "no mailbox");

    o = mt_demo_options();
    o.version = 99;
    expect_start_error(&o, "version");
    o = mt_demo_options();
    o.min_server_version = "Exchange1999";
    expect_start_error(&o, "Exchange1999");
    o = mt_demo_options();
    o.auth = EWS_MOCK_AUTH_BASIC;
    o.username = "u";
    expect_start_error(&o, "password");
    o = mt_demo_options();
    o.auth = EWS_MOCK_AUTH_BEARER;
    expect_start_error(&o, "token");
    o = mt_demo_options();
    o.tls_cert_file = "cert.pem";
    expect_start_error(&o, "key");
    o = mt_demo_options();
    o.tls_cert_file = ts_fixture_path("mock/no-such-cert.pem");
    o.tls_key_file = o.tls_cert_file;
    expect_start_error(&o, "no-such-cert.pem");
    o = mt_demo_options();
    o.bind_address = "203.0.113.7"; /* TEST-NET-3: not ours */
    expect_start_error(&o, "203.0.113.7");
    o.bind_address = "not an address";
    expect_start_error(&o, "not an address");
}

static void test_options_copied(void **state)
{
    (void)state;
    /* Everything is copied at start: the caller's strings may go. */
    char user[32], pass[32], addr[32];
    snprintf(user, sizeof user, "u@contoso.com");
    snprintf(pass, sizeof pass, "secret");
    snprintf(addr, sizeof addr, "demo@contoso.com");
    char *xml = strdup(ews_mock_demo_mailbox_xml());
    ews_mock_mailbox mb = { addr, NULL, xml, NULL };
    ews_mock_options o = mt_demo_options();
    o.mailboxes = &mb;
    o.auth = EWS_MOCK_AUTH_BASIC;
    o.username = user;
    o.password = pass;
    ews_mock *m = mt_start(&o);
    memset(user, 'x', sizeof user - 1);
    memset(pass, 'x', sizeof pass - 1);
    memset(xml, 'x', strlen(xml));
    free(xml);
    size_t len;
    char *env = mt_envelope("Exchange2013", EWS_IMPERSONATE_NONE, NULL, &len);
    mt_request rq = { ews_mock_url(m), env, len, NULL, "u@contoso.com:secret", NULL, 0, 0 };
    mt_response r;
    mt_post(NULL, &rq, &r);
    ews_imlist *l = expect_list(&r);
    assert_int_equal(ews_imlist_group_count(l), 4);
    ews_imlist_free(l);
    mt_response_free(&r);
    free(env);
    ews_mock_stop(m);
}

int main(void)
{
    curl_global_init(CURL_GLOBAL_ALL);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_demo_mailbox),
        cmocka_unit_test(test_request_ids),
        cmocka_unit_test(test_missing_server_version),
        cmocka_unit_test(test_fault_matches_reference),
        cmocka_unit_test(test_server_versions),
        cmocka_unit_test(test_impersonation),
        cmocka_unit_test(test_impersonation_denied),
        cmocka_unit_test(test_server_busy),
        cmocka_unit_test(test_http_503),
        cmocka_unit_test(test_bad_requests),
        cmocka_unit_test(test_hostile_bodies),
        cmocka_unit_test(test_start_demo),
        cmocka_unit_test(test_https_namespaces),
        cmocka_unit_test(test_delay),
        cmocka_unit_test(test_close_mid_body),
        cmocka_unit_test(test_stall),
        cmocka_unit_test(test_start_errors),
        cmocka_unit_test(test_options_copied),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    curl_global_cleanup();
    return failed;
}
