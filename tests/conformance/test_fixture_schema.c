/* The response fixtures are what their names claim: the body element of
 * each is checked against an EWS schema, so "schema-valid" cannot drift
 * into invalidity and the deviations the strict tests rely on are real.
 *
 *   fixture_schema <schema-dir> [--skip-if-absent]   (see request_wire) */
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
#include "xmlcheck.h"

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

/* Validates the element children of one envelope part of a fixture; why
 * gets the first failure. Returns 1 when all of them are valid. */
static int part_valid(const char *case_name, const char *part, char *why, size_t cap)
{
    size_t len;
    char *text = ews_test_load(case_name, "response.xml", &len);
    xmlDocPtr doc = xmlcheck_parse(text, len, why, cap);
    free(text);
    if (!doc)
        fail_msg("%s is not well-formed: %s", case_name, why);
    xmlNodePtr nodes[4];
    int n = xmlcheck_soap_children(doc, part, nodes, 4);
    if (n < 1 || n > 4)
        fail_msg("%s: %d children in soap:%s", case_name, n, part);
    int ok = 1;
    for (int k = 0; ok && k < n; k++) {
        xmlDocPtr alone = xmlcheck_extract(nodes[k]);
        assert_non_null(alone);
        ok = xmlcheck_validate(schema, alone, why, cap);
        xmlFreeDoc(alone);
    }
    xmlFreeDoc(doc);
    return ok;
}

static void expect_valid(const char *case_name, const char *part)
{
    char why[2048];
    if (!part_valid(case_name, part, why, sizeof why))
        fail_msg("%s soap:%s against %s: %s", case_name, part, schema_dir, why);
}

static void expect_invalid(const char *case_name, const char *because)
{
    char why[2048];
    if (part_valid(case_name, "Body", why, sizeof why))
        fail_msg("%s validates against %s, but should not", case_name, schema_dir);
    if (!strstr(why, because))
        fail_msg("%s: expected a complaint about %s, got: %s", case_name, because, why);
}

static void test_valid_fixtures(void **state)
{
    (void)state;
    expect_valid("schema-valid", "Body");
    expect_valid("schema-valid", "Header");
    expect_valid("join", "Body");
    expect_valid("warning", "Body");
}

static void test_deviating_fixtures(void **state)
{
    (void)state;
    /* Microsoft's example: EmailAddresses/EmailAddress instead of Address. */
    expect_invalid("reference-http", "EmailAddress");
    expect_invalid("unknown-persona-element", "PreferredPronouns");
    expect_invalid("unknown-response-code", "ErrorFromTheFuture2031");
}

int main(int argc, char **argv)
{
    int status = xmlcheck_schema_dir(argc, argv, &schema_dir);
    if (status >= 0)
        return status;
    LIBXML_TEST_VERSION
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_fixtures),
        cmocka_unit_test(test_deviating_fixtures),
    };
    int failed = cmocka_run_group_tests_name(schema_dir, tests, setup, teardown);
    xmlCleanupParser();
    return failed;
}
