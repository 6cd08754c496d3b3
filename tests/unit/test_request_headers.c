/* What a GetImItemList request (ews_im_request) refuses to put on the wire, and that a
 * refused request leaves the output empty. The accepted forms are compared
 * with their expected XML in tests/conformance. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "ews_test_util.h"
#include "imlist/imops.h"

static int build(const char *version, const char *culture, ews_impersonation_kind kind,
                 const char *value, ews_err *err, ews_buf *out)
{
    ews_request_headers h = { version, culture, { kind, value } };
    ews_err_init(err);
    int rc = ews_im_request(out, &h, &ews_im_get_im_item_list, &(ews_im_args){ 0 }, err);
    assert_int_equal(err->pub.code, rc);
    return rc;
}

static void expect_refused(const char *version, const char *culture, ews_impersonation_kind kind,
                           const char *value, int code, ews_error_category category)
{
    ews_buf out = EWS_BUF_INIT;
    ews_err err;
    assert_int_equal(build(version, culture, kind, value, &err, &out), code);
    assert_int_equal(err.pub.category, category);
    assert_int_equal(out.len, 0);
    ews_buf_free(&out);
    ews_err_free(&err);
}

static void test_accepts_valid_headers(void **state)
{
    (void)state;
    ews_buf out = EWS_BUF_INIT;
    ews_err err;
    assert_int_equal(build("Exchange2013", "en-US", EWS_IMPERSONATE_SMTP, "alice@example.com",
                           &err, &out), 0);
    assert_true(out.len > 0);
    assert_contains(out.data, "alice@example.com");
    ews_buf_free(&out);
    ews_err_free(&err);
    /* Newer versions than the operation needs are fine too. */
    assert_int_equal(build("V2018_01_08", NULL, EWS_IMPERSONATE_NONE, NULL, &err, &out), 0);
    assert_contains(out.data, "V2018_01_08");
    ews_buf_free(&out);
    ews_err_free(&err);
}

static void test_control_characters(void **state)
{
    (void)state;
    static const char *const bad[] = { "alice\n@example.com", "alice@example.com\r",
                                       "\talice@example.com", "ali\x7f" "ce@example.com",
                                       "alice\x01@example.com" };
    static const ews_impersonation_kind kinds[] = { EWS_IMPERSONATE_PRIMARY_SMTP,
                                                    EWS_IMPERSONATE_SMTP,
                                                    EWS_IMPERSONATE_PRINCIPAL_NAME,
                                                    EWS_IMPERSONATE_SID };
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
        for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
            expect_refused("Exchange2013", "en-US", kinds[k], bad[i], EWS_EINVAL, EWS_CAT_CONFIG);
}

static void test_empty_or_unknown_impersonation(void **state)
{
    (void)state;
    expect_refused("Exchange2013", NULL, EWS_IMPERSONATE_SMTP, "", EWS_EINVAL, EWS_CAT_CONFIG);
    expect_refused("Exchange2013", NULL, EWS_IMPERSONATE_SID, NULL, EWS_EINVAL, EWS_CAT_CONFIG);
    expect_refused("Exchange2013", NULL, (ews_impersonation_kind)42, "x", EWS_EINVAL,
                   EWS_CAT_CONFIG);
}

static void test_server_version(void **state)
{
    (void)state;
    expect_refused("Exchange2099", NULL, EWS_IMPERSONATE_NONE, NULL, EWS_EINVAL, EWS_CAT_CONFIG);
    expect_refused("exchange2013", NULL, EWS_IMPERSONATE_NONE, NULL, EWS_EINVAL, EWS_CAT_CONFIG);
    expect_refused("", NULL, EWS_IMPERSONATE_NONE, NULL, EWS_EINVAL, EWS_CAT_CONFIG);
    expect_refused(NULL, NULL, EWS_IMPERSONATE_NONE, NULL, EWS_EINVAL, EWS_CAT_CONFIG);
    /* GetImItemList exists from Exchange2013 on. */
    expect_refused("Exchange2010", NULL, EWS_IMPERSONATE_NONE, NULL, EWS_EVERSION,
                   EWS_CAT_VERSION);
    expect_refused("Exchange2012", NULL, EWS_IMPERSONATE_NONE, NULL, EWS_EVERSION,
                   EWS_CAT_VERSION);

    ews_buf out = EWS_BUF_INIT;
    ews_err err;
    assert_int_equal(build("Exchange2010", NULL, EWS_IMPERSONATE_NONE, NULL, &err, &out),
                     EWS_EVERSION);
    assert_contains(err.pub.message, "Exchange2013");
    ews_err_free(&err);
}

static void test_culture(void **state)
{
    (void)state;
    static const char *const bad[] = { "en_US!", "en_US", "", "-US", "en-", "en--US",
                                       "toolongxx-US", "en-US ", "1en" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        expect_refused("Exchange2013", bad[i], EWS_IMPERSONATE_NONE, NULL, EWS_EINVAL,
                       EWS_CAT_CONFIG);

    static const char *const good[] = { "en", "en-US", "zh-Hans-CN", "de-CH-1996" };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        ews_buf out = EWS_BUF_INIT;
        ews_err err;
        assert_int_equal(build("Exchange2013", good[i], EWS_IMPERSONATE_NONE, NULL, &err, &out),
                         0);
        assert_contains(out.data, good[i]);
        ews_buf_free(&out);
        ews_err_free(&err);
    }
}

/* XML-special characters are escaped, never passed through raw. */
static void test_escaping(void **state)
{
    (void)state;
    ews_buf out = EWS_BUF_INIT;
    ews_err err;
    assert_int_equal(build("Exchange2013", NULL, EWS_IMPERSONATE_PRINCIPAL_NAME, "a&b<c>@x.com",
                           &err, &out), 0);
    assert_contains(out.data, "a&amp;b&lt;c&gt;@x.com");
    assert_false(ts_contains(out.data, "a&b"));
    assert_false(ts_contains(out.data, "<c>"));
    ews_buf_free(&out);
    ews_err_free(&err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_accepts_valid_headers),
        cmocka_unit_test(test_control_characters),
        cmocka_unit_test(test_empty_or_unknown_impersonation),
        cmocka_unit_test(test_server_version),
        cmocka_unit_test(test_culture),
        cmocka_unit_test(test_escaping),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
