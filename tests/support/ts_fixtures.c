#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ts_fixtures.h"
#include "ts_tempdir.h"

#ifndef EWS_FIXTURES_DIR
#error "EWS_FIXTURES_DIR must name tests/fixtures"
#endif

const char *ts_fixture_path(const char *relative)
{
    static char path[1024];
    snprintf(path, sizeof path, "%s/%s", EWS_FIXTURES_DIR, relative);
    return path;
}

char *ts_fixture(const char *relative, size_t *len)
{
    char *data = ts_read_file(ts_fixture_path(relative), len);
    if (!data)
        fail_msg("cannot read fixture %s", ts_fixture_path(relative));
    return data;
}

char *ts_fixture_text(const char *relative, size_t *len)
{
    char *data = ts_read_text(ts_fixture_path(relative), len);
    if (!data)
        fail_msg("cannot read fixture %s", ts_fixture_path(relative));
    return data;
}

char *ts_replace(const char *data, size_t len, const char *from, const char *to,
                 size_t *out_len)
{
    size_t nf = strlen(from), nt = strlen(to);
    const char *hit = NULL;
    for (size_t i = 0; i + nf <= len; i++)
        if (memcmp(data + i, from, nf) == 0) {
            hit = data + i;
            break;
        }
    if (!hit)
        fail_msg("'%s' does not occur in the document", from);
    size_t head = (size_t)(hit - data);
    *out_len = len - nf + nt;
    char *out = malloc(*out_len);
    assert_non_null(out);
    memcpy(out, data, head);
    memcpy(out + head, to, nt);
    memcpy(out + head + nt, hit + nf, len - head - nf);
    return out;
}
