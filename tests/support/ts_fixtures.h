/* The checked-in fixtures under tests/fixtures. Fail the current cmocka
 * test when a fixture is missing: include after <cmocka.h>. */
#ifndef EWS_TS_FIXTURES_H
#define EWS_TS_FIXTURES_H

#include <stddef.h>

/* tests/fixtures/<relative> (static buffer, overwritten by the next call). */
const char *ts_fixture_path(const char *relative);
/* Its content in a buffer of exactly its size (see ts_read_file). */
char *ts_fixture(const char *relative, size_t *len);
/* Its content, NUL-terminated. */
char *ts_fixture_text(const char *relative, size_t *len);

/* data with the first occurrence of `from` replaced by `to`, in an
 * exact-size buffer; fails the test when `from` does not occur. */
char *ts_replace(const char *data, size_t len, const char *from, const char *to,
                 size_t *out_len);

#endif
