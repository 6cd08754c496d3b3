/* Shapes the engine would read as something other than what the document
 * says, silently: each is refused with a typed error naming the problem,
 * in lenient and strict mode, instead of a success with data missing or
 * changed. The fixtures are schema-valid with one change each (see
 * tests/fixtures/README.md). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ews_test_util.h"

typedef struct refusal {
    const char *fixture;
    int lenient_rc, strict_rc;
    const char *needle; /* in the message, both modes */
} refusal;

static const refusal refusals[] = {
    /* Text between elements made the engine skip every element after it
     * (here GivenName, Surname, ...; in text-before-group both groups). */
    { .fixture = "text-between-elements", .lenient_rc = EWS_EPARSE, .strict_rc = EWS_EPARSE,
      .needle = "text beside child elements" },
    { .fixture = "text-before-group", .lenient_rc = EWS_EPARSE, .strict_rc = EWS_EPARSE,
      .needle = "text beside child elements" },
    { .fixture = "cdata-between-elements", .lenient_rc = EWS_EPARSE, .strict_rc = EWS_EPARSE,
      .needle = "text beside child elements" },
    /* A prefix longer than the engine's tag buffer: the persona was skipped. */
    { .fixture = "long-prefix", .lenient_rc = EWS_ELIMIT, .strict_rc = EWS_ELIMIT,
      .needle = "a name longer than the parser reads" },
    /* Markup inside a string field came back as the name. */
    { .fixture = "element-in-text", .lenient_rc = EWS_EPARSE, .strict_rc = EWS_EPARSE,
      .needle = "text beside child elements" },
    { .fixture = "element-only-in-text", .lenient_rc = EWS_EPARSE, .strict_rc = EWS_ESTRICT,
      .needle = "an element inside the text field 't:DisplayName'" },
    /* Another letter case is another namespace name. */
    { .fixture = "namespace-case", .lenient_rc = EWS_EPARSE, .strict_rc = EWS_EPARSE,
      .needle = "namespace 'http://schemas.microsoft.com/exchange/services/2006/Types'" },
};

static void check_refusal(const refusal *r, int strict)
{
    ews_imlist *l;
    ews_err err;
    ews_err_init(&err);
    int want = strict ? r->strict_rc : r->lenient_rc;
    int rc = ews_test_parse_case(r->fixture, strict, &l, &err);
    if (rc != want)
        fail_msg("%s (%s): got %s (%s), want %s", r->fixture, strict ? "strict" : "lenient",
                 ews_err_name(rc), err.pub.message, ews_err_name(want));
    assert_int_equal(err.pub.category, EWS_CAT_INVALID_RESPONSE);
    if (!ts_contains(err.pub.message, r->needle))
        fail_msg("%s: '%s' lacks '%s'", r->fixture, err.pub.message, r->needle);
    ews_err_free(&err);
}

static void test_refused_in_both_modes(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof refusals / sizeof refusals[0]; i++) {
        check_refusal(&refusals[i], 0);
        check_refusal(&refusals[i], 1);
    }
}

/* Strict names the element it refuses. */
static void test_element_in_text_names_the_field(void **state)
{
    (void)state;
    ews_imlist *l;
    ews_err err;
    ews_err_init(&err);
    assert_int_equal(ews_test_parse_case("element-only-in-text", 1, &l, &err), EWS_ESTRICT);
    assert_string_equal(err.pub.element, "t:DisplayName");
    ews_err_free(&err);
}

/* Comments and processing instructions between elements are not text:
 * everything is read, in both modes, as in schema-valid. */
static void test_comments_between_elements_read(void **state)
{
    (void)state;
    for (int strict = 0; strict <= 1; strict++) {
        ews_imlist *l;
        ews_err err;
        ews_err_init(&err);
        assert_int_equal(ews_test_parse_case("comments-between-elements", strict, &l, &err), 0);
        assert_int_equal(ews_imlist_group_count(l), 2);
        const ews_persona *p = ews_imlist_persona(l, 0);
        assert_string_equal(ews_persona_display_name(p), "Alice Example");
        assert_string_equal(ews_persona_given_name(p), "Alice");
        assert_string_equal(ews_persona_surname(p), "Example");
        ews_imlist_free(l);
        ews_err_free(&err);
    }
}

/* Text fields that are empty, or first in their parent, or hold only
 * references, are read as before. */
static void test_text_fields_still_read(void **state)
{
    (void)state;
    size_t len, n1, n2;
    char *valid = ews_test_load("schema-valid", "response.xml", &len);
    char *a = ts_replace(valid, len, "<t:GivenName>Alice</t:GivenName>",
                               "<t:GivenName/>", &n1);
    char *b = ts_replace(a, n1, "<t:Surname>Example</t:Surname>",
                               "<t:Surname>&lt;b&gt;&#x41;</t:Surname>", &n2);
    for (int strict = 0; strict <= 1; strict++) {
        ews_limits lim = EWS_LIMITS_DEFAULT;
        lim.strict = strict;
        ews_imlist *l;
        ews_err err;
        ews_err_init(&err);
        assert_int_equal(ews_test_parse(b, n2, &lim, &l, &err), 0);
        const ews_persona *p = ews_imlist_persona(l, 0);
        assert_string_equal(ews_persona_given_name(p), "");
        assert_string_equal(ews_persona_surname(p), "<b>A");
        assert_string_equal(ews_persona_company_name(p), "Example Ltd");
        assert_string_equal(ews_persona_email(p)->name, "Alice Example");
        ews_imlist_free(l);
        ews_err_free(&err);
    }
    free(b);
    free(a);
    free(valid);
}

/* 12.2: strict takes only the schema's http:// namespaces and names the
 * one it refuses; lenient reads the documentation's https:// spelling. */
static void test_https_namespaces(void **state)
{
    (void)state;
    ews_imlist *l;
    ews_err err;
    ews_err_init(&err);
    assert_int_equal(ews_test_parse_case("schema-valid-https", 1, &l, &err), EWS_ESTRICT);
    assert_contains(err.pub.message,
                    "namespace 'https://schemas.microsoft.com/exchange/services/2006/");
    ews_err_free(&err);
    ews_err_init(&err);
    assert_int_equal(ews_test_parse_case("schema-valid-https", 0, &l, &err), 0);
    assert_string_equal(ews_persona_display_name(ews_imlist_persona(l, 0)), "Alice Example");
    ews_imlist_free(l);
    ews_err_free(&err);
}

/* Namespace names differing from the table's only in case or in what its
 * patterns' wildcards match are refused; other versions of SOAP keep
 * working; foreign names stay foreign. */
static void test_namespace_spellings(void **state)
{
    (void)state;
    static const struct {
        const char *from, *to;
        int rc;
    } cases[] = {
        { .from = "http://schemas.xmlsoap.org/soap/envelope/\"",
          .to = "http://schemas.xmlsoap.org/soap/envelope/\" xmlns:u=\"HTTP://WWW.W3.ORG/2001/"
          "xmlschema-instance\"",
          .rc = EWS_EPARSE },
        { .from = "http://schemas.xmlsoap.org/soap/envelope/\"",
          .to = "http://schemas.xmlsoap.org/soap/envelope/\" xmlns:u=\"http://www.w3.org/2003/05/"
          "soap_envelope\"",
          .rc = EWS_EPARSE },
        { .from = "http://schemas.microsoft.com/exchange/services/2006/types\"",
          .to = "httpx://schemas.microsoft.com/exchange/services/2006/types\"", .rc = EWS_EPARSE },
        { .from = "http://schemas.microsoft.com/exchange/services/2006/types\"",
          .to = "http://schemas.microsoft.com/exchange/services/2006/&#116;ypes\"", .rc = 0 },
        { .from = "http://schemas.xmlsoap.org/soap/envelope/\"",
          .to = "http://schemas.xmlsoap.org/soap/envelope/\" xmlns:u=\"urn:other\"", .rc = 0 },
    };
    size_t len;
    char *valid = ews_test_load("schema-valid", "response.xml", &len);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t n;
        char *doc = ts_replace(valid, len, cases[i].from, cases[i].to, &n);
        for (int strict = 0; strict <= 1; strict++) {
            ews_limits lim = EWS_LIMITS_DEFAULT;
            lim.strict = strict;
            ews_imlist *l;
            ews_err err;
            ews_err_init(&err);
            int rc = ews_test_parse(doc, n, &lim, &l, &err);
            if (rc != cases[i].rc)
                fail_msg("case %zu (strict %d): got %s (%s)", i, strict, ews_err_name(rc),
                         err.pub.message);
            if (!rc)
                ews_imlist_free(l);
            ews_err_free(&err);
        }
        free(doc);
    }
    free(valid);
}

/* 11.10: a failure is never in category "ok". */
static void test_error_with_no_error_code(void **state)
{
    (void)state;
    for (int strict = 0; strict <= 1; strict++) {
        ews_imlist *l;
        ews_err err;
        ews_err_init(&err);
        assert_int_equal(ews_test_parse_case("error-noerror", strict, &l, &err), EWS_EEWS);
        assert_int_equal(err.pub.category, EWS_CAT_INVALID_RESPONSE);
        assert_string_equal(err.pub.response_code, "NoError");
        assert_contains(err.pub.message, "contradict");
        ews_err_free(&err);
        ews_err_init(&err);
        assert_int_equal(ews_test_parse_case("fault-noerror", strict, &l, &err), EWS_EFAULT);
        assert_int_equal(err.pub.category, EWS_CAT_INVALID_RESPONSE);
        ews_err_free(&err);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_refused_in_both_modes),
        cmocka_unit_test(test_element_in_text_names_the_field),
        cmocka_unit_test(test_comments_between_elements_read),
        cmocka_unit_test(test_text_fields_still_read),
        cmocka_unit_test(test_https_namespaces),
        cmocka_unit_test(test_namespace_spellings),
        cmocka_unit_test(test_error_with_no_error_code),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
