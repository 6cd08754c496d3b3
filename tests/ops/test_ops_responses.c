/* Every response and fault on the reference pages of the IM-list
 * operations, parsed with the operation's reader: the result the example
 * shows, or the error it is. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "soapH.h"
#include "ews_test_util.h"
#include "ops_cases.h"

/* Parses tests/fixtures/<op>/<case_dir>/response.xml; checks the contract
 * that a result comes back exactly on success. */
static int parse(const char *op, const char *case_dir, int strict, ews_imlist **out, ews_err *err)
{
    size_t len;
    char *data = ops_load(op, case_dir, "response.xml", &len);
    ews_limits lim = EWS_LIMITS_DEFAULT;
    lim.strict = strict;
    ews_err_init(err);
    int rc = ews_imlist_parse_as(out, ops_case_named(op)->op, data, len, &lim, err);
    free(data);
    if (rc == 0)
        assert_non_null(*out);
    else
        assert_null(*out);
    assert_int_equal(err->pub.code, rc);
    return rc;
}

static ews_imlist *parse_ok(const char *op, const char *case_dir)
{
    ews_imlist *l = NULL;
    ews_err err;
    if (parse(op, case_dir, 0, &l, &err))
        fail_msg("%s %s: %s", op, case_dir, err.pub.message);
    ews_err_free(&err);
    assert_null(ews_imlist_warning(l));
    return l;
}

static void assert_version(const ews_imlist *l, int build_major, int build_minor)
{
    const ews_server_version *v = ews_imlist_server_version(l);
    assert_non_null(v);
    assert_int_equal(v->major_version, 15);
    assert_int_equal(v->minor_version, 0);
    assert_int_equal(v->major_build, build_major);
    assert_int_equal(v->minor_build, build_minor);
    assert_str(v->version, "Exchange2013");
}

static void assert_id(ews_item_id id, const char *want_id, const char *want_key)
{
    assert_str(id.id, want_id);
    assert_str(id.change_key, want_key);
}

/* ---- the error examples --------------------------------------------- */

typedef struct error_case {
    const char *op, *case_dir;
    int code;            /* EWS_EEWS: ResponseClass Error; EWS_EFAULT: SOAP fault */
    const char *response_code;
    const char *message; /* MessageText, or the fault detail's Message */
} error_case;

static const error_case errors[] = {
    { .op = "AddImGroup", .case_dir = "fault-1", .code = EWS_EFAULT,
      .response_code = "ErrorSchemaValidation",
      .message = "The request failed schema validation." },
    { .op = "SetImGroup", .case_dir = "response-2", .code = EWS_EEWS,
      .response_code = "ErrorImGroupDisplayNameAlreadyExists",
      .message = "An IM group with the specified display name already exists." },
    { .op = "RemoveImGroup", .case_dir = "response-2", .code = EWS_EEWS,
      .response_code = "ErrorInvalidImGroupId",
      .message = "The specified Im Group Id is invalid." },
    { .op = "RemoveImGroup", .case_dir = "response-3", .code = EWS_EEWS,
      .response_code = "ErrorInvalidIdMalformed", .message = "Id is malformed." },
    { .op = "AddImContactToGroup", .case_dir = "response-2", .code = EWS_EEWS,
      .response_code = "ErrorInvalidImContactId",
      .message = "The specified Im Contact Id is invalid." },
    { .op = "AddNewImContactToGroup", .case_dir = "response-2", .code = EWS_EEWS,
      .response_code = "ErrorNonExistentMailbox", .message = "No mailbox with such guid." },
    { .op = "AddNewTelUriContactToGroup", .case_dir = "response-2", .code = EWS_EEWS,
      .response_code = "ErrorItemNotFound",
      .message = "The specified object was not found in the store." },
    { .op = "AddDistributionGroupToImList", .case_dir = "response-2", .code = EWS_EEWS,
      .response_code = "ErrorInvalidImDistributionGroupSmtpAddress",
      .message = "The specified IM distribution group SMTP address is invalid." },
    { .op = "RemoveImContactFromGroup", .case_dir = "response-2", .code = EWS_EEWS,
      .response_code = "ErrorInvalidImContactId",
      .message = "The specified Im Contact Id is invalid." },
    { .op = "RemoveContactFromImList", .case_dir = "response-2", .code = EWS_EEWS,
      .response_code = "ErrorItemNotFound",
      .message = "The specified object was not found in the store." },
    { .op = "RemoveDistributionGroupFromImList", .case_dir = "response-2", .code = EWS_EEWS,
      .response_code = "ErrorItemNotFound",
      .message = "The specified object was not found in the store." },
};

static void test_error_examples(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof errors / sizeof errors[0]; i++) {
        const error_case *c = &errors[i];
        for (int strict = 0; strict <= 1; strict++) {
            ews_imlist *l = NULL;
            ews_err err;
            int rc = parse(c->op, c->case_dir, strict, &l, &err);
            if (rc != c->code)
                fail_msg("%s %s: %s (%d), expected %d", c->op, c->case_dir, err.pub.message, rc,
                         c->code);
            assert_str(err.pub.response_code, c->response_code);
            assert_str(err.pub.message_text, c->message);
            assert_int_equal(err.pub.category, ews_response_code_category(c->response_code));
            assert_contains(err.pub.message, c->response_code);
            if (c->code == EWS_EEWS) {
                assert_str(err.pub.response_class, "Error");
                assert_contains(err.pub.message, c->op);
            }
            ews_err_free(&err);
        }
    }
}

/* The fault's detail is more than its first element. */
static void test_fault_keeps_its_parts(void **state)
{
    (void)state;
    ews_imlist *l = NULL;
    ews_err err;
    assert_int_equal(parse("AddImGroup", "fault-1", 0, &l, &err), EWS_EFAULT);
    /* the engine writes the QName with its own prefix for the namespace */
    assert_str(err.pub.soap_faultcode, "t:ErrorSchemaValidation");
    assert_contains(err.pub.soap_faultstring, "Line 11, position 33");
    assert_int_equal(err.pub.category, EWS_CAT_PERMANENT);
    ews_err_free(&err);
}

/* ---- the success examples ------------------------------------------- */

static void test_operations_without_result(void **state)
{
    (void)state;
    static const struct {
        const char *op;
        int build, build_minor;
    } cases[] = { { "SetImGroup", 349, 0 },
                  { "RemoveImGroup", 349, 0 },
                  { "AddImContactToGroup", 349, 0 },
                  { "RemoveImContactFromGroup", 349, 0 },
                  { "RemoveContactFromImList", 556, 8 },
                  { "RemoveDistributionGroupFromImList", 556, 8 } };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ews_imlist *l = parse_ok(cases[i].op, "response-1");
        assert_int_equal(ews_imlist_group_count(l), 0);
        assert_int_equal(ews_imlist_persona_count(l), 0);
        assert_version(l, cases[i].build, cases[i].build_minor);
        assert_non_null(ews_imlist_generated(l));
        ews_imlist_free(l);
    }
}

static void test_add_im_group(void **state)
{
    (void)state;
    ews_imlist *l = parse_ok("AddImGroup", "response-1");
    assert_int_equal(ews_imlist_group_count(l), 1);
    assert_int_equal(ews_imlist_persona_count(l), 0);
    const ews_im_group *g = ews_imlist_group(l, 0);
    assert_str(ews_im_group_display_name(g), "MyCustomGroup");
    assert_int_equal(ews_im_group_type_of(g), EWS_IM_GROUP_USER_GROUP);
    assert_id(ews_im_group_store_id(g), "AAMkAGQ1MjJjMTBkLTc4Y2UtNDA5Ny04ZjU5LWI3MAAA=",
              "EgAAAA==");
    assert_int_equal(ews_im_group_member_count(g), 0);
    assert_version(l, 349, 0);
    const struct m__AddImGroupResponseMessageType *m = ews_imlist_generated(l);
    assert_ptr_equal(m->ImGroup, g->raw);
    ews_imlist_free(l);
}

static void test_add_distribution_group(void **state)
{
    (void)state;
    ews_imlist *l = parse_ok("AddDistributionGroupToImList", "response-1");
    assert_int_equal(ews_imlist_group_count(l), 1);
    const ews_im_group *g = ews_imlist_group(l, 0);
    assert_str(ews_im_group_display_name(g), "distributionlist1@example.com");
    assert_int_equal(ews_im_group_type_of(g), EWS_IM_GROUP_DL);
    assert_id(ews_im_group_store_id(g), "AAMkAGQ1MjJjAA=", "EgAAAA==");
    ews_imlist_free(l);
}

static void test_add_new_im_contact(void **state)
{
    (void)state;
    ews_imlist *l = parse_ok("AddNewImContactToGroup", "response-1");
    assert_int_equal(ews_imlist_group_count(l), 0);
    assert_int_equal(ews_imlist_persona_count(l), 1);
    const ews_persona *p = ews_imlist_persona(l, 0);
    static const char id[] = "AAQkAGQ1MjJjMTBkLTc4Y2UtNDA5Ny04ZjU5LWI3MTYzNGNkZmRkYQAQAJ3EkhEEXN5KufGbSYJanZk=";
    assert_str(ews_persona_id(p), id);
    assert_ptr_equal(ews_imlist_find_persona(l, id), p);
    assert_str(ews_persona_type(p), "Person");
    assert_str(ews_persona_creation_time(p), "2012-01-05T23:06:58Z");
    assert_str(ews_persona_display_name(p), "Tony Smith");
    assert_str(ews_persona_file_as_id(p), "None");
    /* Both of the example's deviations are read: Persona/EmailAddress with
     * an Address child, EmailAddresses with EmailAddress children. */
    const ews_email_address *e = ews_persona_email(p);
    assert_non_null(e);
    assert_str(e->name, "Tony Smith");
    assert_str(e->address, "tsmith@contoso.com");
    assert_str(e->routing_type, "SMTP");
    assert_int_equal(ews_persona_email_count(p), 1);
    assert_str(ews_persona_email_at(p, 0)->address, "tsmith@contoso.com");
    assert_int_equal(ews_persona_im_address_count(p), 1);
    assert_str(ews_persona_im_address(p, 0), "tsmith@contoso.com");
    int score = 0;
    assert_int_equal(ews_persona_relevance_score(p, &score), 0);
    assert_int_equal(score, 2147483647);
    assert_int_equal(ews_persona_attribution_count(p), 1);
    const ews_attribution *a = ews_persona_attribution(p, 0);
    assert_str(a->display_name, "Outlook");
    assert_id(a->source_id, "BtF8oI7iVOQatt/bhQoTbWAAAAAAvcAAA=", "EQAAABYAAABtF8oIQoTbWAAAAAAyg");
    assert_int_equal(a->is_writable, 1);
    assert_int_equal(a->is_quick_contact, 1);
    assert_int_equal(a->is_hidden, 0);
    assert_int_equal(ews_persona_attributed_count(p, EWS_PF_EMAILS1), 1);
    assert_str(ews_persona_attributed(p, EWS_PF_EMAILS1, 0)->email->address, "tsmith@contoso.com");
    ews_imlist_free(l);
}

/* Strict mode names a deviation of the example instead of reading it. */
static void test_add_new_im_contact_strict(void **state)
{
    (void)state;
    ews_imlist *l = NULL;
    ews_err err;
    assert_int_equal(parse("AddNewImContactToGroup", "response-1", 1, &l, &err), EWS_ESTRICT);
    assert_str(err.pub.element, "Persona/EmailAddresses/EmailAddress");
    ews_err_free(&err);
}

/* With those two corrected, strict mode still finds the third spelling
 * the example uses, inside Emails1. */
static void test_add_new_im_contact_strict_attributed(void **state)
{
    (void)state;
    size_t len, n;
    char *data = ops_load("AddNewImContactToGroup", "response-1", "response.xml", &len);
    char *a = ts_replace(data, len, "<Address>tsmith@contoso.com</Address>",
                               "<EmailAddress>tsmith@contoso.com</EmailAddress>", &n);
    char *b = ts_replace(a, n,
                               "<EmailAddresses xmlns=\"http://schemas.microsoft.com/exchange/"
                               "services/2006/types\">\n"
                               "          <EmailAddress>\n"
                               "            <Name>Tony Smith</Name>\n"
                               "            <Address>tsmith@contoso.com</Address>\n"
                               "            <RoutingType>SMTP</RoutingType>\n"
                               "          </EmailAddress>\n"
                               "        </EmailAddresses>\n",
                               "", &n);
    ews_limits lim = EWS_LIMITS_DEFAULT;
    lim.strict = 1;
    ews_err err;
    ews_err_init(&err);
    ews_imlist *l = NULL;
    assert_int_equal(ews_imlist_parse_as(&l, &ews_im_add_new_im_contact_to_group, b, n,
                                         &lim, &err),
                     EWS_ESTRICT);
    assert_str(err.pub.element, "Persona/Emails1/EmailAddressAttributedValue/Value/Address");
    lim.strict = 0;
    assert_int_equal(ews_imlist_parse_as(&l, &ews_im_add_new_im_contact_to_group, b, n,
                                         &lim, &err),
                     0);
    assert_str(ews_persona_email(ews_imlist_persona(l, 0))->address, "tsmith@contoso.com");
    assert_int_equal(ews_persona_email_count(ews_imlist_persona(l, 0)), 0);
    ews_imlist_free(l);
    ews_err_free(&err);
    free(data);
    free(a);
    free(b);
}

static void test_add_new_tel_uri_contact(void **state)
{
    (void)state;
    ews_imlist *l = NULL;
    ews_err err;
    /* This example conforms to the schema: strict mode accepts it. */
    assert_int_equal(parse("AddNewTelUriContactToGroup", "response-1", 1, &l, &err), 0);
    ews_err_free(&err);
    assert_int_equal(ews_imlist_persona_count(l), 1);
    const ews_persona *p = ews_imlist_persona(l, 0);
    assert_str(ews_persona_id(p), "AAQkADE686dX3s=");
    assert_str(ews_persona_display_name(p), "");
    assert_str(ews_persona_display_name_first_last(p), "5625550100");
    assert_str(ews_persona_creation_time(p), "2012-10-29T23:10:13Z");
    assert_null(ews_persona_email(p));
    assert_int_equal(ews_persona_phone_count(p), 1);
    assert_str(ews_persona_phone(p, 0)->number, "5625550100");
    assert_str(ews_persona_phone(p, 0)->type, "Other");
    const ews_attributed_value *v = ews_persona_attributed(p, EWS_PF_OTHER_TELEPHONES, 0);
    assert_non_null(v);
    assert_int_equal(v->attribution_count, 1);
    assert_int_equal(v->attribution_index[0], 0);
    assert_str(ews_persona_attribution(p, 0)->display_name, "Lync Contacts");
    assert_int_equal(ews_persona_attribution(p, 0)->is_writable, 0);
    assert_version(l, 545, 11);
    ews_imlist_free(l);
}

static void test_get_im_items(void **state)
{
    (void)state;
    ews_imlist *l = parse_ok("GetImItems", "response-1");
    assert_int_equal(ews_imlist_group_count(l), 1);
    assert_int_equal(ews_imlist_persona_count(l), 1);
    const ews_im_group *g = ews_imlist_group(l, 0);
    assert_str(ews_im_group_display_name(g), "Exchange SDK Team");
    assert_int_equal(ews_im_group_type_of(g), EWS_IM_GROUP_USER_GROUP);
    assert_id(ews_im_group_store_id(g), "AAMkADEzQrAABY7+0EAAA=", "EgAAAA==");
    assert_int_equal(ews_im_group_member_count(g), 1);
    assert_id(ews_im_group_member(g, 0), "AAMkADEzOTExYjeGgGqm4QrAABmEhpSAAA=", "EQAAAA==");
    /* The page shortened the ids: the member names no persona's source. */
    assert_int_equal(ews_im_group_persona_count(g), 0);
    const ews_persona *p = ews_imlist_persona(l, 0);
    assert_str(ews_persona_id(p), "AAQkADEzOTBZImBzN5J/uHXc=");
    assert_str(ews_persona_display_name(p), "Tony Smith");
    assert_int_equal(ews_persona_im_address_count(p), 1);
    assert_str(ews_persona_im_address(p, 0), "tsmith@contoso.com");
    assert_str(ews_persona_attribution(p, 0)->display_name, "Lync Contacts");
    /* The extended property the request asked for, through the escape hatch. */
    const struct m__GetImItemsResponseMessageType *m = ews_imlist_generated(l);
    const struct t__ImGroupType *raw = m->ImItemList->Groups->__union_ArrayOfImGroupType[0].ImGroup;
    assert_int_equal(raw->ExtendedProperties->__sizeExtendedProperty, 1);
    assert_str(raw->ExtendedProperties->ExtendedProperty[0].Value, "Exchange SDK Team");
    assert_version(l, 556, 8);
    ews_imlist_free(l);
}

/* ---- beyond the examples -------------------------------------------- */

/* A success that lacks the object the operation created is an error, not
 * an empty result the caller would index into. */
static void test_success_without_created_object(void **state)
{
    (void)state;
    static const struct {
        const char *op, *element;
    } cases[] = { { "AddImGroup", "ImGroup" }, { "AddNewImContactToGroup", "Persona" } };
    for (size_t i = 0; i < 2; i++) {
        size_t len, n;
        char *data = ops_load(cases[i].op, "response-1", "response.xml", &len);
        char open[32], close[32];
        snprintf(open, sizeof open, "<%s>", cases[i].element);
        snprintf(close, sizeof close, "</%s>", cases[i].element);
        /* Rename the element to one nobody knows: lenient parsing skips it. */
        char *a = ts_replace(data, len, open, "<Gone>", &n);
        char *b = ts_replace(a, n, close, "</Gone>", &n);
        ews_limits lim = EWS_LIMITS_DEFAULT;
        ews_err err;
        ews_err_init(&err);
        ews_imlist *l = NULL;
        assert_int_equal(ews_imlist_parse_as(&l, ops_case_named(cases[i].op)->op, b, n, &lim,
                                             &err),
                         EWS_EPARSE);
        assert_null(l);
        assert_contains(err.pub.message, cases[i].element);
        ews_err_free(&err);
        free(data);
        free(a);
        free(b);
    }
}

/* Each reader takes its own operation's response only: SetImGroup's
 * answer read as RemoveImGroup's is an unexpected element, never a
 * success. */
static void test_reader_rejects_another_operations_response(void **state)
{
    (void)state;
    size_t len;
    char *data = ops_load("SetImGroup", "response-1", "response.xml", &len);
    ews_limits lim = EWS_LIMITS_DEFAULT;
    ews_err err;
    ews_err_init(&err);
    ews_imlist *l = NULL;
    assert_int_equal(ews_imlist_parse_as(&l, &ews_im_remove_im_group, data, len, &lim, &err),
                     EWS_EPARSE);
    assert_contains(err.pub.message, "SetImGroupResponse");
    ews_err_free(&err);
    free(data);
}

static void test_warning_keeps_result(void **state)
{
    (void)state;
    size_t len, n;
    char *data = ops_load("AddImGroup", "response-1", "response.xml", &len);
    char *a = ts_replace(data, len, "ResponseClass=\"Success\"", "ResponseClass=\"Warning\"",
                               &n);
    char *b = ts_replace(a, n, "<ResponseCode>NoError</ResponseCode>",
                               "<MessageText>half done</MessageText>"
                               "<ResponseCode>ErrorBatchProcessingStopped</ResponseCode>",
                               &n);
    ews_limits lim = EWS_LIMITS_DEFAULT;
    ews_err err;
    ews_err_init(&err);
    ews_imlist *l = NULL;
    assert_int_equal(ews_imlist_parse_as(&l, &ews_im_add_im_group, b, n, &lim, &err), 0);
    const ews_error *w = ews_imlist_warning(l);
    assert_non_null(w);
    assert_str(w->response_class, "Warning");
    assert_str(w->response_code, "ErrorBatchProcessingStopped");
    assert_str(w->message_text, "half done");
    assert_str(ews_im_group_display_name(ews_imlist_group(l, 0)), "MyCustomGroup");
    ews_imlist_free(l);
    ews_err_free(&err);
    free(data);
    free(a);
    free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_error_examples),
        cmocka_unit_test(test_fault_keeps_its_parts),
        cmocka_unit_test(test_operations_without_result),
        cmocka_unit_test(test_add_im_group),
        cmocka_unit_test(test_add_distribution_group),
        cmocka_unit_test(test_add_new_im_contact),
        cmocka_unit_test(test_add_new_im_contact_strict),
        cmocka_unit_test(test_add_new_im_contact_strict_attributed),
        cmocka_unit_test(test_add_new_tel_uri_contact),
        cmocka_unit_test(test_get_im_items),
        cmocka_unit_test(test_success_without_created_object),
        cmocka_unit_test(test_reader_rejects_another_operations_response),
        cmocka_unit_test(test_warning_keeps_result),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
