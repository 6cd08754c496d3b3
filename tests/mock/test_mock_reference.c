/* The IM operations' answers compared, as XML, with the examples of
 * Microsoft's reference pages (../shared/ews-doc-examples): the error
 * cases word for word, the successes too where no new id is involved.
 * Skips (77) when ../shared is absent. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "imops_test_util.h"
#include "xmlcheck.h"

#define EXAMPLES EWS_SHARED_DIR "/ews-doc-examples"
#define ID(name, id) "<m:" name " Id=\"" id "\"/>"

/* The response message of a reference example. */
static xmlDocPtr reference(const char *operation, const char *file, xmlNodePtr *message)
{
    char path[1024], why[256];
    snprintf(path, sizeof path, EXAMPLES "/%s/%s", operation, file);
    size_t len;
    char *data = NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("%s: cannot open", path);
    data = malloc(1 << 16);
    assert_non_null(data);
    len = fread(data, 1, 1 << 16, f);
    fclose(f);
    xmlDocPtr doc = xmlcheck_parse(data, len, why, sizeof why);
    free(data);
    if (!doc)
        fail_msg("%s: %s", path, why);
    assert_int_equal(xmlcheck_soap_children(doc, "Body", message, 1), 1);
    return doc;
}

static void expect_as(ews_mock *m, const char *operation, const char *file, const char *request)
{
    xmlNodePtr expected;
    xmlDocPtr ref = reference(operation, file, &expected);
    it_reply r;
    it_call(m, &r, "%s", request);
    char why[512];
    if (!xmlcheck_same(expected, r.message, why, sizeof why))
        fail_msg("%s/%s: %s", operation, file, why);
    it_reply_free(&r);
    xmlFreeDoc(ref);
}

static void test_errors(void **state)
{
    (void)state;
    ews_mock *m = it_start_file(it_copy_mailbox(NULL, "reference.xml"), 1);
    expect_as(m, "RemoveImGroup", "response-2.xml",
              "<m:RemoveImGroup>" ID("GroupId", "AAMkAGQ1MjJjMTBkLTc4Y2UtNDA5hQoTbWAAAAAAQRAAA=")
              "</m:RemoveImGroup>");
    expect_as(m, "RemoveImGroup", "response-3.xml",
              "<m:RemoveImGroup>" ID("GroupId", "AAMk!") "</m:RemoveImGroup>");
    expect_as(m, "SetImGroup", "response-2.xml",
              "<m:SetImGroup>" ID("GroupId", IT_DEMO_CUSTOM2)
              "<m:NewDisplayName>Favorites</m:NewDisplayName></m:SetImGroup>");
    expect_as(m, "AddImContactToGroup", "response-2.xml",
              "<m:AddImContactToGroup>" ID("ContactId", "AAMkAGQ1MjJjMTBkLTc4Y2AA=")
              ID("GroupId", IT_DEMO_CUSTOM2) "</m:AddImContactToGroup>");
    expect_as(m, "AddDistributionGroupToImList", "response-2.xml",
              "<m:AddDistributionGroupToImList><m:SmtpAddress>distributionlist1</m:SmtpAddress>"
              "<m:DisplayName>DL</m:DisplayName></m:AddDistributionGroupToImList>");
    expect_as(m, "RemoveImContactFromGroup", "response-2.xml",
              "<m:RemoveImContactFromGroup>" ID("ContactId", "AAMkAGQ1MjJjMTBkLTcAAAAvcAAA=")
              ID("GroupId", IT_DEMO_CUSTOM2) "</m:RemoveImContactFromGroup>");
    expect_as(m, "RemoveContactFromImList", "response-2.xml",
              "<m:RemoveContactFromImList>" ID("ContactId", "AAMkAGQ1MjJjMTBkLTcAAAAvcAAA=")
              "</m:RemoveContactFromImList>");
    expect_as(m, "RemoveDistributionGroupFromImList", "response-2.xml",
              "<m:RemoveDistributionGroupFromImList>" ID("GroupId", "AAMkADEzO4QrAABmEh5oAAA=")
              "</m:RemoveDistributionGroupFromImList>");
    expect_as(m, "AddNewTelUriContactToGroup", "response-2.xml",
              "<m:AddNewTelUriContactToGroup><m:TelUriAddress>tel:5625550100</m:TelUriAddress>"
              "<m:ImContactSipUriAddress>sip:john@contoso.com</m:ImContactSipUriAddress>"
              "<m:ImTelephoneNumber>5625550100</m:ImTelephoneNumber>"
              ID("GroupId", "AAMkADEzOTm4QrAABY7+0GAAA=") "</m:AddNewTelUriContactToGroup>");
    ews_mock_stop(m);
}

static void test_successes(void **state)
{
    (void)state;
    ews_mock *m = it_start_file(it_copy_mailbox(NULL, "reference-ok.xml"), 1);
    expect_as(m, "SetImGroup", "response-1.xml",
              "<m:SetImGroup>" ID("GroupId", IT_DEMO_CUSTOM2)
              "<m:NewDisplayName>MyNewGroupName</m:NewDisplayName></m:SetImGroup>");
    expect_as(m, "AddImContactToGroup", "response-1.xml",
              "<m:AddImContactToGroup>" ID("ContactId", IT_DEMO_ANTHONY)
              ID("GroupId", IT_DEMO_CUSTOM2) "</m:AddImContactToGroup>");
    expect_as(m, "RemoveImContactFromGroup", "response-1.xml",
              "<m:RemoveImContactFromGroup>" ID("ContactId", IT_DEMO_ANTHONY)
              ID("GroupId", IT_DEMO_CUSTOM2) "</m:RemoveImContactFromGroup>");
    expect_as(m, "RemoveImGroup", "response-1.xml",
              "<m:RemoveImGroup>" ID("GroupId", IT_DEMO_CUSTOM2) "</m:RemoveImGroup>");
    expect_as(m, "RemoveContactFromImList", "response-1.xml",
              "<m:RemoveContactFromImList>" ID("ContactId", IT_DEMO_ANTHONY)
              "</m:RemoveContactFromImList>");

    /* AddImGroup: the page's answer but for the new group's id. */
    xmlNodePtr expected;
    xmlDocPtr ref = reference("AddImGroup", "response-1.xml", &expected);
    it_reply r;
    it_call(m, &r, "<m:AddImGroup><m:DisplayName>MyCustomGroup</m:DisplayName></m:AddImGroup>");
    char *id = it_find(r.message->children, "ExchangeStoreId", "Id");
    for (xmlNodePtr n = expected->children; n; n = n->next)
        for (xmlNodePtr c = n->children; c; c = c->next)
            if (c->type == XML_ELEMENT_NODE &&
                strcmp((const char *)c->name, "ExchangeStoreId") == 0)
                xmlSetProp(c, (const xmlChar *)"Id", (const xmlChar *)id);
    char why[512];
    if (!xmlcheck_same(expected, r.message, why, sizeof why))
        fail_msg("AddImGroup/response-1.xml: %s", why);
    free(id);
    it_reply_free(&r);
    xmlFreeDoc(ref);
    ews_mock_stop(m);
}

int main(void)
{
    if (access(EXAMPLES "/RemoveImGroup/response-2.xml", R_OK) != 0) {
        fprintf(stderr, "skipped: %s is absent\n", EXAMPLES);
        return 77;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_successes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
