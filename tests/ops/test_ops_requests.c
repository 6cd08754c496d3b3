/* The request of each IM-list operation's reference page, reproduced by
 * the operation's request builder: equal as XML (namespace URIs and local
 * names; the pages' https:// namespace spelling read as http://), and each
 * part of ours valid against an EWS schema. The reference bodies are
 * checked against the schema too, so the one known to be invalid
 * (AddDistributionGroupToImList without DisplayName) stays known.
 *
 *   ops_requests <schema-dir> [--skip-if-absent]   (as request_wire) */
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
#include "ops_cases.h"
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

/* The reference request with every https://schemas.microsoft.com/ made
 * http://, parsed. */
static xmlDocPtr load_reference(const ops_case *c)
{
    size_t len;
    char *text = ops_load(c->op->desc->op.name, "request-1", "expected-request.xml", &len);
    static const char https[] = "https://schemas.microsoft.com/";
    size_t n = sizeof https - 1, w = 0;
    for (size_t r = 0; r < len;) {
        if (r + n <= len && memcmp(text + r, https, n) == 0) {
            memcpy(text + w, "http://schemas.microsoft.com/", n - 1);
            w += n - 1;
            r += n;
        } else {
            text[w++] = text[r++];
        }
    }
    char why[1024];
    xmlDocPtr doc = xmlcheck_parse(text, w, why, sizeof why);
    free(text);
    if (!doc)
        fail_msg("%s reference request: %s", c->op->desc->op.name, why);
    return doc;
}

static xmlDocPtr build_ours(const ops_case *c)
{
    ews_buf out = EWS_BUF_INIT;
    ews_err err;
    ews_err_init(&err);
    if (ops_build(c, &out, &err))
        fail_msg("%s: %s", c->op->desc->op.name, err.pub.message);
    ews_err_free(&err);
    char why[1024];
    xmlDocPtr doc = xmlcheck_parse(out.data, out.len, why, sizeof why);
    ews_buf_free(&out);
    if (!doc)
        fail_msg("%s: our request is not well-formed: %s", c->op->desc->op.name, why);
    return doc;
}

static xmlNodePtr body_child(const ops_case *c, xmlDocPtr doc, const char *whose)
{
    xmlNodePtr nodes[2];
    if (xmlcheck_soap_children(doc, "Body", nodes, 2) != 1)
        fail_msg("%s: %s soap:Body does not hold exactly one element", c->op->desc->op.name, whose);
    return nodes[0];
}

static xmlNodePtr find_child(xmlNodePtr parent, const char *name)
{
    for (xmlNodePtr n = parent->children; n; n = n->next)
        if (n->type == XML_ELEMENT_NODE && xmlStrEqual(n->name, (const xmlChar *)name))
            return n;
    return NULL;
}

static int valid(xmlNodePtr node, char *why, size_t cap)
{
    xmlDocPtr alone = xmlcheck_extract(node);
    assert_non_null(alone);
    int ok = xmlcheck_validate(schema, alone, why, cap);
    xmlFreeDoc(alone);
    return ok;
}

/* Every header of the reference is ours too, equal as XML, except the one
 * the case says this library does not send; and we send nothing else. */
static void compare_headers(const ops_case *c, xmlDocPtr ref, xmlDocPtr ours)
{
    xmlNodePtr want[8], got[8];
    int nw = xmlcheck_soap_children(ref, "Header", want, 8);
    int ng = xmlcheck_soap_children(ours, "Header", got, 8);
    assert_true(nw > 0 && nw <= 8 && ng > 0 && ng <= 8);
    int matched = 0, unsent = 0;
    for (int i = 0; i < nw; i++) {
        if (c->unsent_header && xmlStrEqual(want[i]->name, (const xmlChar *)c->unsent_header)) {
            unsent++;
            continue;
        }
        int k = 0;
        while (k < ng && !xmlStrEqual(got[k]->name, want[i]->name))
            k++;
        if (k == ng)
            fail_msg("%s: we send no %s header", c->op->desc->op.name, want[i]->name);
        char why[1024];
        if (!xmlcheck_same(want[i], got[k], why, sizeof why))
            fail_msg("%s: header %s", c->op->desc->op.name, why);
        matched++;
    }
    assert_int_equal(unsent, c->unsent_header ? 1 : 0);
    if (matched != ng)
        fail_msg("%s: we send %d headers, the reference %d of the same", c->op->desc->op.name, ng, matched);
}

static void test_reference_requests_reproduced(void **state)
{
    (void)state;
    for (size_t i = 0; i < ops_case_count; i++) {
        const ops_case *c = &ops_cases[i];
        if (c->reference_invalid)
            continue; /* test_distribution_group_request_is_completed */
        xmlDocPtr ref = load_reference(c), ours = build_ours(c);
        char why[1024];
        if (!xmlcheck_same(body_child(c, ref, "reference"), body_child(c, ours, "our"), why,
                           sizeof why))
            fail_msg("%s: body %s", c->op->desc->op.name, why);
        compare_headers(c, ref, ours);
        xmlFreeDoc(ref);
        xmlFreeDoc(ours);
    }
}

/* Ours is the reference plus the DisplayName the schema requires; the
 * reference's body does not validate and ours does. */
static void test_distribution_group_request_is_completed(void **state)
{
    (void)state;
    const ops_case *c = ops_case_named("AddDistributionGroupToImList");
    xmlDocPtr ref = load_reference(c), ours = build_ours(c);
    xmlNodePtr ref_body = body_child(c, ref, "reference"), our_body = body_child(c, ours, "our");
    char why[2048];
    assert_false(valid(ref_body, why, sizeof why));
    assert_contains(why, c->reference_invalid);
    assert_true(valid(our_body, why, sizeof why));

    xmlNodePtr name = find_child(our_body, "DisplayName");
    assert_non_null(name);
    assert_ptr_equal(xmlPreviousElementSibling(name), find_child(our_body, "SmtpAddress"));
    xmlChar *text = xmlNodeGetContent(name);
    assert_str((const char *)text, "distributionlist1@example.com");
    xmlFree(text);
    xmlUnlinkNode(name);
    xmlFreeNode(name);
    if (!xmlcheck_same(ref_body, our_body, why, sizeof why))
        fail_msg("without DisplayName: %s", why);
    compare_headers(c, ref, ours);
    xmlFreeDoc(ref);
    xmlFreeDoc(ours);
}

static void test_our_requests_validate(void **state)
{
    (void)state;
    for (size_t i = 0; i < ops_case_count; i++) {
        const ops_case *c = &ops_cases[i];
        xmlDocPtr ours = build_ours(c);
        xmlNodePtr parts[8];
        int nh = xmlcheck_soap_children(ours, "Header", parts, 7);
        assert_true(nh > 0 && nh < 7);
        parts[nh] = body_child(c, ours, "our");
        for (int k = 0; k <= nh; k++) {
            char why[2048];
            if (!valid(parts[k], why, sizeof why))
                fail_msg("%s: our %s against %s/messages.xsd: %s", c->op->desc->op.name, parts[k]->name,
                         schema_dir, why);
        }
        xmlFreeDoc(ours);
    }
}

static void test_reference_bodies_validate(void **state)
{
    (void)state;
    for (size_t i = 0; i < ops_case_count; i++) {
        const ops_case *c = &ops_cases[i];
        xmlDocPtr ref = load_reference(c);
        char why[2048];
        int ok = valid(body_child(c, ref, "reference"), why, sizeof why);
        if (!c->reference_invalid && !ok)
            fail_msg("%s reference body: %s", c->op->desc->op.name, why);
        if (c->reference_invalid && ok)
            fail_msg("%s reference body validates, but should not", c->op->desc->op.name);
        xmlFreeDoc(ref);
    }
}

int main(int argc, char **argv)
{
    int status = xmlcheck_schema_dir(argc, argv, &schema_dir);
    if (status >= 0)
        return status;
    LIBXML_TEST_VERSION
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reference_requests_reproduced),
        cmocka_unit_test(test_distribution_group_request_is_completed),
        cmocka_unit_test(test_our_requests_validate),
        cmocka_unit_test(test_reference_bodies_validate),
    };
    int failed = cmocka_run_group_tests_name(schema_dir, tests, setup, teardown);
    xmlCleanupParser();
    return failed;
}
