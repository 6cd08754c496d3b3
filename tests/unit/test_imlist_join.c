/* Group -> persona join: a member ItemId selects the persona that has an
 * attribution with that SourceId; each persona once per group, in member
 * order; members matching no persona are skipped. See the join fixture. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "ews_test_util.h"

static ews_imlist *list;

static int setup(void **state)
{
    (void)state;
    ews_err err;
    ews_err_init(&err);
    int rc = ews_test_parse_case("join", 0, &list, &err);
    ews_err_free(&err);
    return rc;
}

static int teardown(void **state)
{
    (void)state;
    ews_imlist_free(list);
    return 0;
}

static const ews_persona *persona(const char *id)
{
    const ews_persona *p = ews_imlist_find_persona(list, id);
    assert_non_null(p);
    return p;
}

static const ews_im_group *group(size_t i, const char *name)
{
    const ews_im_group *g = ews_imlist_group(list, i);
    assert_non_null(g);
    assert_str(ews_im_group_display_name(g), name);
    return g;
}

static void test_counts(void **state)
{
    (void)state;
    assert_int_equal(ews_imlist_group_count(list), 4);
    assert_int_equal(ews_imlist_persona_count(list), 3);
    assert_str(ews_persona_display_name(persona("P-ANN")), "Ann");
    assert_str(ews_persona_display_name(persona("P-BEA")), "Bea");
    assert_str(ews_persona_display_name(persona("P-CAL")), "Cal");
}

/* Ann has two attributions in Favorites: she is listed once, where her
 * first member appears; SRC-NOBODY matches no one. */
static void test_duplicate_and_unmatched_members(void **state)
{
    (void)state;
    const ews_im_group *g = group(0, "Favorites");
    assert_int_equal(ews_im_group_member_count(g), 4);
    assert_str(ews_im_group_member(g, 3).id, "SRC-NOBODY");
    assert_str(ews_im_group_member(g, 3).change_key, "CK-N");
    assert_int_equal(ews_im_group_persona_count(g), 2);
    assert_ptr_equal(ews_im_group_persona(g, 0), persona("P-ANN"));
    assert_ptr_equal(ews_im_group_persona(g, 1), persona("P-BEA"));
    assert_null(ews_im_group_persona(g, 2));
    assert_int_equal(ews_im_group_unmatched_member_count(g), 1); /* SRC-NOBODY */
}

/* Member order decides, and a persona listed by an earlier group is
 * listed again here. */
static void test_member_order(void **state)
{
    (void)state;
    const ews_im_group *g = group(1, "Tagged");
    assert_int_equal(ews_im_group_member_count(g), 2);
    assert_null(ews_im_group_member(g, 0).change_key);
    assert_int_equal(ews_im_group_persona_count(g), 2);
    assert_ptr_equal(ews_im_group_persona(g, 0), persona("P-BEA"));
    assert_ptr_equal(ews_im_group_persona(g, 1), persona("P-ANN"));
    assert_int_equal(ews_im_group_unmatched_member_count(g), 0);
}

static void test_groups_without_personas(void **state)
{
    (void)state;
    const ews_im_group *strangers = group(2, "Strangers");
    assert_int_equal(ews_im_group_member_count(strangers), 1);
    assert_int_equal(ews_im_group_persona_count(strangers), 0);
    assert_null(ews_im_group_persona(strangers, 0));
    assert_int_equal(ews_im_group_unmatched_member_count(strangers), 1);

    const ews_im_group *other = group(3, "Other Contacts");
    assert_int_equal(ews_im_group_member_count(other), 0);
    assert_int_equal(ews_im_group_persona_count(other), 0);
    assert_int_equal(ews_im_group_unmatched_member_count(other), 0);
}

/* Cal is in no group at all. */
static void test_persona_in_no_group(void **state)
{
    (void)state;
    const ews_persona *cal = persona("P-CAL");
    for (size_t i = 0; i < ews_imlist_group_count(list); i++) {
        const ews_im_group *g = ews_imlist_group(list, i);
        for (size_t k = 0; k < ews_im_group_persona_count(g); k++)
            assert_ptr_not_equal(ews_im_group_persona(g, k), cal);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counts),
        cmocka_unit_test(test_duplicate_and_unmatched_members),
        cmocka_unit_test(test_member_order),
        cmocka_unit_test(test_groups_without_personas),
        cmocka_unit_test(test_persona_in_no_group),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
