/* The accessors promise NULL / 0 / empty for NULL objects and out-of-range
 * indexes instead of crashing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "ews_test_util.h"

static void test_null_list(void **state)
{
    (void)state;
    ews_imlist_free(NULL);
    assert_null(ews_imlist_server_version(NULL));
    assert_null(ews_imlist_warning(NULL));
    assert_int_equal(ews_imlist_group_count(NULL), 0);
    assert_null(ews_imlist_group(NULL, 0));
    assert_int_equal(ews_imlist_persona_count(NULL), 0);
    assert_null(ews_imlist_persona(NULL, 0));
    assert_null(ews_imlist_generated(NULL));
}

static void test_null_group(void **state)
{
    (void)state;
    assert_null(ews_im_group_display_name(NULL));
    assert_int_equal(ews_im_group_type_of(NULL), EWS_IM_GROUP_UNKNOWN);
    assert_null(ews_im_group_type_raw(NULL));
    assert_null(ews_im_group_store_id(NULL).id);
    assert_null(ews_im_group_smtp_address(NULL));
    assert_int_equal(ews_im_group_member_count(NULL), 0);
    assert_null(ews_im_group_member(NULL, 0).id);
    assert_int_equal(ews_im_group_persona_count(NULL), 0);
    assert_int_equal(ews_im_group_unmatched_member_count(NULL), 0);
    assert_null(ews_im_group_persona(NULL, 0));
    assert_str(ews_im_group_type_name(EWS_IM_GROUP_UNKNOWN), "unknown");
    assert_str(ews_im_group_type_name((ews_im_group_type)99), "unknown");
}

static void test_null_persona(void **state)
{
    (void)state;
    int score = 123;
    assert_null(ews_persona_id(NULL));
    assert_null(ews_persona_display_name(NULL));
    assert_null(ews_persona_email(NULL));
    assert_int_equal(ews_persona_email_count(NULL), 0);
    assert_null(ews_persona_email_at(NULL, 0));
    assert_int_equal(ews_persona_im_address_count(NULL), 0);
    assert_null(ews_persona_im_address(NULL, 0));
    assert_int_equal(ews_persona_phone_count(NULL), 0);
    assert_null(ews_persona_phone(NULL, 0));
    assert_int_equal(ews_persona_relevance_score(NULL, &score), EWS_EINVAL);
    assert_int_equal(score, 123);
    assert_int_equal(ews_persona_attribution_count(NULL), 0);
    assert_null(ews_persona_attribution(NULL, 0));
    assert_int_equal(ews_persona_attributed_count(NULL, EWS_PF_DISPLAY_NAMES), 0);
    assert_null(ews_persona_attributed(NULL, EWS_PF_DISPLAY_NAMES, 0));
}

static void test_out_of_range(void **state)
{
    (void)state;
    ews_imlist *l;
    ews_err err;
    ews_err_init(&err);
    assert_int_equal(ews_test_parse_case("join", 0, &l, &err), 0);
    const ews_persona *p = ews_imlist_persona(l, 0);
    assert_non_null(p);
    assert_null(ews_imlist_persona(l, SIZE_MAX));
    assert_null(ews_imlist_group(l, SIZE_MAX));
    assert_int_equal(ews_persona_attributed_count(p, EWS_PF_COUNT_), 0);
    assert_null(ews_persona_attributed(p, EWS_PF_COUNT_, 0));
    assert_null(ews_persona_attributed(p, (ews_persona_field)-1, 0));
    assert_null(ews_persona_attribution(p, 2));
    assert_int_equal(ews_persona_relevance_score(p, NULL), EWS_EINVAL);
    /* The join fixture's personas carry no RelevanceScore. */
    int score = 123;
    assert_int_equal(ews_persona_relevance_score(p, &score), EWS_ENOTFOUND);
    assert_int_equal(score, 123);
    assert_null(ews_im_group_member(ews_imlist_group(l, 0), SIZE_MAX).id);
    ews_imlist_free(l);
    ews_err_free(&err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_null_list),
        cmocka_unit_test(test_null_group),
        cmocka_unit_test(test_null_persona),
        cmocka_unit_test(test_out_of_range),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
