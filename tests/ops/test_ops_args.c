/* The IM-list request builders refuse what they cannot put on the wire
 * correctly, naming the element, and write optional elements only when
 * they are given. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ews_test_util.h"
#include "ops_cases.h"

static const ews_request_headers headers = { "Exchange2013", NULL, { EWS_IMPERSONATE_NONE, NULL } };

/* Builds op's request from a; on success returns the request text (new,
 * NUL-terminated), else NULL with *rc and the error in err. */
static char *build(const char *op, const ews_request_headers *h, const ews_im_args *a, int *rc,
                   ews_err *err)
{
    ews_buf out = EWS_BUF_INIT;
    ews_err_init(err);
    *rc = ews_im_request(&out, h, ops_case_named(op)->op, a, err);
    if (*rc) {
        assert_int_equal(err->pub.code, *rc);
        ews_buf_free(&out);
        return NULL;
    }
    char *text = calloc(1, out.len + 1);
    assert_non_null(text);
    memcpy(text, out.data, out.len);
    ews_buf_free(&out);
    return text;
}

static void expect_invalid(const char *op, const ews_im_args *a, const char *element)
{
    int rc;
    ews_err err;
    char *text = build(op, &headers, a, &rc, &err);
    if (text)
        fail_msg("%s accepted arguments that should name %s:\n%s", op, element, text);
    assert_int_equal(rc, EWS_EINVAL);
    assert_int_equal(err.pub.category, EWS_CAT_CONFIG);
    assert_contains(err.pub.message, op);
    assert_contains(err.pub.message, element);
    ews_err_free(&err);
}

static char *expect_built(const char *op, const ews_im_args *a)
{
    int rc;
    ews_err err;
    char *text = build(op, &headers, a, &rc, &err);
    if (!text)
        fail_msg("%s: %s", op, err.pub.message);
    ews_err_free(&err);
    return text;
}

static const ews_item_id gid = { "G1", "CK1" };
static const ews_item_id cid = { "C1", NULL };

static void test_required_strings(void **state)
{
    (void)state;
    expect_invalid("AddImGroup", &(ews_im_args){ 0 }, "DisplayName");
    expect_invalid("AddImGroup", &(ews_im_args){ .display_name = "" }, "DisplayName");
    expect_invalid("SetImGroup", &(ews_im_args){ .group_id = &gid }, "NewDisplayName");
    expect_invalid("AddNewImContactToGroup", &(ews_im_args){ .display_name = "x" }, "ImAddress");
    /* optional, but never empty when sent */
    expect_invalid("AddNewImContactToGroup", &(ews_im_args){ .im_address = "a@b", .display_name = "" },
                   "DisplayName");
    ews_im_args tel = { .tel_uri_address = "tel:1", .im_contact_sip_uri_address = "sip:a@b" };
    expect_invalid("AddNewTelUriContactToGroup", &tel, "ImTelephoneNumber");
    expect_invalid("AddDistributionGroupToImList", &(ews_im_args){ .display_name = "x" },
                   "SmtpAddress");
    expect_invalid("AddDistributionGroupToImList", &(ews_im_args){ .smtp_address = "dl@x" },
                   "DisplayName");
}

static void test_required_ids(void **state)
{
    (void)state;
    static const ews_item_id no_id = { NULL, "CK" };
    expect_invalid("RemoveImGroup", &(ews_im_args){ 0 }, "GroupId");
    expect_invalid("RemoveImGroup", &(ews_im_args){ .group_id = &no_id }, "GroupId");
    expect_invalid("SetImGroup", &(ews_im_args){ .new_display_name = "n" }, "GroupId");
    expect_invalid("AddImContactToGroup", &(ews_im_args){ .group_id = &gid }, "ContactId");
    expect_invalid("RemoveImContactFromGroup", &(ews_im_args){ .contact_id = &cid }, "GroupId");
    expect_invalid("RemoveContactFromImList", &(ews_im_args){ 0 }, "ContactId");
    expect_invalid("RemoveDistributionGroupFromImList", &(ews_im_args){ .group_id = &no_id },
                   "GroupId");
    expect_invalid("AddNewImContactToGroup",
                   &(ews_im_args){ .im_address = "a@b", .group_id = &no_id }, "GroupId");
}

/* XML 1.0 cannot carry C0 controls (but TAB, LF, CR), and the engine
 * copies bytes: malformed UTF-8 would make the whole request malformed. */
static void test_text_that_xml_cannot_carry(void **state)
{
    (void)state;
    static const char *const bad[] = { "a\x01z", "a\x1bz", "\xc3", "\xc3(", "\xc0\xaf",
                                       "\xed\xa0\x80", "\xef\xbf\xbf", "\xf4\x90\x80\x80", "\xff" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        expect_invalid("AddImGroup", &(ews_im_args){ .display_name = bad[i] }, "DisplayName");
        const ews_item_id id = { "ok", bad[i] };
        expect_invalid("RemoveImGroup", &(ews_im_args){ .group_id = &id }, "GroupId");
    }
    static const char *const good[] = { "tab\there", "line\nbreak", "caf\xc3\xa9",
                                        "\xe2\x82\xac 5", "\xf0\x9f\x98\x80", "a<b&c>\"'" };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        free(expect_built("AddImGroup", &(ews_im_args){ .display_name = good[i] }));
}

static void test_version_and_headers_checked(void **state)
{
    (void)state;
    ews_request_headers old = headers;
    old.server_version = "Exchange2010_SP2";
    for (size_t i = 0; i < ops_case_count; i++) {
        int rc;
        ews_err err;
        char *text = build(ops_cases[i].op->desc->op.name, &old, &ops_cases[i].args, &rc, &err);
        assert_null(text);
        assert_int_equal(rc, EWS_EVERSION);
        assert_contains(err.pub.message, ops_cases[i].op->desc->op.name);
        assert_contains(err.pub.message, "Exchange2013");
        assert_str(ops_cases[i].op->desc->op.min_version, "Exchange2013");
        ews_err_free(&err);
    }
    ews_request_headers culture = headers;
    culture.culture = "en US";
    int rc;
    ews_err err;
    assert_null(build("AddImGroup", &culture, &(ews_im_args){ .display_name = "x" }, &rc, &err));
    assert_int_equal(rc, EWS_EINVAL);
    ews_err_free(&err);
    assert_null(build("AddImGroup", &headers, NULL, &rc, &err));
    assert_int_equal(rc, EWS_EINVAL);
    ews_err_free(&err);
}

static void test_optional_elements_only_when_given(void **state)
{
    (void)state;
    char *t = expect_built("AddImContactToGroup", &(ews_im_args){ .contact_id = &cid });
    assert_contains(t, "ContactId Id=\"C1\"");
    assert_false(ts_contains(t, "ChangeKey"));
    assert_false(ts_contains(t, "GroupId"));
    free(t);
    t = expect_built("AddImContactToGroup", &(ews_im_args){ .contact_id = &cid, .group_id = &gid });
    assert_contains(t, "GroupId Id=\"G1\" ChangeKey=\"CK1\"");
    free(t);
    t = expect_built("AddNewImContactToGroup", &(ews_im_args){ .im_address = "a@b" });
    assert_false(ts_contains(t, "DisplayName"));
    assert_false(ts_contains(t, "GroupId"));
    free(t);
    /* GetImItems: every list may be left out; an empty one is never sent,
     * since the schema's arrays are NonEmpty. */
    t = expect_built("GetImItems", &(ews_im_args){ 0 });
    assert_false(ts_contains(t, "ContactIds"));
    assert_false(ts_contains(t, "GroupIds"));
    assert_false(ts_contains(t, "ExtendedProperties"));
    free(t);
    const ews_item_id groups[] = { { "G1", NULL }, { "G2", "K2" }, { "G3", NULL } };
    t = expect_built("GetImItems", &(ews_im_args){ .group_ids = groups, .group_count = 3 });
    assert_false(ts_contains(t, "ContactIds"));
    const char *g1 = strstr(t, "\"G1\""), *g2 = strstr(t, "\"G2\""), *g3 = strstr(t, "\"G3\"");
    assert_true(g1 && g2 && g3 && g1 < g2 && g2 < g3);
    free(t);
}

static void test_get_im_items_arrays_checked(void **state)
{
    (void)state;
    expect_invalid("GetImItems", &(ews_im_args){ .contact_count = 2 }, "ContactIds");
    expect_invalid("GetImItems", &(ews_im_args){ .group_count = 1 }, "GroupIds");
    const ews_item_id ids[] = { { "a", NULL }, { NULL, NULL } };
    expect_invalid("GetImItems", &(ews_im_args){ .contact_ids = ids, .contact_count = 2 },
                   "ContactIds");
    expect_invalid("GetImItems", &(ews_im_args){ .extended_count = 1 }, "ExtendedProperties");
    const ews_extended_field no_type = { "0x3001", NULL };
    expect_invalid("GetImItems", &(ews_im_args){ .extended_properties = &no_type, .extended_count = 1 },
                   "PropertyType");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_required_strings),
        cmocka_unit_test(test_required_ids),
        cmocka_unit_test(test_text_that_xml_cannot_carry),
        cmocka_unit_test(test_version_and_headers_checked),
        cmocka_unit_test(test_optional_elements_only_when_given),
        cmocka_unit_test(test_get_im_items_arrays_checked),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
