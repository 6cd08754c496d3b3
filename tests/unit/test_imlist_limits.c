/* Every parser limit in ews_limits is enforced, exactly at its bound. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "ews_test_util.h"

static char *doc;
static size_t doc_len;

static int setup(void **state)
{
    (void)state;
    doc = ews_test_load("reference-http", "response.xml", &doc_len);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    free(doc);
    return 0;
}

static int parse_with(const ews_limits *lim, ews_err *err)
{
    ews_imlist *l = NULL;
    ews_err_init(err);
    int rc = ews_test_parse(doc, doc_len, lim, &l, err);
    ews_imlist_free(l);
    return rc;
}

static void test_max_bytes(void **state)
{
    (void)state;
    ews_limits lim = EWS_LIMITS_DEFAULT;
    ews_err err;
    lim.max_bytes = doc_len;
    assert_int_equal(parse_with(&lim, &err), 0);
    ews_err_free(&err);
    lim.max_bytes = doc_len - 1;
    assert_int_equal(parse_with(&lim, &err), EWS_ETOOBIG);
    assert_int_equal(err.pub.category, EWS_CAT_INVALID_RESPONSE);
    ews_err_free(&err);
}

/* The reference nests ten deep (Envelope/Body/.../Emails1/.../Value/Name). */
static void test_max_depth(void **state)
{
    (void)state;
    ews_limits lim = EWS_LIMITS_DEFAULT;
    ews_err err;
    lim.max_depth = 12;
    assert_int_equal(parse_with(&lim, &err), 0);
    ews_err_free(&err);
    lim.max_depth = 6;
    assert_int_equal(parse_with(&lim, &err), EWS_ELIMIT);
    assert_contains(err.pub.message, "depth");
    ews_err_free(&err);
}

/* The longest value in the reference is 60 characters (a namespace name). */
static void test_max_string(void **state)
{
    (void)state;
    ews_limits lim = EWS_LIMITS_DEFAULT;
    ews_err err;
    lim.max_string = 64;
    assert_int_equal(parse_with(&lim, &err), 0);
    ews_err_free(&err);
    lim.max_string = 20;
    assert_int_equal(parse_with(&lim, &err), EWS_ELIMIT);
    assert_contains(err.pub.message, "string length");
    ews_err_free(&err);
}

/* Four groups, two personas. */
static void test_max_items(void **state)
{
    (void)state;
    ews_limits lim = EWS_LIMITS_DEFAULT;
    ews_err err;
    lim.max_items = 4;
    assert_int_equal(parse_with(&lim, &err), 0);
    ews_err_free(&err);
    lim.max_items = 3;
    assert_int_equal(parse_with(&lim, &err), EWS_ELIMIT);
    ews_err_free(&err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_max_bytes),
        cmocka_unit_test(test_max_depth),
        cmocka_unit_test(test_max_string),
        cmocka_unit_test(test_max_items),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
