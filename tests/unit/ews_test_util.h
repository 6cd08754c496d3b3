/* Shared by the C tests: fixture loading and NULL-safe string asserts.
 * Include after <cmocka.h>. */
#ifndef EWS_TEST_UTIL_H
#define EWS_TEST_UTIL_H

#include <stddef.h>

#include "imlist/imlist.h"

/* Skips the test program (CTest SKIP_RETURN_CODE). */
#define EWS_TEST_SKIP 77

/* The whole file in a buffer of exactly its size (no terminator), so a
 * read past the given length trips ASan and valgrind. NULL when unreadable;
 * *len is 0 for an empty file, which still gives a non-NULL buffer. */
char *ews_test_read_file(const char *path, size_t *len);

/* tests/fixtures/GetImItemList/<case_name>/<file>; fails the test when the
 * fixture is missing. */
char *ews_test_load(const char *case_name, const char *file, size_t *len);

/* data with the first occurrence of `from` replaced by `to`, in an
 * exact-size buffer; fails the test when `from` does not occur. */
char *ews_test_replace(const char *data, size_t len, const char *from, const char *to,
                       size_t *out_len);

/* Parses fixture <case_name>/response.xml with default limits. */
int ews_test_parse_case(const char *case_name, int strict, ews_imlist **out, ews_err *err);

/* Like ews_imlist_parse on data, for limit tests. */
int ews_test_parse(const char *data, size_t len, const ews_limits *lim, ews_imlist **out,
                   ews_err *err);

/* Whether haystack holds needle; NULL never does. */
int ews_test_contains(const char *haystack, const char *needle);

/* NULL-safe: NULL expected means NULL actual. */
#define assert_str(actual, expected)                    \
    do {                                                \
        const char *ews_a_ = (actual);                  \
        const char *ews_e_ = (expected);                \
        if (!ews_e_) {                                  \
            assert_null(ews_a_);                        \
        } else {                                        \
            assert_non_null(ews_a_);                    \
            assert_string_equal(ews_a_, ews_e_);        \
        }                                               \
    } while (0)

#define assert_contains(haystack, needle) assert_true(ews_test_contains((haystack), (needle)))

#endif
