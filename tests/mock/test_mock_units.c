/* The mock's pure pieces, without sockets: base64, authentication
 * headers, mailbox files, fault documents. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "mailbox.h"
#include "mock_test_util.h"
#include "soap_fault.h"
#include "soapH.h"
#include "soap/context.h"

static void test_base64(void **state)
{
    (void)state;
    unsigned char out[64];
    assert_int_equal(mock_base64_decode("dTpw", 4, out, sizeof out), 3);
    assert_memory_equal(out, "u:p", 3);
    assert_int_equal(mock_base64_decode("YWI=", 4, out, sizeof out), 2);
    assert_int_equal(mock_base64_decode("YQ==", 4, out, sizeof out), 1);
    assert_memory_equal(out, "a", 1);
    assert_int_equal(mock_base64_decode("", 0, out, sizeof out), 0);
    assert_int_equal(mock_base64_decode("Y", 1, out, sizeof out), -1);
    assert_int_equal(mock_base64_decode("Y!==", 4, out, sizeof out), -1);
    assert_int_equal(mock_base64_decode("YWJj", 4, out, 2), -1);
    /* Strict where OpenSSL's decoder alone is lenient: padding required
     * and only at the end, no blanks, no bits left under the padding, no
     * URL-safe alphabet. */
    assert_int_equal(mock_base64_decode("YWI", 3, out, sizeof out), -1);
    assert_int_equal(mock_base64_decode("YQ=", 3, out, sizeof out), -1);
    assert_int_equal(mock_base64_decode("Y===", 4, out, sizeof out), -1);
    assert_int_equal(mock_base64_decode("YQ==YQ==", 8, out, sizeof out), -1);
    assert_int_equal(mock_base64_decode("=YWI", 4, out, sizeof out), -1);
    assert_int_equal(mock_base64_decode(" YWI", 4, out, sizeof out), -1);
    assert_int_equal(mock_base64_decode("YWI ", 4, out, sizeof out), -1);
    assert_int_equal(mock_base64_decode("YR==", 4, out, sizeof out), -1);
    assert_int_equal(mock_base64_decode("YWJ=", 4, out, sizeof out), -1);
    assert_int_equal(mock_base64_decode("-_-_", 4, out, sizeof out), -1);
    assert_int_equal(mock_base64_decode("+/+/", 4, out, sizeof out), 3);
    assert_memory_equal(out, "\xfb\xff\xbf", 3);
}

static void test_auth_check(void **state)
{
    (void)state;
    mock_auth_config basic = { EWS_MOCK_AUTH_BASIC, "u", "p", NULL };
    assert_int_equal(mock_auth_check(&basic, "Basic dTpw"), MOCK_AUTH_OK);
    assert_int_equal(mock_auth_check(&basic, "basic   dTpw"), MOCK_AUTH_OK);
    assert_int_equal(mock_auth_check(&basic, NULL), MOCK_AUTH_MISSING);
    assert_int_equal(mock_auth_check(&basic, "Negotiate abc"), MOCK_AUTH_MISSING);
    assert_int_equal(mock_auth_check(&basic, "Basic dTpx"), MOCK_AUTH_WRONG);   /* u:q */
    assert_int_equal(mock_auth_check(&basic, "Basic dXA="), MOCK_AUTH_WRONG);   /* up */
    assert_int_equal(mock_auth_check(&basic, "Basic dTpwcA=="), MOCK_AUTH_WRONG); /* u:pp */
    mock_auth_config bearer = { EWS_MOCK_AUTH_BEARER, NULL, NULL, "tok" };
    assert_int_equal(mock_auth_check(&bearer, "Bearer tok"), MOCK_AUTH_OK);
    assert_int_equal(mock_auth_check(&bearer, "Bearer to"), MOCK_AUTH_WRONG);
    assert_int_equal(mock_auth_check(&bearer, "Bearer"), MOCK_AUTH_MISSING);
    mock_auth_config none = { EWS_MOCK_AUTH_NONE, NULL, NULL, NULL };
    assert_int_equal(mock_auth_check(&none, "Bearer whatever"), MOCK_AUTH_OK);
}

static void test_mailbox_files(void **state)
{
    (void)state;
    static const struct {
        const char *xml;
        int ok;
        size_t groups;
    } cases[] = {
        { .xml = "<ImItemList xmlns='http://schemas.microsoft.com/exchange/services/2006/types'/>",
          .ok = 1, .groups = 0 },
        { .xml = "<x:ImItemList xmlns:x='https://schemas.microsoft.com/exchange/services/2006/types'>"
          "<x:Groups><x:ImGroup><x:DisplayName>G</x:DisplayName></x:ImGroup></x:Groups>"
          "</x:ImItemList>",
          .ok = 1, .groups = 1 },
        { .xml = "<m:ImItemList xmlns:m='http://schemas.microsoft.com/exchange/services/2006/messages'/>",
          .ok = 1, .groups = 0 },
        { .xml = "<ImItemList/>", .ok = 0, .groups = 0 },
        { .xml = "<ImItemList xmlns='urn:other'/>", .ok = 0, .groups = 0 },
        { .xml = "<ImItemList xmlns='http://schemas.microsoft.com/exchange/services/2006/types'>",
          .ok = 0, .groups = 0 },
        { .xml = "", .ok = 0, .groups = 0 },
        { .xml = "not xml", .ok = 0, .groups = 0 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct soap *soap = ews_soap_new();
        struct t__ImItemListType *list = NULL;
        char why[256] = "";
        int rc = mailbox_parse(soap, cases[i].xml, strlen(cases[i].xml), &list, why, sizeof why);
        if ((rc == 0) != cases[i].ok)
            fail_msg("case %zu: rc %d (%s)", i, rc, why);
        if (rc == 0) {
            size_t groups = list->Groups ? (size_t)list->Groups->__size_ArrayOfImGroupType : 0;
            assert_int_equal(groups, cases[i].groups);
        } else {
            assert_true(why[0]);
        }
        ews_soap_free(soap);
    }
    /* The demo mailbox is what the README says. */
    struct soap *soap = ews_soap_new();
    struct t__ImItemListType *list = NULL;
    char why[256];
    const char *demo = ews_mock_demo_mailbox_xml();
    assert_int_equal(mailbox_parse(soap, demo, strlen(demo), &list, why, sizeof why), 0);
    assert_int_equal(list->Groups->__size_ArrayOfImGroupType, 4);
    assert_int_equal(list->Personas->__size_ArrayOfPeopleType, 2);
    ews_soap_free(soap);
}

static void test_fault_document(void **state)
{
    (void)state;
    ews_buf out = EWS_BUF_INIT;
    assert_int_equal(mock_fault_standalone(&out, "ErrorNonExistentMailbox", NULL, "SmtpAddress",
                                           "a<b>&\"c\"@contoso.com"),
                     0);
    assert_true(ts_contains(out.data, "<faultcode>a:ErrorNonExistentMailbox</faultcode>"));
    assert_true(ts_contains(out.data, "<faultstring>The SMTP address has no mailbox associated "
                                      "with it.</faultstring>"));
    assert_true(ts_contains(out.data, "<t:Value Name=\"SmtpAddress\">a&lt;b&gt;&amp;&quot;c&quot;"
                                      "@contoso.com</t:Value>"));
    ews_buf_free(&out);
    assert_int_equal(mock_fault_standalone(&out, "ErrorSomethingNew", "Custom & text", NULL, NULL), 0);
    assert_true(ts_contains(out.data, "<faultstring>Custom &amp; text</faultstring>"));
    assert_false(ts_contains(out.data, "MessageXml"));
    ews_buf_free(&out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_base64),
        cmocka_unit_test(test_auth_check),
        cmocka_unit_test(test_mailbox_files),
        cmocka_unit_test(test_fault_document),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
