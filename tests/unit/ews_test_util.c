#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ews_test_util.h"

char *ews_test_load(const char *case_name, const char *file, size_t *len)
{
    char rel[512];
    snprintf(rel, sizeof rel, "GetImItemList/%s/%s", case_name, file);
    return ts_fixture(rel, len);
}

int ews_test_parse(const char *data, size_t len, const ews_limits *lim, ews_imlist **out,
                   ews_err *err)
{
    int rc = ews_imlist_parse(out, data, len, lim, err);
    /* The contract every caller relies on: a result exactly on success. */
    if (rc == 0)
        assert_non_null(*out);
    else
        assert_null(*out);
    assert_int_equal(err->pub.code, rc);
    assert_non_null(err->pub.message);
    assert_true(err->pub.message[0] != '\0');
    return rc;
}

int ews_test_parse_case(const char *case_name, int strict, ews_imlist **out, ews_err *err)
{
    size_t len;
    char *data = ews_test_load(case_name, "response.xml", &len);
    ews_limits lim = EWS_LIMITS_DEFAULT;
    lim.strict = strict;
    int rc = ews_test_parse(data, len, &lim, out, err);
    free(data);
    return rc;
}
