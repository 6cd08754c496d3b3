/* Microsoft's GetImItemList reference response, read leniently: every value
 * the example shows must come back through the accessors. Run once per
 * namespace spelling (argv[1] names the fixture case). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "ews_test_util.h"

static const char *case_name = "reference-http";
static ews_imlist *list;

static int setup(void **state)
{
    (void)state;
    ews_err err;
    ews_err_init(&err);
    int rc = ews_test_parse_case(case_name, 0, &list, &err);
    if (rc)
        fprintf(stderr, "%s: %s\n", case_name, err.pub.message);
    ews_err_free(&err);
    return rc;
}

static int teardown(void **state)
{
    (void)state;
    ews_imlist_free(list);
    return 0;
}

static void check_id(ews_item_id id, const char *want_id, const char *want_change_key)
{
    assert_str(id.id, want_id);
    assert_str(id.change_key, want_change_key);
}

static void test_server_version(void **state)
{
    (void)state;
    const ews_server_version *v = ews_imlist_server_version(list);
    assert_non_null(v);
    assert_int_equal(v->major_version, 15);
    assert_int_equal(v->minor_version, 0);
    assert_int_equal(v->major_build, 349);
    assert_int_equal(v->minor_build, 0);
    assert_str(v->version, "Exchange2013");
    assert_null(ews_imlist_warning(list));
    assert_non_null(ews_imlist_generated(list));
}

static void check_group(size_t i, const char *name, ews_im_group_type type, const char *raw,
                        const char *store_id)
{
    const ews_im_group *g = ews_imlist_group(list, i);
    assert_non_null(g);
    assert_str(ews_im_group_display_name(g), name);
    assert_int_equal(ews_im_group_type_of(g), type);
    assert_str(ews_im_group_type_raw(g), raw);
    check_id(ews_im_group_store_id(g), store_id, "EgAAAA==");
    assert_null(ews_im_group_smtp_address(g));
}

static void test_groups(void **state)
{
    (void)state;
    assert_int_equal(ews_imlist_group_count(list), 4);
    check_group(0, "Other Contacts", EWS_IM_GROUP_OTHER_CONTACTS,
                "IPM.DistList.MOC.OtherContacts", "AAMkAGQ1MjJjMTBkLThQoTbWAAAAAAQUAAA=");
    check_group(1, "Tagged", EWS_IM_GROUP_TAGGED, "IPM.DistList.MOC.Tagged",
                "AAMkAGQ1MjJAAQTAAA=");
    check_group(2, "Favorites", EWS_IM_GROUP_FAVORITES, "IPM.DistList.MOC.Favorites",
                "AAMkAGQ1MjJjMTAAAAAQSAAA=");
    check_group(3, "MyCustomGroup2", EWS_IM_GROUP_USER_GROUP, "IPM.DistList.MOC.UserGroup",
                "AAMkAGQ1MjJjKAAA=");
    assert_null(ews_imlist_group(list, 4));
}

static void test_group_members(void **state)
{
    (void)state;
    assert_int_equal(ews_im_group_member_count(ews_imlist_group(list, 0)), 0);
    assert_int_equal(ews_im_group_member_count(ews_imlist_group(list, 1)), 0);

    const ews_im_group *fav = ews_imlist_group(list, 2);
    assert_int_equal(ews_im_group_member_count(fav), 1);
    check_id(ews_im_group_member(fav, 0), "AAMkAGQ1MjJtt/bhQoTbWAAAAAAvcAAA=", "EQAAAA==");

    const ews_im_group *custom = ews_imlist_group(list, 3);
    assert_int_equal(ews_im_group_member_count(custom), 2);
    check_id(ews_im_group_member(custom, 0), "AAMkAGQ1Matt/bhQoTbWAAAAAAvcAAA=", "EQAAAA==");
    check_id(ews_im_group_member(custom, 1), "AAMkAGQ1MjJjMTBkTbWAAAAAAveAAA=", "EQAAAA==");
    check_id(ews_im_group_member(custom, 2), NULL, NULL);
}

/* The page authors shortened the ids, so no member ItemId equals any
 * attribution SourceId: the join is empty here (see the join fixture). */
static void test_group_join_is_empty(void **state)
{
    (void)state;
    for (size_t i = 0; i < ews_imlist_group_count(list); i++) {
        assert_int_equal(ews_im_group_persona_count(ews_imlist_group(list, i)), 0);
        assert_null(ews_im_group_persona(ews_imlist_group(list, i), 0));
    }
}

static void check_email(const ews_email_address *e, const char *name, const char *address)
{
    assert_non_null(e);
    assert_str(e->name, name);
    assert_str(e->address, address);
    assert_str(e->routing_type, "SMTP");
    assert_null(e->mailbox_type);
}

static void check_attribution(const ews_attribution *a, const char *id, const char *src,
                              const char *src_ck, int quick, const char *folder)
{
    assert_non_null(a);
    assert_str(a->id, id);
    check_id(a->source_id, src, src_ck);
    assert_str(a->display_name, "Outlook");
    assert_int_equal(a->is_writable, 1);
    assert_int_equal(a->is_quick_contact, quick);
    assert_int_equal(a->is_hidden, 0);
    check_id(a->folder_id, folder, "AQAAAA==");
}

/* A string-valued attributed field entry and the attributions it names. */
static void check_string_value(const ews_persona *p, ews_persona_field f, size_t i,
                               const char *value, const char *attribution_id,
                               size_t attribution_index)
{
    const ews_attributed_value *v = ews_persona_attributed(p, f, i);
    assert_non_null(v);
    assert_str(v->string, value);
    assert_null(v->phone);
    assert_null(v->email);
    assert_int_equal(v->attribution_count, 1);
    assert_str(v->attribution_ids[0], attribution_id);
    assert_int_equal(v->attribution_index[0], attribution_index);
}

static void check_phone_value(const ews_persona *p, ews_persona_field f, const char *number,
                              const char *type)
{
    assert_int_equal(ews_persona_attributed_count(p, f), 1);
    const ews_attributed_value *v = ews_persona_attributed(p, f, 0);
    assert_non_null(v);
    assert_null(v->string);
    assert_null(v->email);
    assert_non_null(v->phone);
    assert_str(v->phone->number, number);
    assert_str(v->phone->type, type);
    assert_int_equal(v->attribution_count, 1);
    assert_str(v->attribution_ids[0], "0");
    assert_int_equal(v->attribution_index[0], 0);
}

static void test_persona_anthony_scalars(void **state)
{
    (void)state;
    assert_int_equal(ews_imlist_persona_count(list), 2);
    const ews_persona *p = ews_imlist_persona(list, 0);
    assert_non_null(p);
    assert_str(ews_persona_id(p), "AAQkAGQ1MjJjMTBkLTc4YkZmRkYQAQAFgxE1nBcqRGgYWWorM9/+s=");
    assert_str(ews_persona_type(p), "Person");
    assert_str(ews_persona_creation_time(p), "2012-01-12T22:14:36Z");
    assert_str(ews_persona_display_name(p), "Anthony Smith");
    assert_str(ews_persona_display_name_first_last(p), "Anthony Smith");
    assert_str(ews_persona_display_name_last_first(p), "Smith Anthony");
    assert_str(ews_persona_file_as(p), "Smith, Anthony");
    assert_str(ews_persona_file_as_id(p), "LastCommaFirst");
    assert_str(ews_persona_given_name(p), "Anthony");
    assert_str(ews_persona_surname(p), "Smith");
    assert_null(ews_persona_company_name(p));
    int score = 0;
    assert_int_equal(ews_persona_relevance_score(p, &score), 0);
    assert_int_equal(score, 2147483647);
}

static void test_persona_anthony_addresses(void **state)
{
    (void)state;
    const ews_persona *p = ews_imlist_persona(list, 0);
    check_email(ews_persona_email(p), "tsmith@contoso.com", "tsmith@contoso.com");
    /* Persona/EmailAddresses/EmailAddress: the example's spelling. */
    assert_int_equal(ews_persona_email_count(p), 1);
    check_email(ews_persona_email_at(p, 0), "tsmith@contoso.com", "tsmith@contoso.com");
    assert_null(ews_persona_email_at(p, 1));
    /* ImAddresses and ImAddress hold the same address: listed once. */
    assert_int_equal(ews_persona_im_address_count(p), 1);
    assert_str(ews_persona_im_address(p, 0), "tsmith@contoso.com");
    assert_null(ews_persona_im_address(p, 1));

    assert_int_equal(ews_persona_phone_count(p), 2);
    assert_str(ews_persona_phone(p, 0)->number, "4255550110");
    assert_str(ews_persona_phone(p, 0)->type, "Home");
    assert_str(ews_persona_phone(p, 1)->number, "4255550120");
    assert_str(ews_persona_phone(p, 1)->type, "Mobile");
    assert_null(ews_persona_phone(p, 2));
}

static void test_persona_anthony_attributions(void **state)
{
    (void)state;
    const ews_persona *p = ews_imlist_persona(list, 0);
    assert_int_equal(ews_persona_attribution_count(p), 2);
    check_attribution(ews_persona_attribution(p, 0), "0",
                      "AQMkAGQ1MjIAYzEwZC03OGNlLTQ5Bq239uFChNtYAAAIvDAAAAA==",
                      "EQAAABYAAABtF8oI7iVOQatt/bhQoTbWAAAAADB3", 0,
                      "AQMkAGQ1MjIAYzEMikE3AQBtF8oI7iVOQatt/bhQoTbWAAADEAAAAA==");
    check_attribution(ews_persona_attribution(p, 1), "1",
                      "AAMkAGQ1MjJjMTBkLTc4Y2UtNDA5Ny04/bhQoTbWAAAAAAveAAA=",
                      "EQAAABYAAABtF8oI7iVOQatt/bhQoTbWAAAAAAym", 1,
                      "AAMkAGQ1MjJjMTBkLTc4Y2UtNDA5Qatt/bhQoTbWAAAAAAvZAAA=");
    assert_null(ews_persona_attribution(p, 2));
}

static void test_persona_anthony_attributed_values(void **state)
{
    (void)state;
    const ews_persona *p = ews_imlist_persona(list, 0);
    assert_int_equal(ews_persona_attributed_count(p, EWS_PF_DISPLAY_NAMES), 2);
    check_string_value(p, EWS_PF_DISPLAY_NAMES, 0, "Anthony Smith", "0", 0);
    check_string_value(p, EWS_PF_DISPLAY_NAMES, 1, "Tony Smith", "1", 1);
    assert_int_equal(ews_persona_attributed_count(p, EWS_PF_FILE_ASES), 1);
    check_string_value(p, EWS_PF_FILE_ASES, 0, "Smith, Anthony", "0", 0);
    assert_int_equal(ews_persona_attributed_count(p, EWS_PF_FILE_AS_IDS), 2);
    check_string_value(p, EWS_PF_FILE_AS_IDS, 0, "LastCommaFirst", "0", 0);
    check_string_value(p, EWS_PF_FILE_AS_IDS, 1, "None", "1", 1);
    assert_int_equal(ews_persona_attributed_count(p, EWS_PF_GIVEN_NAMES), 1);
    check_string_value(p, EWS_PF_GIVEN_NAMES, 0, "Anthony", "0", 0);
    assert_int_equal(ews_persona_attributed_count(p, EWS_PF_SURNAMES), 1);
    check_string_value(p, EWS_PF_SURNAMES, 0, "Smith", "0", 0);
    assert_int_equal(ews_persona_attributed_count(p, EWS_PF_IM_ADDRESSES), 1);
    check_string_value(p, EWS_PF_IM_ADDRESSES, 0, "tsmith@contoso.com", "1", 1);
    check_phone_value(p, EWS_PF_HOME_PHONES, "4255550110", "Home");
    check_phone_value(p, EWS_PF_MOBILE_PHONES, "4255550120", "Mobile");

    assert_int_equal(ews_persona_attributed_count(p, EWS_PF_EMAILS1), 1);
    const ews_attributed_value *e = ews_persona_attributed(p, EWS_PF_EMAILS1, 0);
    assert_non_null(e);
    assert_null(e->string);
    assert_null(e->phone);
    check_email(e->email, "tsmith@contoso.com", "tsmith@contoso.com");
    assert_int_equal(e->attribution_count, 2);
    assert_str(e->attribution_ids[0], "0");
    assert_str(e->attribution_ids[1], "1");
    assert_int_equal(e->attribution_index[0], 0);
    assert_int_equal(e->attribution_index[1], 1);
}

/* Fields the example does not have stay empty. */
static void test_persona_anthony_absent_fields(void **state)
{
    (void)state;
    const ews_persona *p = ews_imlist_persona(list, 0);
    static const ews_persona_field absent[] = {
        EWS_PF_NICKNAMES, EWS_PF_TITLES, EWS_PF_DEPARTMENTS, EWS_PF_COMPANY_NAMES,
        EWS_PF_IM_ADDRESSES2, EWS_PF_IM_ADDRESSES3, EWS_PF_EMAILS2, EWS_PF_EMAILS3,
        EWS_PF_BUSINESS_PHONES, EWS_PF_BUSINESS_PHONES2, EWS_PF_HOME_PHONES2,
        EWS_PF_MOBILE_PHONES2, EWS_PF_OTHER_TELEPHONES, EWS_PF_HOME_FAXES, EWS_PF_WORK_FAXES,
        EWS_PF_PAGERS,
    };
    for (size_t i = 0; i < sizeof absent / sizeof absent[0]; i++) {
        assert_int_equal(ews_persona_attributed_count(p, absent[i]), 0);
        assert_null(ews_persona_attributed(p, absent[i], 0));
    }
}

static void test_persona_terence(void **state)
{
    (void)state;
    const ews_persona *p = ews_imlist_persona(list, 1);
    assert_non_null(p);
    assert_str(ews_persona_id(p), "AAQkAGQ1MjJjMTBkLkYQAQAJ3EkhEEXN5KufGbSYJanZk=");
    assert_str(ews_persona_type(p), "Person");
    assert_str(ews_persona_creation_time(p), "2012-01-05T23:06:58Z");
    assert_str(ews_persona_display_name(p), "Terence Adams");
    assert_str(ews_persona_display_name_first_last(p), "Terence Adams");
    assert_str(ews_persona_display_name_last_first(p), "Terence Adams");
    assert_null(ews_persona_file_as(p));
    assert_str(ews_persona_file_as_id(p), "None");
    assert_null(ews_persona_given_name(p));
    assert_null(ews_persona_surname(p));
    check_email(ews_persona_email(p), "Terence Adams", "tadams@contoso.com");
    assert_int_equal(ews_persona_email_count(p), 1);
    check_email(ews_persona_email_at(p, 0), "Terence Adams", "tadams@contoso.com");
    assert_int_equal(ews_persona_im_address_count(p), 1);
    assert_str(ews_persona_im_address(p, 0), "tadams@contoso.com");
    assert_int_equal(ews_persona_phone_count(p), 0);
    int score = 0;
    assert_int_equal(ews_persona_relevance_score(p, &score), 0);
    assert_int_equal(score, 2147483647);

    assert_int_equal(ews_persona_attribution_count(p), 1);
    check_attribution(ews_persona_attribution(p, 0), "0",
                      "AAMkAGQ1MjVOQatt/bhQoTbWAAAA7iVOQatt/bhQoTbWAAAAAAvcAAA=",
                      "EQAAABYAAABtF8oI7iVOQatt/bhQoTbWAAAAAAyg", 1,
                      "AAMkAGQ1MjJjMTBkLTc4Y2rBtF8oI7iVOQatt/bhQoTbWAAAAAAvZAAA=");
    assert_int_equal(ews_persona_attributed_count(p, EWS_PF_DISPLAY_NAMES), 1);
    check_string_value(p, EWS_PF_DISPLAY_NAMES, 0, "Terence Adams", "0", 0);
    assert_int_equal(ews_persona_attributed_count(p, EWS_PF_FILE_AS_IDS), 1);
    check_string_value(p, EWS_PF_FILE_AS_IDS, 0, "None", "0", 0);
    assert_int_equal(ews_persona_attributed_count(p, EWS_PF_IM_ADDRESSES), 1);
    check_string_value(p, EWS_PF_IM_ADDRESSES, 0, "tadams@contoso.com", "0", 0);
    assert_int_equal(ews_persona_attributed_count(p, EWS_PF_EMAILS1), 1);
    check_email(ews_persona_attributed(p, EWS_PF_EMAILS1, 0)->email, "Terence Adams",
                "tadams@contoso.com");
    assert_int_equal(ews_persona_attributed_count(p, EWS_PF_GIVEN_NAMES), 0);
    assert_int_equal(ews_persona_attributed_count(p, EWS_PF_HOME_PHONES), 0);
    assert_null(ews_imlist_persona(list, 2));
}

static void test_find_persona(void **state)
{
    (void)state;
    assert_ptr_equal(ews_imlist_find_persona(
                         list, "AAQkAGQ1MjJjMTBkLTc4YkZmRkYQAQAFgxE1nBcqRGgYWWorM9/+s="),
                     ews_imlist_persona(list, 0));
    assert_ptr_equal(ews_imlist_find_persona(list, "AAQkAGQ1MjJjMTBkLkYQAQAJ3EkhEEXN5KufGbSYJanZk="),
                     ews_imlist_persona(list, 1));
    /* Look-ups match whole ids only. */
    assert_null(ews_imlist_find_persona(list, "AAQkAGQ1MjJjMTBkLkYQAQAJ3EkhEEXN5KufGbSYJanZk"));
    assert_null(ews_imlist_find_persona(list, ""));
    assert_null(ews_imlist_find_persona(list, NULL));
    assert_null(ews_imlist_find_persona(NULL, "x"));
}

int main(int argc, char **argv)
{
    if (argc > 1)
        case_name = argv[1];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_server_version),
        cmocka_unit_test(test_groups),
        cmocka_unit_test(test_group_members),
        cmocka_unit_test(test_group_join_is_empty),
        cmocka_unit_test(test_persona_anthony_scalars),
        cmocka_unit_test(test_persona_anthony_addresses),
        cmocka_unit_test(test_persona_anthony_attributions),
        cmocka_unit_test(test_persona_anthony_attributed_values),
        cmocka_unit_test(test_persona_anthony_absent_fields),
        cmocka_unit_test(test_persona_terence),
        cmocka_unit_test(test_find_persona),
    };
    return cmocka_run_group_tests_name(case_name, tests, setup, teardown);
}
