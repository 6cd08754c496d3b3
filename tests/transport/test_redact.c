/* Redaction of header blocks, the WWW-Authenticate parser and base64. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "http/transport.h"
#include "http/redact.h"
#include "http/challenge.h"
#include "http/gss.h"

static char *redact(const char *in)
{
    size_t len;
    char *out = ews_redact_headers(in, strlen(in), &len);
    assert_non_null(out);
    assert_int_equal(strlen(out), len);
    return out;
}

static void expect_redacted(const char *in, const char *want)
{
    char *out = redact(in);
    assert_string_equal(out, want);
    free(out);
}

static void test_request_head(void **state)
{
    (void)state;
    expect_redacted("POST /EWS/Exchange.asmx HTTP/1.1\r\n"
                    "Host: mail.contoso.example\r\n"
                    "Authorization: Basic YWxpY2U6U2VjcmV0MTIz\r\n"
                    "Cookie: X-BackEndCookie=abc; other=def\r\n"
                    "Content-Type: text/xml; charset=utf-8\r\n"
                    "\r\n",
                    "POST /EWS/Exchange.asmx HTTP/1.1\r\n"
                    "Host: mail.contoso.example\r\n"
                    "Authorization: Basic ***\r\n"
                    "Cookie: ***\r\n"
                    "Content-Type: text/xml; charset=utf-8\r\n"
                    "\r\n");
}

static void test_case_and_spacing(void **state)
{
    (void)state;
    expect_redacted("authorization:Bearer eyJ0eXAiOiJKV1Qi.x.y\n",
                    "authorization:Bearer ***\n");
    expect_redacted("PROXY-AUTHORIZATION:   NTLM TlRMTVNTUAABAAAA\r\n",
                    "PROXY-AUTHORIZATION:   NTLM ***\r\n");
    /* A bare credential: nothing is known to be harmless. */
    expect_redacted("Authorization: c2VjcmV0\r\n", "Authorization: ***\r\n");
    expect_redacted("set-cookie: s=1; Path=/\r\n", "set-cookie: ***\r\n");
}

static void test_challenges(void **state)
{
    (void)state;
    expect_redacted("HTTP/1.1 401 Unauthorized\r\n"
                    "WWW-Authenticate: Negotiate oYG2MIGzoAMKAQGhDAYKKwYBBAGCNwICCqKBnQSBmk5U==\r\n"
                    "WWW-Authenticate: NTLM\r\n"
                    "WWW-Authenticate: Basic realm=\"mail.contoso.example\"\r\n"
                    "\r\n",
                    "HTTP/1.1 401 Unauthorized\r\n"
                    "WWW-Authenticate: Negotiate ***\r\n"
                    "WWW-Authenticate: NTLM\r\n"
                    "WWW-Authenticate: Basic realm=\"mail.contoso.example\"\r\n"
                    "\r\n");
    expect_redacted("WWW-Authenticate: Basic realm=\"a, b\", NTLM abc+/=, Bearer error=\"x\"\r\n",
                    "WWW-Authenticate: Basic realm=\"a, b\", NTLM ***, Bearer error=\"x\"\r\n");
}

static void test_folded_and_unterminated(void **state)
{
    (void)state;
    expect_redacted("Authorization: Basic\r\n  YWxpY2U6U2VjcmV0MTIz\r\nX-A: 1\r\n",
                    "Authorization: ***\r\n  ***\r\nX-A: 1\r\n");
    expect_redacted("Cookie: a=b", "Cookie: ***");
    expect_redacted("", "");
}

static void test_untouched(void **state)
{
    (void)state;
    const char *in = "HTTP/1.1 200 OK\r\nrequest-id: 1234\r\nX-Authorization-Hint: keep\r\n\r\n";
    expect_redacted(in, in);
    /* Not a header line although it has a colon. */
    expect_redacted("POST http://proxy.example:3128/ HTTP/1.1\r\n",
                    "POST http://proxy.example:3128/ HTTP/1.1\r\n");
}

static void test_parse_challenges(void **state)
{
    (void)state;
    ews_auth_challenge ch[EWS_AUTH_MAX_CHALLENGES];
    const char *v = "Negotiate, NTLM TlRMTVNTUAACAAAA==, Basic realm=\"x, y\", charset=\"UTF-8\", "
                    "Bearer authorization_uri=\"https://login.example/\", error=\"invalid\"";
    size_t n = ews_auth_parse_challenges(v, ch, EWS_AUTH_MAX_CHALLENGES);
    assert_int_equal(n, 4);
    assert_non_null(ews_auth_find_challenge(ch, n, "negotiate"));
    assert_null(ews_auth_find_challenge(ch, n, "negotiate")->token);
    const ews_auth_challenge *ntlm = ews_auth_find_challenge(ch, n, "NTLM");
    assert_non_null(ntlm);
    assert_int_equal(ntlm->token_len, strlen("TlRMTVNTUAACAAAA=="));
    assert_memory_equal(ntlm->token, "TlRMTVNTUAACAAAA==", ntlm->token_len);
    assert_non_null(ews_auth_find_challenge(ch, n, "Basic"));
    assert_null(ews_auth_find_challenge(ch, n, "Basic")->token);
    assert_non_null(ews_auth_find_challenge(ch, n, "Bearer"));
    assert_null(ews_auth_find_challenge(ch, n, "Digest"));

    assert_int_equal(ews_auth_parse_challenges("", ch, EWS_AUTH_MAX_CHALLENGES), 0);
    assert_int_equal(ews_auth_parse_challenges(NULL, ch, EWS_AUTH_MAX_CHALLENGES), 0);
    assert_int_equal(ews_auth_parse_challenges(" , ,NTLM,,", ch, EWS_AUTH_MAX_CHALLENGES), 1);
    /* Garbage does not stop the parser from finding what follows. */
    n = ews_auth_parse_challenges("@@@, Negotiate abc", ch, EWS_AUTH_MAX_CHALLENGES);
    assert_int_equal(n, 1);
    assert_int_equal(ch[0].token_len, 3);
    /* Bounded. */
    assert_int_equal(ews_auth_parse_challenges("A, B, C", ch, 2), 2);
}

static void test_base64(void **state)
{
    (void)state;
    static const struct {
        const char *plain, *b64;
    } cases[] = { { "", "" },     { "f", "Zg==" },     { "fo", "Zm8=" },
                  { "foo", "Zm9v" }, { "foob", "Zm9vYg==" }, { "fooba", "Zm9vYmE=" },
                  { "foobar", "Zm9vYmFy" } };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *e = ews_base64_encode(cases[i].plain, strlen(cases[i].plain));
        assert_string_equal(e, cases[i].b64);
        free(e);
        size_t len;
        int bad;
        unsigned char *d = ews_base64_decode(cases[i].b64, strlen(cases[i].b64), &len, &bad);
        assert_non_null(d);
        assert_int_equal(bad, 0);
        assert_int_equal(len, strlen(cases[i].plain));
        assert_memory_equal(d, cases[i].plain, len);
        free(d);
    }
    unsigned char bin[256];
    for (int i = 0; i < 256; i++)
        bin[i] = (unsigned char)i;
    char *e = ews_base64_encode(bin, sizeof bin);
    size_t len;
    int bad;
    unsigned char *d = ews_base64_decode(e, strlen(e), &len, &bad);
    assert_int_equal(len, sizeof bin);
    assert_memory_equal(d, bin, sizeof bin);
    free(d);
    free(e);
    /* Unpadded is accepted; invalid characters and lengths are not. */
    d = ews_base64_decode("Zm8", 3, &len, &bad);
    assert_non_null(d);
    assert_int_equal(len, 2);
    free(d);
    assert_null(ews_base64_decode("Zm9v!", 5, &len, &bad));
    assert_int_equal(bad, 1);
    assert_null(ews_base64_decode("Z", 1, &len, &bad));
    assert_int_equal(bad, 1);
    assert_null(ews_base64_decode("Zm9=v", 5, &len, &bad));
    assert_int_equal(bad, 1);
    /* OpenSSL's decoder skips surrounding whitespace; a token must not. */
    assert_null(ews_base64_decode(" Zm9v", 5, &len, &bad));
    assert_int_equal(bad, 1);
    assert_null(ews_base64_decode("Zm9v\n", 5, &len, &bad));
    assert_int_equal(bad, 1);
    assert_null(ews_base64_decode("Zm\0v", 4, &len, &bad));
    assert_int_equal(bad, 1);
    assert_null(ews_base64_decode("Zm9v===", 7, &len, &bad));
    assert_int_equal(bad, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_request_head),
        cmocka_unit_test(test_case_and_spacing),
        cmocka_unit_test(test_challenges),
        cmocka_unit_test(test_folded_and_unterminated),
        cmocka_unit_test(test_untouched),
        cmocka_unit_test(test_parse_challenges),
        cmocka_unit_test(test_base64),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
