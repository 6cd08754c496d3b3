/* Servers that ask for absurd back-off waits (issue 11, item 3): a
 * Retry-After of 20 digits or a date in the year 9999, a
 * BackOffMilliseconds of LONG_MAX or of 40 digits. With retries on and the
 * default 600 s budget, each call must end at once with EWS_EBUSY saying
 * the wait is more than the budget; before the fix the sum of elapsed time
 * and hint wrapped negative, the retry was allowed and the client slept
 * for LONG_MAX ms. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "hostile.h"

#define QUICK 2000L

static void retries_on(ews_client_options *o, ews_call_options *call)
{
    (void)call;
    o->retry = (ews_retry_policy)EWS_RETRY_POLICY_DEFAULT;
}

static const char *hint_kept(const ews_imlist *list, const ews_error *e)
{
    (void)list;
    if (e->attempts != 1)
        return "the call made more than one attempt";
    if (e->category != EWS_CAT_RETRYABLE)
        return "the category is not retryable";
    if (e->back_off_ms < 600000)
        return "the server's hint is not kept in back_off_ms";
    return NULL;
}

static void run_mode(const char *mode, long http_status)
{
    const hostile_case c = {
        .name = mode, .rc = EWS_EBUSY, .http_status = http_status, .min_ms = 0, .max_ms = QUICK,
        .max_growth_mb = 16, .message_has = "more than the retry budget", .tune = retries_on,
        .check = hint_kept,
    };
    hostile_server s;
    assert_int_equal(hostile_start(&s, mode, 0), 0);
    hostile_run(&c, &s);
    assert_int_equal(hostile_log_count(&s, "request "), 1);
    hostile_stop(&s);
}

static void test_retry_after_huge(void **state)
{
    (void)state;
    run_mode("retry-after-huge", 503);
}

static void test_retry_after_date(void **state)
{
    (void)state;
    run_mode("retry-after-date", 503);
}

static void test_back_off_long_max(void **state)
{
    (void)state;
    run_mode("backoff-huge", 500);
}

static void test_back_off_overflow(void **state)
{
    (void)state;
    run_mode("backoff-overflow", 500);
}

int main(void)
{
    hostile_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_retry_after_huge),
        cmocka_unit_test(test_retry_after_date),
        cmocka_unit_test(test_back_off_long_max),
        cmocka_unit_test(test_back_off_overflow),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
