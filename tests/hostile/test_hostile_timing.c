/* Servers that waste the client's time or cut it off: each call ends by the
 * timer meant for it, within that limit + 2 s. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "hostile.h"

#define STALL HOSTILE_STALL_MS
#define TOTAL HOSTILE_TOTAL_MS

static void run_mode(const hostile_case *c, const char *mode)
{
    hostile_server s;
    assert_int_equal(hostile_start(&s, mode, 0), 0);
    hostile_run(c, &s);
    hostile_stop(&s);
}

/* Accepts, reads the request, never answers: the stall timer. */
static void test_silence(void **state)
{
    (void)state;
    static const hostile_case c = {
        .name = "silence", .rc = EWS_ETIMEDOUT, .http_status = 0, .min_ms = STALL - 100,
        .max_ms = STALL + 2000, .max_growth_mb = 16, .message_has = "no data",
    };
    run_mode(&c, "silence");
}

static const char *not_the_stall_timer(const ews_imlist *list, const ews_error *e)
{
    (void)list;
    return strstr(e->message, "no data") ? "the stall timer fired, not the total one" : NULL;
}

/* One byte every 500 ms keeps the stall timer quiet; only the limit on
 * the whole exchange ends it. */
static void test_drip(void **state)
{
    (void)state;
    static const hostile_case c = {
        .name = "drip", .rc = EWS_ETIMEDOUT, .http_status = -1, .min_ms = TOTAL - 100,
        .max_ms = TOTAL + 2000, .max_growth_mb = 16, .message_has = "timed out",
        .check = not_the_stall_timer,
    };
    run_mode(&c, "drip");
}

/* Headers and half the announced body, then silence. */
static void test_stall_mid_body(void **state)
{
    (void)state;
    static const hostile_case c = {
        .name = "stall-mid-body", .rc = EWS_ETIMEDOUT, .http_status = -1, .min_ms = STALL - 100,
        .max_ms = STALL + 2000, .max_growth_mb = 16, .message_has = "no data",
    };
    run_mode(&c, "stall-mid-body");
}

/* The request body must be large for the server's reset to land while it
 * is still being sent; an impersonated SID is the one free-size field. */
static char *big_sid;

static void big_request(ews_client_options *o, ews_call_options *call)
{
    (void)o;
    call->impersonation.kind = EWS_IMPERSONATE_SID;
    call->impersonation.value = big_sid;
}

/* The server resets the connection 64 KiB into an 8 MiB request body: a
 * transport error, and no death by SIGPIPE (which the test leaves fatal). */
static void test_close_mid_request(void **state)
{
    (void)state;
    size_t n = (size_t)8 << 20;
    big_sid = malloc(n + 1);
    assert_non_null(big_sid);
    memset(big_sid, 'S', n);
    big_sid[n] = '\0';
    static const hostile_case c = {
        .name = "close-mid-request", .rc = EWS_ETRANSPORT, .http_status = -1, .min_ms = 0,
        .max_ms = 2000, .max_growth_mb = 0, .tune = big_request,
    };
    /* Right after the headers, and in the middle of the body. */
    static const long cut_at[] = { 0, 65536 };
    for (size_t i = 0; i < sizeof cut_at / sizeof cut_at[0]; i++) {
        hostile_server s;
        assert_int_equal(hostile_start(&s, "close-mid-request", cut_at[i]), 0);
        hostile_run(&c, &s);
        /* the server may have been handed more than it asked for */
        assert_in_range(hostile_log_number(&s, "request-body ", 2000), cut_at[i],
                        cut_at[i] + 256 * 1024);
        hostile_stop(&s);
    }
    free(big_sid);
}

int main(void)
{
    hostile_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_silence),
        cmocka_unit_test(test_drip),
        cmocka_unit_test(test_stall_mid_body),
        cmocka_unit_test(test_close_mid_request),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
