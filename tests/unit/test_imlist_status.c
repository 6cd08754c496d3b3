/* What the server says went wrong: SOAP faults, Error and Warning response
 * classes, and how each lands in the error record. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ews_test_util.h"

static const char schema_version_text[] =
    "The request is valid but does not specify the correct server version in the "
    "RequestServerVersion SOAP header.  Ensure that the RequestServerVersion SOAP header is "
    "set with the correct RequestServerVersionValue.";

static const char busy_text[] = "The server cannot service this request right now. Try again later.";

static void assert_faultcode(const char *code, const char *local)
{
    /* The prefix is whatever the parser bound the namespace to. */
    assert_non_null(code);
    const char *colon = strrchr(code, ':');
    assert_str(colon ? colon + 1 : code, local);
}

static void test_fault_incorrect_schema_version(void **state)
{
    (void)state;
    for (int strict = 0; strict <= 1; strict++) {
        ews_imlist *l;
        ews_err err;
        ews_err_init(&err);
        assert_int_equal(ews_test_parse_case("fault-incorrect-schema-version", strict, &l, &err),
                         EWS_EFAULT);
        assert_str(err.pub.response_code, "ErrorIncorrectSchemaVersion");
        assert_int_equal(err.pub.category, EWS_CAT_VERSION);
        assert_faultcode(err.pub.soap_faultcode, "ErrorIncorrectSchemaVersion");
        /* Both kept verbatim, the double space included. */
        assert_str(err.pub.soap_faultstring, schema_version_text);
        assert_str(err.pub.message_text, schema_version_text);
        assert_null(err.pub.response_class);
        assert_int_equal(err.pub.back_off_ms, -1);
        assert_contains(err.pub.message, "ErrorIncorrectSchemaVersion");
        ews_err_free(&err);
    }
}

static void test_fault_server_busy(void **state)
{
    (void)state;
    ews_imlist *l;
    ews_err err;
    ews_err_init(&err);
    assert_int_equal(ews_test_parse_case("server-busy-fault", 0, &l, &err), EWS_EFAULT);
    assert_str(err.pub.response_code, "ErrorServerBusy");
    assert_int_equal(err.pub.category, EWS_CAT_RETRYABLE);
    assert_int_equal(err.pub.back_off_ms, 1500);
    assert_faultcode(err.pub.soap_faultcode, "ErrorServerBusy");
    assert_str(err.pub.soap_faultstring, busy_text);
    assert_str(err.pub.message_text, busy_text);
    ews_err_free(&err);
}

/* What Exchange sends: MessageXml in the types namespace (the fixture's
 * comment says where the shape comes from). Strict and lenient alike read
 * the hint exactly. */
static void test_fault_server_busy_types_namespace(void **state)
{
    (void)state;
    for (int strict = 0; strict <= 1; strict++) {
        ews_imlist *l;
        ews_err err;
        ews_err_init(&err);
        assert_int_equal(ews_test_parse_case("server-busy-fault-types", strict, &l, &err),
                         EWS_EFAULT);
        assert_str(err.pub.response_code, "ErrorServerBusy");
        assert_int_equal(err.pub.category, EWS_CAT_RETRYABLE);
        assert_int_equal(err.pub.back_off_ms, 2500);
        ews_err_free(&err);
    }
}

/* The ResponseCode set grows with every Exchange release: an unknown code is
 * an ordinary (permanent) EWS error with its raw name, in either mode. */
static void test_unknown_response_code(void **state)
{
    (void)state;
    for (int strict = 0; strict <= 1; strict++) {
        ews_imlist *l;
        ews_err err;
        ews_err_init(&err);
        assert_int_equal(ews_test_parse_case("unknown-response-code", strict, &l, &err),
                         EWS_EEWS);
        assert_str(err.pub.response_code, "ErrorFromTheFuture2031");
        assert_int_equal(err.pub.category, EWS_CAT_PERMANENT);
        assert_str(err.pub.response_class, "Error");
        assert_str(err.pub.message_text, "A failure this client has never heard of.");
        assert_null(err.pub.soap_faultcode);
        assert_int_equal(err.pub.back_off_ms, -1);
        assert_contains(err.pub.message, "ErrorFromTheFuture2031");
        ews_err_free(&err);
    }
}

static void test_warning_keeps_data(void **state)
{
    (void)state;
    ews_imlist *l;
    ews_err err;
    ews_err_init(&err);
    assert_int_equal(ews_test_parse_case("warning", 0, &l, &err), 0);
    assert_int_equal(err.pub.code, 0);
    assert_null(err.pub.response_code);

    const ews_error *w = ews_imlist_warning(l);
    assert_non_null(w);
    assert_int_equal(w->code, 0);
    assert_int_equal(w->category, EWS_CAT_OK);
    assert_str(w->response_class, "Warning");
    assert_str(w->response_code, "ErrorBatchProcessingStopped");
    assert_str(w->message_text, "Only part of the list could be read.");
    assert_contains(w->message, "ErrorBatchProcessingStopped");

    assert_int_equal(ews_imlist_group_count(l), 1);
    assert_str(ews_im_group_display_name(ews_imlist_group(l, 0)), "Other Contacts");
    assert_int_equal(ews_imlist_persona_count(l), 0);
    ews_imlist_free(l);
    ews_err_free(&err);
}

/* ErrorInternalServerError that wraps a transient inner code is retryable,
 * and the back-off hint in the same MessageXml is kept. */
static void test_internal_error_wrapping_busy(void **state)
{
    (void)state;
    static const char doc[] =
        "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\">"
        "<s:Body><m:GetImItemListResponse ResponseClass=\"Error\" "
        "xmlns:m=\"http://schemas.microsoft.com/exchange/services/2006/messages\" "
        "xmlns:t=\"http://schemas.microsoft.com/exchange/services/2006/types\">"
        "<m:MessageText>An internal server error occurred.</m:MessageText>"
        "<m:ResponseCode>ErrorInternalServerError</m:ResponseCode>"
        "<m:MessageXml>"
        "<t:Value Name=\"InnerErrorResponseCode\">ErrorServerBusy</t:Value>"
        "<t:Value Name=\"BackOffMilliseconds\">250</t:Value>"
        "</m:MessageXml>"
        "</m:GetImItemListResponse></s:Body></s:Envelope>";
    ews_limits lim = EWS_LIMITS_DEFAULT;
    ews_imlist *l;
    ews_err err;
    ews_err_init(&err);
    assert_int_equal(ews_test_parse(doc, sizeof doc - 1, &lim, &l, &err), EWS_EEWS);
    assert_str(err.pub.response_code, "ErrorInternalServerError");
    assert_int_equal(err.pub.category, EWS_CAT_RETRYABLE);
    assert_int_equal(err.pub.back_off_ms, 250);
    ews_err_free(&err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fault_incorrect_schema_version),
        cmocka_unit_test(test_fault_server_busy),
        cmocka_unit_test(test_fault_server_busy_types_namespace),
        cmocka_unit_test(test_unknown_response_code),
        cmocka_unit_test(test_warning_keeps_data),
        cmocka_unit_test(test_internal_error_wrapping_busy),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
