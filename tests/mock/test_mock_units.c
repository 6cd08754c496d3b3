/* The mock's pure pieces, without sockets: HTTP head parsing, chunked
 * decoding, base64, mailbox files, fault documents. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "http.h"
#include "mailbox.h"
#include "mock_test_util.h"
#include "soap_fault.h"
#include "soapH.h"
#include "soapctx.h"

/* Parses text as a head; returns the status, req filled. */
static int parse(const char *text, http_request *req, const char **why)
{
    static char head[8192];
    size_t len = strlen(text);
    assert_true(len < sizeof head);
    memcpy(head, text, len);
    return http_parse_head(req, head, len, why);
}

static void test_head_length(void **state)
{
    (void)state;
    assert_int_equal(http_head_length("GET / HTTP/1.1\r\nHost: x\r\n\r\nBODY", 31), 27);
    assert_int_equal(http_head_length("GET / HTTP/1.1\nHost: x\n\nBODY", 28), 24);
    assert_int_equal(http_head_length("GET / HTTP/1.1\r\nHost: x\r\n", 25), 0);
    assert_int_equal(http_head_length("", 0), 0);
}

static void test_parse_ok(void **state)
{
    (void)state;
    http_request req;
    const char *why;
    assert_int_equal(parse("POST /EWS/Exchange.asmx?a=b HTTP/1.1\r\nHost: h\r\n"
                           "Content-Length:  42 \r\nConnection: Keep-Alive, TE\r\n"
                           "Expect: 100-Continue\r\nX-Empty:\r\n\r\n",
                           &req, &why),
                     0);
    assert_string_equal(req.method, "POST");
    assert_string_equal(req.target, "/EWS/Exchange.asmx?a=b");
    assert_string_equal(req.path, "/EWS/Exchange.asmx");
    assert_int_equal(req.minor_version, 1);
    assert_true(req.has_content_length);
    assert_int_equal(req.content_length, 42);
    assert_true(req.keep_alive);
    assert_true(req.expect_continue);
    assert_string_equal(http_header_get(&req, "content-length"), "42");
    assert_string_equal(http_header_get(&req, "X-Empty"), "");
    assert_null(http_header_get(&req, "Missing"));
    assert_true(http_header_has_token(&req, "Connection", "te"));

    assert_int_equal(parse("\r\nPOST http://h:1/EWS/Exchange.asmx HTTP/1.0\r\n\r\n", &req, &why), 0);
    assert_string_equal(req.path, "/EWS/Exchange.asmx");
    assert_false(req.keep_alive);
    assert_int_equal(parse("POST / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n"
                           "Transfer-Encoding: Chunked\r\n\r\n",
                           &req, &why),
                     0);
    assert_false(req.keep_alive);
    assert_true(req.chunked);
    assert_int_equal(parse("POST / HTTP/1.0\r\nConnection: keep-alive\r\n"
                           "Content-Length: 1\r\nContent-Length: 1\r\n\r\n",
                           &req, &why),
                     0);
    assert_true(req.keep_alive);
}

static void test_parse_errors(void **state)
{
    (void)state;
    static const struct {
        const char *head;
        int status;
    } cases[] = {
        { .head = "\r\n\r\n", .status = 400 },
        { .head = "GET\r\n\r\n", .status = 400 },
        { .head = "GET  / HTTP/1.1\r\nHost: h\r\n\r\n", .status = 400 },
        { .head = "GET / HTTP/1.1 extra\r\nHost: h\r\n\r\n", .status = 400 },
        { .head = "G(T / HTTP/1.1\r\nHost: h\r\n\r\n", .status = 400 },
        { .head = "GET / FTP/1.1\r\nHost: h\r\n\r\n", .status = 400 },
        { .head = "GET / HTTP/1.11\r\nHost: h\r\n\r\n", .status = 400 },
        { .head = "GET / HTTP/3.0\r\nHost: h\r\n\r\n", .status = 505 },
        { .head = "GET relative HTTP/1.1\r\nHost: h\r\n\r\n", .status = 400 },
        { .head = "GET ftp://h/ HTTP/1.1\r\nHost: h\r\n\r\n", .status = 400 },
        { .head = "GET / HTTP/1.1\r\n\r\n", .status = 400 },
        { .head = "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", .status = 400 },
        { .head = "GET / HTTP/1.1\r\nHost: h\r\nNo colon\r\n\r\n", .status = 400 },
        { .head = "GET / HTTP/1.1\r\nHost: h\r\n: empty name\r\n\r\n", .status = 400 },
        { .head = "GET / HTTP/1.1\r\nHost: h\r\nX: a\rb\r\n\r\n", .status = 400 },
        { .head = "GET / HTTP/1.1\r\nHost: h\r\nX: a\x01" "b\r\n\r\n", .status = 400 },
        { .head = "GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 1x\r\n\r\n", .status = 400 },
        { .head = "GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 99999999999999999999999\r\n\r\n",
          .status = 400 },
        { .head = "GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
          .status = 400 },
        { .head = "GET / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
          .status = 501 },
        { .head = "GET / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", .status = 400 },
        { .head = "GET / HTTP/1.1\r\nHost: h\r\nExpect: something\r\n\r\n", .status = 417 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        http_request req;
        const char *why = NULL;
        int status = parse(cases[i].head, &req, &why);
        if (status != cases[i].status)
            fail_msg("case %zu: status %d, expected %d", i, status, cases[i].status);
        assert_non_null(why);
        assert_true(*why);
    }

    /* Too many header fields. */
    char head[8192] = "GET / HTTP/1.1\r\nHost: h\r\n";
    for (int i = 0; i < HTTP_MAX_HEADERS; i++)
        strcat(head, "X: 1\r\n");
    strcat(head, "\r\n");
    http_request req;
    const char *why;
    assert_int_equal(parse(head, &req, &why), 431);
    char longpath[2100] = "GET /";
    memset(longpath + 5, 'a', 2000);
    strcpy(longpath + 2005, " HTTP/1.1\r\nHost: h\r\n\r\n");
    assert_int_equal(parse(longpath, &req, &why), 414);
}

/* Decodes input fed in pieces of `step` bytes. */
static int chunked(const char *in, size_t step, size_t limit, ews_buf *body, size_t *consumed)
{
    http_chunked c;
    memset(&c, 0, sizeof c);
    body->limit = limit;
    size_t len = strlen(in), at = 0;
    int rc = HTTP_CHUNKED_MORE;
    while (at < len && rc == HTTP_CHUNKED_MORE) {
        size_t n = len - at < step ? len - at : step, used = 0;
        rc = http_chunked_feed(&c, in + at, n, &used, body);
        at += used;
        if (rc == HTTP_CHUNKED_MORE)
            assert_int_equal(used, n);
    }
    *consumed = at;
    return rc;
}

static void test_chunked(void **state)
{
    (void)state;
    const char *msg = "5;ext=1\r\nhello\r\nA\r\n, chunked!\r\n0\r\nTrailer: x\r\n\r\nNEXT";
    for (size_t step = 1; step < 64; step++) {
        ews_buf body = EWS_BUF_INIT;
        size_t used;
        assert_int_equal(chunked(msg, step, 0, &body, &used), HTTP_CHUNKED_DONE);
        assert_string_equal(body.data, "hello, chunked!");
        assert_int_equal(used, strlen(msg) - 4);
        ews_buf_free(&body);
    }
    static const struct {
        const char *in;
        size_t limit;
        int rc;
    } cases[] = {
        { .in = "0\r\n\r\n", .limit = 0, .rc = HTTP_CHUNKED_DONE },
        { .in = "0\n\n", .limit = 0, .rc = HTTP_CHUNKED_DONE },
        { .in = "3\r\nabc\r\n", .limit = 0, .rc = HTTP_CHUNKED_MORE },
        { .in = "x\r\n", .limit = 0, .rc = 400 },
        { .in = "\r\n", .limit = 0, .rc = 400 },
        { .in = "3\r\nabcd\r\n", .limit = 0, .rc = 400 },
        { .in = "3\r\nabc\r\r\n", .limit = 0, .rc = 400 },
        { .in = "fffffffffffffffffffff\r\n", .limit = 0, .rc = 413 },
        { .in = "10\r\n", .limit = 8, .rc = 413 },
        { .in = "4\r\nabcd\r\n5\r\n", .limit = 8, .rc = 413 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ews_buf body = EWS_BUF_INIT;
        size_t used;
        int rc = chunked(cases[i].in, 3, cases[i].limit, &body, &used);
        if (rc != cases[i].rc)
            fail_msg("case %zu: %d, expected %d", i, rc, cases[i].rc);
        ews_buf_free(&body);
    }
    /* Endless trailers are cut off. */
    ews_buf body = EWS_BUF_INIT, in = EWS_BUF_INIT;
    assert_int_equal(ews_buf_puts(&in, "0\r\n"), 0);
    for (int i = 0; i < 2000; i++)
        assert_int_equal(ews_buf_puts(&in, "X-Trailer: 0123456789\r\n"), 0);
    size_t used;
    assert_int_equal(chunked(in.data, 100, 0, &body, &used), 400);
    ews_buf_free(&in);
    ews_buf_free(&body);
}

static void test_base64(void **state)
{
    (void)state;
    unsigned char out[64];
    assert_int_equal(mock_base64_decode("dTpw", 4, out, sizeof out), 3);
    assert_memory_equal(out, "u:p", 3);
    assert_int_equal(mock_base64_decode("YWI=", 4, out, sizeof out), 2);
    assert_int_equal(mock_base64_decode("YWI", 3, out, sizeof out), 2);
    assert_int_equal(mock_base64_decode("YQ==", 4, out, sizeof out), 1);
    assert_int_equal(mock_base64_decode("", 0, out, sizeof out), 0);
    assert_int_equal(mock_base64_decode("Y", 1, out, sizeof out), -1);
    assert_int_equal(mock_base64_decode("Y!==", 4, out, sizeof out), -1);
    assert_int_equal(mock_base64_decode("YWJj", 4, out, 2), -1);
}

static void test_auth_check(void **state)
{
    (void)state;
    mock_auth_config basic = { EWS_MOCK_AUTH_BASIC, "u", "p", NULL };
    assert_int_equal(mock_auth_check(&basic, "Basic dTpw"), MOCK_AUTH_OK);
    assert_int_equal(mock_auth_check(&basic, "basic   dTpw"), MOCK_AUTH_OK);
    assert_int_equal(mock_auth_check(&basic, NULL), MOCK_AUTH_MISSING);
    assert_int_equal(mock_auth_check(&basic, "Negotiate abc"), MOCK_AUTH_MISSING);
    assert_int_equal(mock_auth_check(&basic, "Basic dTpx"), MOCK_AUTH_WRONG);   /* u:q */
    assert_int_equal(mock_auth_check(&basic, "Basic dXA="), MOCK_AUTH_WRONG);   /* up */
    assert_int_equal(mock_auth_check(&basic, "Basic dTpwcA=="), MOCK_AUTH_WRONG); /* u:pp */
    mock_auth_config bearer = { EWS_MOCK_AUTH_BEARER, NULL, NULL, "tok" };
    assert_int_equal(mock_auth_check(&bearer, "Bearer tok"), MOCK_AUTH_OK);
    assert_int_equal(mock_auth_check(&bearer, "Bearer to"), MOCK_AUTH_WRONG);
    assert_int_equal(mock_auth_check(&bearer, "Bearer"), MOCK_AUTH_MISSING);
    mock_auth_config none = { EWS_MOCK_AUTH_NONE, NULL, NULL, NULL };
    assert_int_equal(mock_auth_check(&none, "Bearer whatever"), MOCK_AUTH_OK);
}

static void test_mailbox_files(void **state)
{
    (void)state;
    static const struct {
        const char *xml;
        int ok;
        size_t groups;
    } cases[] = {
        { .xml = "<ImItemList xmlns='http://schemas.microsoft.com/exchange/services/2006/types'/>",
          .ok = 1, .groups = 0 },
        { .xml = "<x:ImItemList xmlns:x='https://schemas.microsoft.com/exchange/services/2006/types'>"
          "<x:Groups><x:ImGroup><x:DisplayName>G</x:DisplayName></x:ImGroup></x:Groups>"
          "</x:ImItemList>",
          .ok = 1, .groups = 1 },
        { .xml = "<m:ImItemList xmlns:m='http://schemas.microsoft.com/exchange/services/2006/messages'/>",
          .ok = 1, .groups = 0 },
        { .xml = "<ImItemList/>", .ok = 0, .groups = 0 },
        { .xml = "<ImItemList xmlns='urn:other'/>", .ok = 0, .groups = 0 },
        { .xml = "<ImItemList xmlns='http://schemas.microsoft.com/exchange/services/2006/types'>",
          .ok = 0, .groups = 0 },
        { .xml = "", .ok = 0, .groups = 0 },
        { .xml = "not xml", .ok = 0, .groups = 0 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct soap *soap = ews_soap_new();
        struct t__ImItemListType *list = NULL;
        char why[256] = "";
        int rc = mailbox_parse(soap, cases[i].xml, strlen(cases[i].xml), &list, why, sizeof why);
        if ((rc == 0) != cases[i].ok)
            fail_msg("case %zu: rc %d (%s)", i, rc, why);
        if (rc == 0) {
            size_t groups = list->Groups ? (size_t)list->Groups->__size_ArrayOfImGroupType : 0;
            assert_int_equal(groups, cases[i].groups);
        } else {
            assert_true(why[0]);
        }
        ews_soap_free(soap);
    }
    /* The demo mailbox is what the README says. */
    struct soap *soap = ews_soap_new();
    struct t__ImItemListType *list = NULL;
    char why[256];
    const char *demo = ews_mock_demo_mailbox_xml();
    assert_int_equal(mailbox_parse(soap, demo, strlen(demo), &list, why, sizeof why), 0);
    assert_int_equal(list->Groups->__size_ArrayOfImGroupType, 4);
    assert_int_equal(list->Personas->__size_ArrayOfPeopleType, 2);
    ews_soap_free(soap);
}

static void test_fault_document(void **state)
{
    (void)state;
    ews_buf out = EWS_BUF_INIT;
    assert_int_equal(mock_fault_standalone(&out, "ErrorNonExistentMailbox", NULL, "SmtpAddress",
                                           "a<b>&\"c\"@contoso.com"),
                     0);
    assert_true(ts_contains(out.data, "<faultcode>a:ErrorNonExistentMailbox</faultcode>"));
    assert_true(ts_contains(out.data, "<faultstring>The SMTP address has no mailbox associated "
                                      "with it.</faultstring>"));
    assert_true(ts_contains(out.data, "<t:Value Name=\"SmtpAddress\">a&lt;b&gt;&amp;&quot;c&quot;"
                                      "@contoso.com</t:Value>"));
    ews_buf_free(&out);
    assert_int_equal(mock_fault_standalone(&out, "ErrorSomethingNew", "Custom & text", NULL, NULL), 0);
    assert_true(ts_contains(out.data, "<faultstring>Custom &amp; text</faultstring>"));
    assert_false(ts_contains(out.data, "MessageXml"));
    ews_buf_free(&out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_head_length),
        cmocka_unit_test(test_parse_ok),
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_chunked),
        cmocka_unit_test(test_base64),
        cmocka_unit_test(test_auth_check),
        cmocka_unit_test(test_mailbox_files),
        cmocka_unit_test(test_fault_document),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
