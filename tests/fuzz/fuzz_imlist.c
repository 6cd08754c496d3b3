/* Harness A: bytes -> ews_imlist_parse() -> every accessor, under three sets
 * of limits. Besides each result's own consistency (oracle.c) the runs must
 * agree with each other: a stricter parse (strict mode, or tighter limits)
 * may only reject more, never read the same bytes differently. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "imlist/imops.h"
#include "oracle.h"

/* Small enough for short fuzz inputs to reach every limit. */
static const ews_limits tight = { (size_t)32 << 20, 10u, 64L, 4u, 0 };

/* Parses once; on success returns 1 and leaves the accessor dump in *dump. */
static int parse(const ews_im_op *rd, const uint8_t *data, size_t size, const ews_limits *lim,
                 ews_buf *dump)
{
    ews_imlist *l = (ews_imlist *)1;
    ews_err err;
    ews_err_init(&err);
    int rc = ews_imlist_parse_as(&l, rd, (const char *)data, size, lim, &err);
    if (rc) {
        if (l)
            oracle_fail("failed parse (%d) left a list", rc);
        oracle_check_failure(rc, &err.pub);
        if (getenv("EWS_FUZZ_DUMP"))
            printf("error %s (strict %d): %s\n", ews_err_name(rc), lim->strict, err.pub.message);
    } else {
        if (err.pub.code)
            oracle_fail("successful parse set error %d", err.pub.code);
        oracle_check_imlist(l, dump);
        if (ews_imlist_group_count(l) > lim->max_items ||
            ews_imlist_persona_count(l) > lim->max_items)
            oracle_fail("more than max_items (%zu) groups or personas", lim->max_items);
    }
    ews_err_free(&err);
    ews_imlist_free(l);
    return rc == 0;
}

static void same_reading(const ews_buf *a, const ews_buf *b, const char *what)
{
    if (a->len != b->len || (a->len && memcmp(a->data, b->data, a->len) != 0)) {
        fprintf(stderr, "--- lenient\n%.*s--- %s\n%.*s", (int)a->len, a->data ? a->data : "",
                what, (int)b->len, b->data ? b->data : "");
        oracle_fail("the %s parse read the document differently", what);
    }
}

int fuzz_parse_response(const ews_im_op *rd, const uint8_t *data, size_t size)
{
    ews_limits lenient = EWS_LIMITS_DEFAULT, strict = EWS_LIMITS_DEFAULT;
    strict.strict = 1;
    ews_buf base = EWS_BUF_INIT, other = EWS_BUF_INIT;

    int ok = parse(rd, data, size, &lenient, &base);
    if (ok && getenv("EWS_FUZZ_DUMP"))
        fwrite(base.data, 1, base.len, stdout);
    if (parse(rd, data, size, &strict, &other)) {
        if (!ok)
            oracle_fail("strict parse accepted what the lenient parse rejected");
        same_reading(&base, &other, "strict");
    }
    ews_buf_clear(&other);
    if (parse(rd, data, size, &tight, &other)) {
        if (!ok)
            oracle_fail("parse with tight limits accepted what default limits rejected");
        same_reading(&base, &other, "tight-limit");
    }
    ews_buf_free(&base);
    ews_buf_free(&other);
    return 0;
}

int fuzz_imlist_one(const uint8_t *data, size_t size)
{
    return fuzz_parse_response(&ews_im_get_im_item_list, data, size);
}

#if defined(EWS_LIBFUZZER) && !defined(EWS_FUZZ_NO_IMLIST_ENTRY)
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_imlist_one(data, size);
}
#endif
