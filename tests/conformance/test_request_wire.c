/* The GetImItemList request as it goes on the wire: equal, as XML, to the
 * expected document of each header form, and each SOAP header element and
 * the body element valid against an EWS schema.
 *
 *   request_wire <schema-dir> [--skip-if-absent]
 *
 * <schema-dir> holds messages.xsd (importing types.xsd): the project's
 * fragments in wsdl/, or the official schema in ../shared/ews-schema, which
 * may be absent (then exit 77, with --skip-if-absent). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <libxml/parser.h>

#include "ews_test_util.h"
#include "imlist/imops.h"
#include "xmlcheck.h"

typedef struct form {
    const char *case_name;
    const char *culture;
    ews_impersonation_kind kind;
    const char *value;
} form;

static const form forms[] = {
    { .case_name = "request-none", .culture = "en-US", .kind = EWS_IMPERSONATE_NONE },
    { .case_name = "request-primary-smtp", .culture = "en-US", .kind = EWS_IMPERSONATE_PRIMARY_SMTP,
      .value = "alice@example.com" },
    { .case_name = "request-smtp", .culture = "en-US", .kind = EWS_IMPERSONATE_SMTP,
      .value = "alias.alice@example.com" },
    { .case_name = "request-principal-name", .culture = "en-US",
      .kind = EWS_IMPERSONATE_PRINCIPAL_NAME, .value = "alice@corp.example.com" },
    { .case_name = "request-sid", .culture = "en-US", .kind = EWS_IMPERSONATE_SID,
      .value = "S-1-5-21-3623811015-3361044348-30300820-1013" },
    { .case_name = "request-escaped", .culture = "en-US", .kind = EWS_IMPERSONATE_SMTP,
      .value = "a&b<c>@x.com" },
    { .case_name = "request-minimal", .kind = EWS_IMPERSONATE_INHERIT },
};

static const char *schema_dir;
static xmlSchemaPtr schema;

static int setup(void **state)
{
    (void)state;
    schema = xmlcheck_load_messages_schema(schema_dir);
    return schema ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    xmlSchemaFree(schema);
    return 0;
}

static xmlDocPtr serialize(const form *f)
{
    ews_request_headers h = { "Exchange2013", f->culture, { f->kind, f->value } };
    ews_buf out = EWS_BUF_INIT;
    ews_err err;
    ews_err_init(&err);
    int rc = ews_im_request(&out, &h, &ews_im_get_im_item_list, &(ews_im_args){ 0 }, &err);
    if (rc)
        fail_msg("%s: %s", f->case_name, err.pub.message);
    ews_err_free(&err);
    char why[1024];
    xmlDocPtr doc = xmlcheck_parse(out.data, out.len, why, sizeof why);
    if (!doc)
        fail_msg("%s: request is not well-formed XML: %s", f->case_name, why);
    ews_buf_free(&out);
    return doc;
}

static void test_matches_expected(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
        xmlDocPtr actual = serialize(&forms[i]);
        size_t len;
        char *text = ews_test_load(forms[i].case_name, "expected-request.xml", &len);
        char why[1024];
        xmlDocPtr expected = xmlcheck_parse(text, len, why, sizeof why);
        free(text);
        if (!expected)
            fail_msg("%s: expected-request.xml: %s", forms[i].case_name, why);
        if (!xmlcheck_same(xmlDocGetRootElement(expected), xmlDocGetRootElement(actual), why,
                           sizeof why))
            fail_msg("%s: %s", forms[i].case_name, why);
        xmlFreeDoc(expected);
        xmlFreeDoc(actual);
    }
}

static void validate_part(const form *f, xmlDocPtr doc, const char *part, int want_count)
{
    xmlNodePtr nodes[8];
    int n = xmlcheck_soap_children(doc, part, nodes, 8);
    if (n != want_count)
        fail_msg("%s: %d children in soap:%s, expected %d", f->case_name, n, part, want_count);
    for (int k = 0; k < n; k++) {
        xmlDocPtr alone = xmlcheck_extract(nodes[k]);
        assert_non_null(alone);
        char why[2048];
        if (!xmlcheck_validate(schema, alone, why, sizeof why))
            fail_msg("%s: %s against %s/messages.xsd: %s", f->case_name, nodes[k]->name,
                     schema_dir, why);
        xmlFreeDoc(alone);
    }
}

static void test_parts_validate(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
        const form *f = &forms[i];
        xmlDocPtr doc = serialize(f);
        int headers = 1 + (f->culture != NULL) +
                      (f->kind != EWS_IMPERSONATE_NONE && f->kind != EWS_IMPERSONATE_INHERIT);
        validate_part(f, doc, "Header", headers);
        validate_part(f, doc, "Body", 1);
        xmlFreeDoc(doc);
    }
}

/* The validator itself must be able to say no: a header the schema does not
 * allow (an unknown version) is rejected, or the checks above prove nothing. */
static void test_validator_rejects(void **state)
{
    (void)state;
    static const char bad[] =
        "<t:RequestServerVersion xmlns:t=\"http://schemas.microsoft.com/exchange/services/2006/types\" "
        "Version=\"Exchange2099\"/>";
    char why[2048];
    xmlDocPtr doc = xmlcheck_parse(bad, sizeof bad - 1, why, sizeof why);
    assert_non_null(doc);
    assert_false(xmlcheck_validate(schema, doc, why, sizeof why));
    assert_contains(why, "Exchange2099");
    xmlFreeDoc(doc);
}

/* What goes in comes out, the XML-special characters included. */
static void test_escaped_value_round_trips(void **state)
{
    (void)state;
    const form *f = &forms[5];
    assert_str(f->case_name, "request-escaped");
    xmlDocPtr doc = serialize(f);
    xmlNodePtr headers[4];
    assert_int_equal(xmlcheck_soap_children(doc, "Header", headers, 4), 3);
    xmlNodePtr imp = headers[0];
    assert_str((const char *)imp->name, "ExchangeImpersonation");
    xmlChar *text = xmlNodeGetContent(imp);
    assert_str((const char *)text, "a&b<c>@x.com");
    xmlFree(text);
    xmlFreeDoc(doc);
}

int main(int argc, char **argv)
{
    int status = xmlcheck_schema_dir(argc, argv, &schema_dir);
    if (status >= 0)
        return status;
    LIBXML_TEST_VERSION
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_matches_expected),
        cmocka_unit_test(test_parts_validate),
        cmocka_unit_test(test_validator_rejects),
        cmocka_unit_test(test_escaped_value_round_trips),
    };
    int failed = cmocka_run_group_tests_name(schema_dir, tests, setup, teardown);
    xmlCleanupParser();
    return failed;
}
