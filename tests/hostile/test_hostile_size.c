/* Servers that send too much: bodies past the size limit (announced,
 * endless, compressed), a million nested elements, and arrays at and past
 * the item limit. Each ends quickly and with bounded memory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "hostile.h"

/* valgrind takes 90 s a parse of 200,000: it gets a tenth, through the
 * same code. */
static long personas;

static void big_limit(ews_client_options *o, ews_call_options *call)
{
    (void)call;
    o->max_response_bytes = (size_t)32 << 20;
}

static void personas_fit(ews_client_options *o, ews_call_options *call)
{
    big_limit(o, call);
    o->max_items = (size_t)personas;
}

static void personas_one_short(ews_client_options *o, ews_call_options *call)
{
    big_limit(o, call);
    o->max_items = (size_t)personas - 1;
}

/* Endless chunks: the limit is counted as the body arrives. */
static void test_endless_chunked(void **state)
{
    (void)state;
    static const hostile_case c = {
        .name = "endless-chunked", .rc = EWS_ETOOBIG, .http_status = -1, .min_ms = 0,
        .max_ms = 2000, .max_growth_mb = 16, .message_has = "limit",
    };
    hostile_server s;
    assert_int_equal(hostile_start(&s, "endless-chunked", 0), 0);
    hostile_run(&c, &s);
    /* the client hung up instead of draining the stream */
    long sent = hostile_log_number(&s, "sent chunked ", 5000);
    assert_in_range(sent, HOSTILE_MAX_BYTES, 32 << 20);
    hostile_stop(&s);
}

/* 50 MB announced by Content-Length: refused before the body is read. */
static void test_50mb(void **state)
{
    (void)state;
    static const hostile_case c = {
        .name = "50mb-body", .rc = EWS_ETOOBIG, .http_status = -1, .min_ms = 0, .max_ms = 2000,
        .max_growth_mb = 16, .message_has = "limit",
    };
    hostile_server s;
    assert_int_equal(hostile_start(&s, "big", 0), 0);
    hostile_run(&c, &s);
    /* what the socket buffers swallowed, far from the 50 MB */
    long sent = hostile_log_number(&s, "sent big ", 5000);
    assert_in_range(sent, 0, 16 << 20);
    hostile_stop(&s);
}

/* 64 KiB of gzip that inflates to 64 MiB: the limit applies after
 * decoding. */
static void test_gzip_bomb(void **state)
{
    (void)state;
    static const hostile_case c = {
        .name = "gzip-bomb", .rc = EWS_ETOOBIG, .http_status = -1, .min_ms = 0, .max_ms = 2000,
        .max_growth_mb = 16, .message_has = "limit",
    };
    hostile_server s;
    assert_int_equal(hostile_start(&s, "gzip-bomb", 0), 0);
    hostile_run(&c, &s);
    assert_in_range(hostile_log_number(&s, "gzip ", 5000), 1, HOSTILE_MAX_BYTES / 8);
    hostile_stop(&s);
}

/* A million nested unknown elements (7 MB) under a 32 MiB size limit. The
 * engine skips unknown content with a counter, not by descending into it,
 * so its own depth limit would never see this nesting: the check before it
 * refuses the document at the first element past max_depth, in lenient and
 * strict mode alike, having read only that far. */
static void big_limit_strict(ews_client_options *o, ews_call_options *call)
{
    big_limit(o, call);
    o->strict = 1;
}

static void test_nested(void **state)
{
    (void)state;
    static const hostile_case lenient = {
        .name = "nested-1e6", .rc = EWS_ELIMIT, .http_status = 200, .min_ms = 0,
        .max_ms = HOSTILE_TOTAL_MS + 2000, .max_growth_mb = 48, .message_has = "max_depth",
        .tune = big_limit,
    };
    static const hostile_case strict = {
        .name = "nested-1e6-strict", .rc = EWS_ELIMIT, .http_status = 200, .min_ms = 0,
        .max_ms = HOSTILE_TOTAL_MS + 2000, .max_growth_mb = 48, .message_has = "max_depth",
        .tune = big_limit_strict,
    };
    hostile_server s;
    assert_int_equal(hostile_start(&s, "nested", 0), 0);
    hostile_run(&lenient, &s);
    hostile_run(&strict, &s);
    hostile_stop(&s);
}

/* Every persona is there and in order, by index and by id. */
static const char *all_personas(const ews_imlist *list, const ews_error *e)
{
    (void)e;
    static char why[128];
    if (ews_imlist_persona_count(list) != (size_t)personas) {
        snprintf(why, sizeof why, "%zu personas", ews_imlist_persona_count(list));
        return why;
    }
    char want[32];
    for (long i = 0; i < personas; i++) {
        const ews_persona *p = ews_imlist_persona(list, (size_t)i);
        const char *id = ews_persona_id(p);
        const char *name = ews_persona_display_name(p);
        snprintf(want, sizeof want, "p%ld", i);
        if (!id || strcmp(id, want) != 0 || !name || strcmp(name + 1, want + 1) != 0) {
            snprintf(why, sizeof why, "persona %ld reads as %s / %s", i, id ? id : "(null)",
                     name ? name : "(null)");
            return why;
        }
    }
    snprintf(want, sizeof want, "p%ld", personas - 1);
    if (ews_imlist_find_persona(list, want) != ews_imlist_persona(list, (size_t)personas - 1))
        return "the last persona cannot be found by id";
    return NULL;
}

static void test_personas(void **state)
{
    (void)state;
    /* About 1.7 KiB per persona (the engine's ~100-member PersonaType
     * struct and cell headers, the 520-byte ews_persona): 335 MiB measured;
     * the bound catches anything worse than linear. */
    static const hostile_case fit = {
        .name = "personas-at-max_items", .rc = 0, .http_status = 200, .min_ms = 0,
        .max_ms = HOSTILE_TOTAL_MS + 2000, .max_growth_mb = 400, .tune = personas_fit,
        .check = all_personas,
    };
    static const hostile_case over = {
        .name = "personas-over-max_items", .rc = EWS_ELIMIT, .http_status = 200, .min_ms = 0,
        .max_ms = HOSTILE_TOTAL_MS + 2000, .max_growth_mb = 400, .message_has = "item count",
        .tune = personas_one_short,
    };
    hostile_server s;
    personas = hostile_under_valgrind() ? 20000 : 200000;
    assert_int_equal(hostile_start(&s, "personas", personas), 0);
    hostile_run(&fit, &s);
    hostile_run(&over, &s);
    hostile_stop(&s);
}

int main(void)
{
    hostile_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_endless_chunked),
        cmocka_unit_test(test_50mb),
        cmocka_unit_test(test_gzip_bomb),
        cmocka_unit_test(test_nested),
        cmocka_unit_test(test_personas),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
