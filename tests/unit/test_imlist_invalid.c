/* Documents that are not a usable GetImItemList response fail cleanly, with
 * the right code, in both modes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ews_test_util.h"

static int parse_case(const char *name, int strict, ews_err *err)
{
    ews_imlist *l;
    ews_err_init(err);
    return ews_test_parse_case(name, strict, &l, err);
}

static void test_html_error_page(void **state)
{
    (void)state;
    for (int strict = 0; strict <= 1; strict++) {
        ews_err err;
        assert_int_equal(parse_case("html-error-page", strict, &err), EWS_ENOTSOAP);
        assert_int_equal(err.pub.category, EWS_CAT_INVALID_RESPONSE);
        assert_str(err.pub.element, "html");
        ews_err_free(&err);
    }
}

static void test_malformed(void **state)
{
    (void)state;
    for (int strict = 0; strict <= 1; strict++) {
        ews_err err;
        assert_int_equal(parse_case("malformed", strict, &err), EWS_EPARSE);
        assert_int_equal(err.pub.category, EWS_CAT_INVALID_RESPONSE);
        ews_err_free(&err);
    }
}

static void test_truncated(void **state)
{
    (void)state;
    for (int strict = 0; strict <= 1; strict++) {
        ews_err err;
        assert_int_equal(parse_case("truncated", strict, &err), EWS_EPARSE);
        ews_err_free(&err);
    }
}

/* Cut the reference anywhere before its last end tag: never a success,
 * never a crash or a leak. */
static void test_truncated_everywhere(void **state)
{
    (void)state;
    size_t len;
    char *full = ews_test_load("reference-http", "response.xml", &len);
    const char *end = strstr(full, "</s:Envelope>");
    assert_non_null(end);
    size_t last = (size_t)(end - full) + strlen("</s:Envelope>") - 1;
    for (int strict = 0; strict <= 1; strict++) {
        ews_limits lim = EWS_LIMITS_DEFAULT;
        lim.strict = strict;
        for (size_t n = 1; n <= last; n += (n < 64 ? 1 : 37)) {
            char *cut = malloc(n);
            assert_non_null(cut);
            memcpy(cut, full, n);
            ews_imlist *l;
            ews_err err;
            ews_err_init(&err);
            int rc = ews_test_parse(cut, n, &lim, &l, &err);
            if (rc != EWS_EPARSE && rc != EWS_ENOTSOAP)
                fail_msg("cut at %zu (strict=%d): %s (%s)", n, strict, ews_err_name(rc),
                         err.pub.message);
            ews_err_free(&err);
            free(cut);
        }
    }
    free(full);
}

static void test_wrong_namespace(void **state)
{
    (void)state;
    for (int strict = 0; strict <= 1; strict++) {
        ews_err err;
        int rc = parse_case("wrong-namespace", strict, &err);
        assert_int_equal(rc, strict ? EWS_ESTRICT : EWS_EPARSE);
        assert_contains(err.pub.element, "GetImItemListResponse");
        ews_err_free(&err);
    }
}

static void test_empty_body(void **state)
{
    (void)state;
    for (int strict = 0; strict <= 1; strict++) {
        ews_err err;
        assert_int_equal(parse_case("empty-body", strict, &err), EWS_EPARSE);
        assert_contains(err.pub.message, "empty");
        ews_err_free(&err);
    }
}

static void test_zero_bytes(void **state)
{
    (void)state;
    static const char nothing[1] = { 0 };
    ews_limits lim = EWS_LIMITS_DEFAULT;
    ews_imlist *l;
    ews_err err;
    ews_err_init(&err);
    assert_int_equal(ews_test_parse(nothing, 0, &lim, &l, &err), EWS_ENOTSOAP);
    ews_err_free(&err);
}

/* Leading blank space or a bare text body is not SOAP either. */
static void test_not_xml(void **state)
{
    (void)state;
    static const char *const docs[] = {
        "Service Unavailable",
        "{\"error\":\"throttled\"}",
        "   \n\t ",
    };
    ews_limits lim = EWS_LIMITS_DEFAULT;
    for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++) {
        ews_imlist *l;
        ews_err err;
        ews_err_init(&err);
        int rc = ews_test_parse(docs[i], strlen(docs[i]), &lim, &l, &err);
        if (rc != EWS_ENOTSOAP && rc != EWS_EPARSE)
            fail_msg("'%s': %s", docs[i], ews_err_name(rc));
        ews_err_free(&err);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_html_error_page),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_truncated),
        cmocka_unit_test(test_truncated_everywhere),
        cmocka_unit_test(test_wrong_namespace),
        cmocka_unit_test(test_empty_body),
        cmocka_unit_test(test_zero_bytes),
        cmocka_unit_test(test_not_xml),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
