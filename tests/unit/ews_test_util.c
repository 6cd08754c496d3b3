#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ews_test_util.h"

char *ews_test_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *data = NULL;
    long n = -1;
    if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
        data = malloc(n > 0 ? (size_t)n : 1);
        if (data && n > 0 && fread(data, 1, (size_t)n, f) != (size_t)n) {
            free(data);
            data = NULL;
        }
    }
    fclose(f);
    if (data)
        *len = (size_t)n;
    return data;
}

char *ews_test_load(const char *case_name, const char *file, size_t *len)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/GetImItemList/%s/%s", EWS_FIXTURES_DIR, case_name, file);
    char *data = ews_test_read_file(path, len);
    if (!data)
        fail_msg("cannot read fixture %s", path);
    return data;
}

char *ews_test_replace(const char *data, size_t len, const char *from, const char *to,
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

int ews_test_contains(const char *haystack, const char *needle)
{
    return haystack && needle && strstr(haystack, needle) != NULL;
}
