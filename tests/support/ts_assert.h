/* Text checks shared by the C tests, and the skip status. The assert_
 * macros need <cmocka.h> first. */
#ifndef EWS_TS_ASSERT_H
#define EWS_TS_ASSERT_H

#include <stddef.h>

/* Exit status of a skipped test program (CTest SKIP_RETURN_CODE). */
#define TS_SKIP 77

/* Whether haystack holds needle; NULL never does. */
int ts_contains(const char *haystack, const char *needle);
/* The same over len bytes, which may hold NULs. */
int ts_contains_n(const char *haystack, size_t len, const char *needle);

/* NULL-safe: NULL expected means NULL actual. */
#define assert_str(actual, expected)                    \
    do {                                                \
        const char *ts_a_ = (actual);                   \
        const char *ts_e_ = (expected);                 \
        if (!ts_e_) {                                   \
            assert_null(ts_a_);                         \
        } else {                                        \
            assert_non_null(ts_a_);                     \
            assert_string_equal(ts_a_, ts_e_);          \
        }                                               \
    } while (0)

#define assert_contains(haystack, needle) assert_true(ts_contains((haystack), (needle)))

#endif
