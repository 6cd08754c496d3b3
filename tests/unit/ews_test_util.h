/* The GetImItemList parse helpers of the unit, conformance and ops tests,
 * on top of tests/support (files, fixtures, text asserts). Include after
 * <cmocka.h>. */
#ifndef EWS_TEST_UTIL_H
#define EWS_TEST_UTIL_H

#include <stddef.h>

#include "imlist/imlist.h"
#include "ts_assert.h"
#include "ts_fixtures.h"
#include "ts_tempdir.h"

/* tests/fixtures/GetImItemList/<case_name>/<file>; fails the test when the
 * fixture is missing. */
char *ews_test_load(const char *case_name, const char *file, size_t *len);

/* Parses fixture <case_name>/response.xml with default limits. */
int ews_test_parse_case(const char *case_name, int strict, ews_imlist **out, ews_err *err);

/* Like ews_imlist_parse on data, for limit tests. */
int ews_test_parse(const char *data, size_t len, const ews_limits *lim, ews_imlist **out,
                   ews_err *err);

#endif
