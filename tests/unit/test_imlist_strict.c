/* Strict (conformance) mode rejects what the schema does not allow and names
 * it; lenient mode keeps the data. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "ews_test_util.h"

static void expect_strict_rejects(const char *data, size_t len, const char *element)
{
    ews_limits lim = EWS_LIMITS_DEFAULT;
    lim.strict = 1;
    ews_imlist *l;
    ews_err err;
    ews_err_init(&err);
    assert_int_equal(ews_test_parse(data, len, &lim, &l, &err), EWS_ESTRICT);
    assert_int_equal(err.pub.category, EWS_CAT_INVALID_RESPONSE);
    assert_str(err.pub.element, element);
    assert_contains(err.pub.message, element);
    ews_err_free(&err);
}

static ews_imlist *parse_lenient(const char *data, size_t len)
{
    ews_limits lim = EWS_LIMITS_DEFAULT;
    ews_imlist *l;
    ews_err err;
    ews_err_init(&err);
    assert_int_equal(ews_test_parse(data, len, &lim, &l, &err), 0);
    ews_err_free(&err);
    return l;
}

/* Microsoft's own example spells Persona/EmailAddresses children
 * EmailAddress; the schema says Address. */
static void test_reference_rejected(void **state)
{
    (void)state;
    size_t len;
    char *doc = ews_test_load("reference-http", "response.xml", &len);
    expect_strict_rejects(doc, len, "Persona/EmailAddresses/EmailAddress");
    free(doc);
}

static void test_schema_valid_accepted(void **state)
{
    (void)state;
    ews_imlist *l;
    ews_err err;
    ews_err_init(&err);
    assert_int_equal(ews_test_parse_case("schema-valid", 1, &l, &err), 0);
    assert_int_equal(ews_imlist_persona_count(l), 1);
    assert_int_equal(ews_persona_email_count(ews_imlist_persona(l, 0)), 2);
    ews_imlist_free(l);
    ews_err_free(&err);
}

/* Persona/EmailAddress holding Address instead of EmailAddress (seen in the
 * AddNewImContactToGroup example): lenient reads the address from it. */
static void test_primary_address_spelling(void **state)
{
    (void)state;
    size_t len, n;
    char *valid = ews_test_load("schema-valid", "response.xml", &len);
    char *doc = ts_replace(valid, len,
                                 "<t:EmailAddress>alice@example.com</t:EmailAddress>",
                                 "<t:Address>alice@example.com</t:Address>", &n);
    expect_strict_rejects(doc, n, "Persona/EmailAddress/Address");
    ews_imlist *l = parse_lenient(doc, n);
    const ews_email_address *e = ews_persona_email(ews_imlist_persona(l, 0));
    assert_non_null(e);
    assert_str(e->address, "alice@example.com");
    assert_str(e->name, "Alice Example");
    ews_imlist_free(l);
    free(doc);
    free(valid);
}

/* The same misspelling inside an EmailAddresses/Address entry. */
static void test_list_address_spelling(void **state)
{
    (void)state;
    size_t len, n;
    char *valid = ews_test_load("schema-valid", "response.xml", &len);
    char *doc = ts_replace(valid, len,
                                 "<t:EmailAddress>alice@home.example.org</t:EmailAddress>",
                                 "<t:Address>alice@home.example.org</t:Address>", &n);
    expect_strict_rejects(doc, n, "Persona/EmailAddresses/Address/Address");
    ews_imlist *l = parse_lenient(doc, n);
    const ews_persona *p = ews_imlist_persona(l, 0);
    assert_int_equal(ews_persona_email_count(p), 2);
    assert_str(ews_persona_email_at(p, 1)->address, "alice@home.example.org");
    ews_imlist_free(l);
    free(doc);
    free(valid);
}

static void test_unknown_persona_element(void **state)
{
    (void)state;
    size_t len;
    char *doc = ews_test_load("unknown-persona-element", "response.xml", &len);

    ews_imlist *l = parse_lenient(doc, len);
    assert_int_equal(ews_imlist_persona_count(l), 1);
    const ews_persona *p = ews_imlist_persona(l, 0);
    /* Everything before and after the unknown element is intact. */
    assert_str(ews_persona_id(p), "PERSONA-BOB");
    assert_str(ews_persona_type(p), "Person");
    assert_str(ews_persona_display_name(p), "Bob Example");
    assert_str(ews_persona_given_name(p), "Bob");
    assert_str(ews_persona_surname(p), "Example");
    assert_str(ews_persona_email(p)->address, "bob@example.com");
    assert_int_equal(ews_persona_im_address_count(p), 1);
    assert_str(ews_persona_im_address(p, 0), "sip:bob@example.com");
    int score = 0;
    assert_int_equal(ews_persona_relevance_score(p, &score), 0);
    assert_int_equal(score, 7);
    ews_imlist_free(l);

    ews_limits lim = EWS_LIMITS_DEFAULT;
    lim.strict = 1;
    ews_err err;
    ews_err_init(&err);
    assert_int_equal(ews_test_parse(doc, len, &lim, &l, &err), EWS_ESTRICT);
    assert_contains(err.pub.element, "PreferredPronouns");
    assert_contains(err.pub.message, "PreferredPronouns");
    ews_err_free(&err);
    free(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reference_rejected),
        cmocka_unit_test(test_schema_valid_accepted),
        cmocka_unit_test(test_primary_address_spelling),
        cmocka_unit_test(test_list_address_spelling),
        cmocka_unit_test(test_unknown_persona_element),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
