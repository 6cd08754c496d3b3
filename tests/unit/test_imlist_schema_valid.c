/* A response that follows the schema to the letter (Address children, a
 * distribution group, a plain PhoneNumber, an attribution id that names
 * nothing) reads the same in lenient and strict mode. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "ews_test_util.h"

static void check_list(const ews_imlist *l)
{
    const ews_server_version *v = ews_imlist_server_version(l);
    assert_non_null(v);
    assert_int_equal(v->major_version, 15);
    assert_int_equal(v->minor_version, 1);
    assert_int_equal(v->major_build, 2507);
    assert_int_equal(v->minor_build, 6);
    assert_str(v->version, "V2017_07_11");

    assert_int_equal(ews_imlist_group_count(l), 2);
    const ews_im_group *team = ews_imlist_group(l, 0);
    assert_int_equal(ews_im_group_type_of(team), EWS_IM_GROUP_USER_GROUP);
    assert_str(ews_im_group_store_id(team).change_key, "CK-TEAM");
    const ews_im_group *dl = ews_imlist_group(l, 1);
    assert_str(ews_im_group_display_name(dl), "All Staff");
    assert_int_equal(ews_im_group_type_of(dl), EWS_IM_GROUP_DL);
    assert_str(ews_im_group_type_name(ews_im_group_type_of(dl)), "distribution_group");
    assert_str(ews_im_group_smtp_address(dl), "allstaff@example.com");
    assert_str(ews_im_group_store_id(dl).id, "GRP-DL");
    assert_null(ews_im_group_store_id(dl).change_key);

    const ews_persona *p = ews_imlist_find_persona(l, "PERSONA-ALICE");
    assert_non_null(p);
    assert_int_equal(ews_im_group_persona_count(team), 1);
    assert_ptr_equal(ews_im_group_persona(team, 0), p);

    /* xs:dateTime kept as sent, fraction and offset included. */
    assert_str(ews_persona_creation_time(p), "2021-03-04T05:06:07.123+01:00");
    assert_str(ews_persona_company_name(p), "Example Ltd");
    int score = 0;
    assert_int_equal(ews_persona_relevance_score(p, &score), 0);
    assert_int_equal(score, -5);

    const ews_email_address *primary = ews_persona_email(p);
    assert_str(primary->address, "alice@example.com");
    assert_str(primary->mailbox_type, "Mailbox");
    assert_int_equal(ews_persona_email_count(p), 2);
    assert_str(ews_persona_email_at(p, 0)->address, "alice@example.com");
    assert_null(ews_persona_email_at(p, 0)->mailbox_type);
    assert_str(ews_persona_email_at(p, 1)->name, "Alice (home)");
    assert_str(ews_persona_email_at(p, 1)->address, "alice@home.example.org");
    assert_str(ews_persona_email_at(p, 1)->mailbox_type, "OneOff");

    /* PhoneNumber first, then the attributed phone fields. */
    assert_int_equal(ews_persona_phone_count(p), 2);
    assert_str(ews_persona_phone(p, 0)->number, "+1 425 555 0100");
    assert_str(ews_persona_phone(p, 1)->number, "+1 425 555 0101");
    assert_str(ews_persona_phone(p, 1)->type, "Business");

    /* ImAddresses2 and ImAddress agree: one address. */
    assert_int_equal(ews_persona_im_address_count(p), 1);
    assert_str(ews_persona_im_address(p, 0), "sip:alice@example.com");

    /* Attribution "7" names no attribution of this persona. */
    assert_int_equal(ews_persona_attributed_count(p, EWS_PF_EMAILS2), 1);
    const ews_attributed_value *e2 = ews_persona_attributed(p, EWS_PF_EMAILS2, 0);
    assert_str(e2->email->address, "alice@home.example.org");
    assert_null(e2->email->name);
    assert_int_equal(e2->attribution_count, 1);
    assert_str(e2->attribution_ids[0], "7");
    assert_int_equal(e2->attribution_index[0], SIZE_MAX);

    const ews_attribution *a = ews_persona_attribution(p, 0);
    assert_str(a->source_id.id, "SRC-ALICE");
    /* Optional booleans and FolderId absent. */
    assert_int_equal(a->is_writable, -1);
    assert_int_equal(a->is_quick_contact, -1);
    assert_int_equal(a->is_hidden, -1);
    assert_null(a->folder_id.id);
}

static void test_lenient(void **state)
{
    (void)state;
    ews_imlist *l;
    ews_err err;
    ews_err_init(&err);
    assert_int_equal(ews_test_parse_case("schema-valid", 0, &l, &err), 0);
    check_list(l);
    ews_imlist_free(l);
    ews_err_free(&err);
}

static void test_strict(void **state)
{
    (void)state;
    ews_imlist *l;
    ews_err err;
    ews_err_init(&err);
    assert_int_equal(ews_test_parse_case("schema-valid", 1, &l, &err), 0);
    check_list(l);
    ews_imlist_free(l);
    ews_err_free(&err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lenient),
        cmocka_unit_test(test_strict),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
