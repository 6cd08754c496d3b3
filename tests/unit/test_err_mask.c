/* What masking may change in an error record (issue 12, item 4): prose
 * loses every whole occurrence of a secret, the message also a cut-off
 * start of one of at least EWS_MASK_MIN_LEN characters at its end; ids and
 * codes are never altered, only withheld when they carry a whole secret of
 * that length. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/error.h"
#include "core/secrets.h"

static void record(ews_err *e, const char *message, const char *rid)
{
    ews_err_init(e);
    ews_err_set(e, EWS_EFAULT, "%s", message);
    ews_err_field_set(e, EWS_ERRF_SERVER_REQUEST_ID, rid);
    ews_err_field_set(e, EWS_ERRF_FAULTSTRING, message);
}

static void test_short_prefix_left_alone(void **state)
{
    (void)state;
    ews_err e;
    record(&e, "quota for b", "req-...b");
    ews_err_mask(&e, "bxyz");
    assert_string_equal(e.pub.message, "quota for b");
    assert_string_equal(e.pub.server_request_id, "req-...b");
    ews_err_free(&e);
}

static void test_cut_secret_masked_in_message_only(void **state)
{
    (void)state;
    ews_err e;
    record(&e, "denied for Secr", "id-Secr");
    ews_err_mask(&e, "Secret-1");
    assert_string_equal(e.pub.message, "denied for ****");
    assert_string_equal(e.pub.soap_faultstring, "denied for Secr"); /* whole, never cut */
    assert_string_equal(e.pub.server_request_id, "id-Secr");
    ews_err_free(&e);
}

static void test_whole_secret(void **state)
{
    (void)state;
    ews_err e;
    record(&e, "denied for b!", "rid-b-1");
    ews_err_mask(&e, "b"); /* any length, in prose */
    assert_string_equal(e.pub.message, "denied for *!");
    assert_string_equal(e.pub.server_request_id, "rid-b-1");
    ews_err_free(&e);
    record(&e, "denied", "rid-Secret-1");
    ews_err_mask(&e, "Secret-1"); /* a reflection, not chance: withheld */
    assert_null(e.pub.server_request_id);
    assert_string_equal(e.pub.message, "denied");
    ews_err_free(&e);
}

static void test_trace_mask(void **state)
{
    (void)state;
    ews_secrets s;
    assert_int_equal(ews_secrets_init(&s, "u", "pw12", NULL, NULL), 0);
    /* base64("u:pw12") = dTpwdzEy; overlapping and adjacent hits collapse */
    static const char in[] = "a pw12pw12 b dTpwdzEy c tok d pwpw12";
    size_t n;
    char *out = ews_secrets_mask(&s, "tok", in, sizeof in - 1, &n);
    assert_non_null(out);
    assert_string_equal(out, "a *** b *** c *** d pw***");
    assert_int_equal(n, strlen(out));
    free(out);
    out = ews_secrets_mask(&s, NULL, "", 0, &n);
    assert_non_null(out);
    assert_int_equal(n, 0);
    free(out);
    ews_secrets_free(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_short_prefix_left_alone),
        cmocka_unit_test(test_cut_secret_masked_in_message_only),
        cmocka_unit_test(test_whole_secret),
        cmocka_unit_test(test_trace_mask),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
