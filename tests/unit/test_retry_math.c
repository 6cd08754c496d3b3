/* The arithmetic of waits (issue 11, item 3): sums of times saturate at
 * LONG_MAX instead of wrapping, so a server's absurd hint can never look
 * like a wait that fits the retry budget. */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "soap/msgxml.h"
#include "core/retry.h"

static void test_ms_add_saturates(void **state)
{
    (void)state;
    assert_int_equal(ews_ms_add(0, 0), 0);
    assert_int_equal(ews_ms_add(1, 2), 3);
    assert_int_equal(ews_ms_add(LONG_MAX, 0), LONG_MAX);
    assert_int_equal(ews_ms_add(0, LONG_MAX), LONG_MAX);
    assert_int_equal(ews_ms_add(1, LONG_MAX), LONG_MAX);
    assert_int_equal(ews_ms_add(LONG_MAX, LONG_MAX), LONG_MAX);
    assert_int_equal(ews_ms_add(LONG_MAX - 1, 1), LONG_MAX);
    assert_int_equal(ews_ms_add(LONG_MAX / 2, LONG_MAX / 2 + 1), LONG_MAX);
    /* negative durations count as none */
    assert_int_equal(ews_ms_add(-5, 7), 7);
    assert_int_equal(ews_ms_add(LONG_MIN, LONG_MIN), 0);
    assert_int_equal(ews_ms_add(LONG_MIN, LONG_MAX), LONG_MAX);
}

static void test_seconds_round_up(void **state)
{
    (void)state;
    assert_int_equal(ews_ms_to_s_ceil(0), 0);
    assert_int_equal(ews_ms_to_s_ceil(-1), 0);
    assert_int_equal(ews_ms_to_s_ceil(1), 1);
    assert_int_equal(ews_ms_to_s_ceil(1000), 1);
    assert_int_equal(ews_ms_to_s_ceil(1001), 2);
    assert_int_equal(ews_ms_to_s_ceil(LONG_MAX), LONG_MAX / 1000 + 1);
    assert_int_equal(ews_ms_to_s_ceil(LONG_MAX - LONG_MAX % 1000), LONG_MAX / 1000);
}

static void test_retry_check_edges(void **state)
{
    (void)state;
    ews_retry_policy p = EWS_RETRY_POLICY_DEFAULT; /* 5 attempts, 600 s */
    assert_int_equal(ews_retry_check(&p, 1, 0, 600000), EWS_RETRY_GO);
    assert_int_equal(ews_retry_check(&p, 1, 1, 600000), EWS_RETRY_OVER_BUDGET);
    /* the hints of issue 11: elapsed + LONG_MAX wrapped negative before */
    assert_int_equal(ews_retry_check(&p, 1, 1, LONG_MAX), EWS_RETRY_OVER_BUDGET);
    assert_int_equal(ews_retry_check(&p, 1, 599999, LONG_MAX), EWS_RETRY_OVER_BUDGET);
    assert_int_equal(ews_retry_check(&p, 1, LONG_MAX, LONG_MAX), EWS_RETRY_OVER_BUDGET);
    assert_int_equal(ews_retry_check(&p, 1, LONG_MAX, 1), EWS_RETRY_OVER_BUDGET);
    assert_false(ews_retry_allowed(&p, 1, 1, LONG_MAX));
    assert_int_equal(ews_retry_check(&p, 5, 0, 0), EWS_RETRY_NO_ATTEMPTS);
    /* the largest budget still holds the largest wait, and no more */
    p.max_total_ms = LONG_MAX;
    assert_int_equal(ews_retry_check(&p, 1, 0, LONG_MAX), EWS_RETRY_GO);
    assert_int_equal(ews_retry_check(&p, 1, 1, LONG_MAX), EWS_RETRY_GO); /* saturated sum */
    p.max_total_ms = LONG_MAX - 1;
    assert_int_equal(ews_retry_check(&p, 1, 1, LONG_MAX - 1), EWS_RETRY_OVER_BUDGET);
    p.max_total_ms = 0;
    assert_int_equal(ews_retry_check(&p, 1, 0, 0), EWS_RETRY_NO_ATTEMPTS);
}

static void test_delay_without_hint_stays_capped(void **state)
{
    (void)state;
    ews_retry_policy p = { 100, LONG_MAX, LONG_MAX, LONG_MAX };
    uint64_t rng = 42;
    for (int attempt = 2; attempt < 100; attempt++) {
        long d = ews_retry_delay_ms(&p, attempt, -1, &rng);
        assert_true(d >= LONG_MAX / 2 && d <= LONG_MAX);
    }
    assert_int_equal(ews_retry_delay_ms(&p, 2, LONG_MAX, &rng), LONG_MAX);
}

static long back_off(char *xml)
{
    char *one[] = { xml };
    return ews_msgxml_back_off(one, 1);
}

/* Numbers past a long saturate; negative ones are no hint. */
static void test_back_off_parse_edges(void **state)
{
    (void)state;
    assert_int_equal(back_off("<t:Value Name=\"BackOffMilliseconds\">9223372036854775807</t:Value>"),
                     LONG_MAX);
    assert_int_equal(back_off("<t:Value Name=\"BackOffMilliseconds\">9223372036854775808</t:Value>"),
                     LONG_MAX);
    assert_int_equal(back_off("<t:Value Name=\"BackOffMilliseconds\">"
                              "9999999999999999999999999999999999999999</t:Value>"),
                     LONG_MAX);
    assert_int_equal(back_off("<t:Value Name=\"BackOffMilliseconds\">-9223372036854775809</t:Value>"),
                     -1);
    assert_int_equal(back_off("<t:Value Name=\"BackOffMilliseconds\">-1</t:Value>"), -1);
    assert_int_equal(back_off("<t:Value Name=\"BackOffMilliseconds\">0</t:Value>"), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ms_add_saturates),
        cmocka_unit_test(test_seconds_round_up),
        cmocka_unit_test(test_retry_check_edges),
        cmocka_unit_test(test_delay_without_hint_stays_capped),
        cmocka_unit_test(test_back_off_parse_edges),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
