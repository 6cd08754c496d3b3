/* The shared throttle's limit (core/throttle.c) on a clock the test sets:
 * a burst of busy answers cuts it to what the server accepted, and the
 * level refused is probed again only after enough calm answers and enough
 * time, both doubling with each refused probe. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/retry.h"
#include "core/throttle.h"

/* Far enough in the past that no pause it sets makes a real wait. */
static int64_t t0(void)
{
    return ews_now_ms() - 100LL * 24 * 3600 * 1000;
}

static ews_throttle *new_throttle(void)
{
    ews_throttle_options o = EWS_THROTTLE_OPTIONS_INIT;
    ews_throttle *t = NULL;
    assert_int_equal(ews_throttle_new(&t, &o), 0);
    return t;
}

static unsigned int limit_of(ews_throttle *t)
{
    ews_throttle_stats s;
    assert_int_equal(ews_throttle_get_stats(&s, t), 0);
    return s.limit;
}

/* n answers, one after the other, none busy, all at time now. */
static void calm(ews_throttle *t, unsigned n, int64_t now)
{
    for (unsigned i = 0; i < n; i++) {
        ews_throttle_ticket k;
        long waited;
        assert_int_equal(ews_throttle_enter(t, 0, &k, &waited), 0);
        ews_throttle_leave_at(t, &k, 0, 0, now);
    }
}

/* A probe refused: 11 in flight, one answered busy, the others not. */
static void probe_refused(ews_throttle *t, long back_off_ms, int64_t now)
{
    ews_throttle_ticket k[11];
    long waited;
    for (int i = 0; i < 11; i++)
        assert_int_equal(ews_throttle_enter(t, 0, &k[i], &waited), 0);
    ews_throttle_leave_at(t, &k[0], 1, back_off_ms, now);
    for (int i = 1; i < 11; i++)
        ews_throttle_leave_at(t, &k[i], 0, 0, now);
}

/* 20 sent together, the server takes 10: the limit becomes 10. */
static void burst(ews_throttle *t, long back_off_ms, int64_t now)
{
    ews_throttle_ticket k[20];
    long waited;
    for (int i = 0; i < 20; i++)
        assert_int_equal(ews_throttle_enter(t, 0, &k[i], &waited), 0);
    for (int i = 0; i < 10; i++)
        ews_throttle_leave_at(t, &k[i], 1, back_off_ms, now);
    for (int i = 10; i < 20; i++)
        ews_throttle_leave_at(t, &k[i], 0, 0, now);
    assert_int_equal(limit_of(t), 10);
}

static void probe_waits_for_time_and_answers(void **state)
{
    (void)state;
    ews_throttle *t = new_throttle();
    int64_t now = t0();
    burst(t, 50, now);
    /* 8 rounds of answers, but within 64 pauses (3.2 s): no probe */
    calm(t, 1000, now + 3199);
    assert_int_equal(limit_of(t), 10);
    calm(t, 1, now + 3200);
    assert_int_equal(limit_of(t), 11);
    /* refused again at 11: back to 10; now 16 rounds and 6.4 s (the
     * refusal's round counts 10 calm answers already) */
    now += 4000;
    probe_refused(t, 50, now);
    assert_int_equal(limit_of(t), 10);
    calm(t, 149, now + 7000);
    assert_int_equal(limit_of(t), 10);
    calm(t, 1, now + 6399);
    assert_int_equal(limit_of(t), 10);
    calm(t, 1, now + 6400);
    assert_int_equal(limit_of(t), 11);
    /* accepted at 11: above the level refused, each step is probed as
     * carefully (16 rounds of 11 answers; the time has passed) */
    calm(t, 175, now + 6400);
    assert_int_equal(limit_of(t), 11);
    calm(t, 1, now + 6400);
    assert_int_equal(limit_of(t), 12);
    ews_throttle_free(t);
}

static void busy_without_back_off_counts_answers_only(void **state)
{
    (void)state;
    ews_throttle *t = new_throttle();
    int64_t now = t0();
    burst(t, 0, now);
    calm(t, 69, now); /* and the burst's 10 */
    assert_int_equal(limit_of(t), 10);
    calm(t, 1, now);
    assert_int_equal(limit_of(t), 11);
    ews_throttle_free(t);
}

/* A long back-off (the options' 60 s at most) still probes within 10 min,
 * however many probes were refused. */
static void probe_wait_is_bounded(void **state)
{
    (void)state;
    ews_throttle *t = new_throttle();
    int64_t now = t0();
    burst(t, 3600 * 1000L, now);
    for (int refused = 0; refused < 8; refused++) {
        calm(t, 10u * 8 * 32, now + 10 * 60 * 1000 - 1);
        assert_int_equal(limit_of(t), 10);
        calm(t, 1, now + 10 * 60 * 1000);
        assert_int_equal(limit_of(t), 11);
        now += 10 * 60 * 1000 + 1;
        probe_refused(t, 3600 * 1000L, now);
        assert_int_equal(limit_of(t), 10);
    }
    ews_throttle_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(probe_waits_for_time_and_answers),
        cmocka_unit_test(busy_without_back_off_counts_answers_only),
        cmocka_unit_test(probe_wait_is_bounded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
